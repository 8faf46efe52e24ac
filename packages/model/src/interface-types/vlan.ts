import { list, optional, required, struct } from '../schema/shape.js';
import { bool, enumOf, names, str, uintOrString } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';
import { VLAN_ID_RANGE, vlanProtocol } from './ethernet.js';

/** A priority mapping of a VLAN (`from` and `to` are 802.1p priorities / socket priorities). */
export interface VlanQosMapping {
  from: number;
  to: number;
}

/** The `vlan` section. */
export interface VlanConfig {
  'base-iface'?: string;
  /** 0..4094. */
  id: number;
  protocol?: '802.1q' | '802.1ad';
  'registration-protocol'?: 'gvrp' | 'mvrp' | 'none';
  'reorder-headers'?: boolean;
  'loose-binding'?: boolean;
  'ingress-qos-map'?: VlanQosMapping[];
  'egress-qos-map'?: VlanQosMapping[];
}

/** An 802.1Q/802.1ad VLAN device (`type: vlan`). */
export interface VlanInterface extends BaseInterface {
  type: 'vlan';
  vlan?: VlanConfig;
}

// nmstate's VlanQosMapping does not deny unknown keys.
const qosMapping = struct<VlanQosMapping>(
  { from: required(uintOrString(32)), to: required(uintOrString(32)) },
  { name: 'qos-map', unknownKeys: 'ignore' },
);

const vlanConfig = struct<VlanConfig>(
  {
    'base-iface': optional(str),
    id: required(uintOrString(16, VLAN_ID_RANGE)),
    protocol: optional(vlanProtocol),
    'registration-protocol': optional(enumOf(names('gvrp', 'mvrp', 'none'))),
    'reorder-headers': optional(bool),
    'loose-binding': optional(bool),
    'ingress-qos-map': optional(list(qosMapping)),
    'egress-qos-map': optional(list(qosMapping)),
  },
  { name: 'vlan', unknownKeys: 'deny' },
);

export const vlanType = defineInterfaceType<VlanInterface>({
  type: 'vlan',
  summary: 'An 802.1Q (or 802.1ad) VLAN on top of a base interface.',
  example: `- name: eth1.101
  type: vlan
  state: up
  vlan:
    base-iface: eth1
    id: 101`,
  fields: { vlan: optional(vlanConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 12,
});
