import { list, optional, struct } from '../schema/shape.js';
import { str, uintOrString } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `vrf` section. */
export interface VrfConfig {
  /** Port names (also read from `ports`). */
  port?: string[];
  /** The routing table of the VRF. */
  'route-table-id'?: number;
}

/** A virtual routing and forwarding device (`type: vrf`). */
export interface VrfInterface extends BaseInterface {
  type: 'vrf';
  vrf?: VrfConfig;
}

const vrfConfig = struct<VrfConfig>(
  {
    port: optional(list(str), { aliases: ['ports'] }),
    'route-table-id': optional(uintOrString(32)),
  },
  { name: 'vrf', unknownKeys: 'deny' },
);

export const vrfType = defineInterfaceType<VrfInterface>({
  type: 'vrf',
  summary: 'A VRF device binding its ports to one routing table.',
  example: `- name: vrf0
  type: vrf
  state: up
  vrf:
    port:
    - eth1
    route-table-id: 100`,
  fields: { vrf: optional(vrfConfig) },
  macOctets: 6,
  userspace: false,
  controller: true,
  nmstateOrder: 13,
});
