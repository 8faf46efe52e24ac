import { optional, required, struct } from '../schema/shape.js';
import { bool, str, uintOrString } from '../schema/scalars.js';
import { ipAddress } from '../schema/network-scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `vxlan` section. */
export interface VxlanConfig {
  /** Omitted when empty. */
  'base-iface'?: string;
  /** The VXLAN network identifier, 0..16777215 (24 bits). */
  id: number;
  learning?: boolean;
  local?: string;
  remote?: string;
  'destination-port'?: number;
}

/** A VXLAN tunnel endpoint (`type: vxlan`). */
export interface VxlanInterface extends BaseInterface {
  type: 'vxlan';
  vxlan?: VxlanConfig;
}

const vxlanConfig = struct<VxlanConfig>(
  {
    'base-iface': optional(str, { skipIf: (name) => name === '' }),
    // The VNI is a 24-bit field of the VXLAN header.
    id: required(uintOrString(32, { min: 0, max: 0xffffff, reason: 'for a VXLAN VNI (24 bits)' })),
    learning: optional(bool),
    local: optional(ipAddress('any')),
    remote: optional(ipAddress('any')),
    'destination-port': optional(uintOrString(16)),
  },
  { name: 'vxlan', unknownKeys: 'deny' },
);

export const vxlanType = defineInterfaceType<VxlanInterface>({
  type: 'vxlan',
  summary: 'A VXLAN tunnel endpoint (24-bit VNI).',
  example: `- name: vxlan0
  type: vxlan
  state: up
  vxlan:
    base-iface: eth1
    id: 100
    remote: 192.0.2.2
    destination-port: 4789`,
  fields: { vxlan: optional(vxlanConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 14,
});
