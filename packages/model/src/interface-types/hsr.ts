import { optional, required, struct } from '../schema/shape.js';
import { enumOf, str, uint } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `hsr` section: High-availability Seamless Redundancy or PRP. */
export interface HsrConfig {
  port1: string;
  port2: string;
  interlink?: string;
  'supervision-address'?: string;
  'multicast-spec': number;
  /** `hsr` (also read from `hsr-2010`), `hsr-2012` or `prp`. */
  protocol: 'hsr' | 'hsr-2012' | 'prp';
}

/** An HSR/PRP device (`type: hsr`). */
export interface HsrInterface extends BaseInterface {
  type: 'hsr';
  hsr?: HsrConfig;
}

const hsrConfig = struct<HsrConfig>(
  {
    port1: required(str),
    port2: required(str),
    interlink: optional(str),
    'supervision-address': optional(str),
    'multicast-spec': required(uint(8)),
    protocol: required(enumOf<'hsr' | 'hsr-2012' | 'prp'>({ hsr: 'hsr', 'hsr-2010': 'hsr', 'hsr-2012': 'hsr-2012', prp: 'prp' })),
  },
  { name: 'hsr', unknownKeys: 'deny' },
);

export const hsrType = defineInterfaceType<HsrInterface>({
  type: 'hsr',
  summary: 'An HSR or PRP redundancy device over two ports.',
  example: `- name: hsr0
  type: hsr
  state: up
  hsr:
    port1: eth1
    port2: eth2
    multicast-spec: 40
    protocol: prp`,
  fields: { hsr: optional(hsrConfig) },
  macOctets: 6,
  userspace: false,
  controller: true,
  nmstateOrder: 4,
});
