import { list, optional, required, struct } from '../schema/shape.js';
import { boolOrString, enumOf, names, str, uintOrString } from '../schema/scalars.js';
import { macAddress } from '../schema/network-scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The other end of a veth pair. */
export interface VethConfig {
  peer: string;
}

/** One SR-IOV virtual function. */
export interface SrIovVfConfig {
  id: number;
  /** Query only: the kernel name of the VF. */
  'iface-name'?: string;
  'mac-address'?: string;
  'spoof-check'?: boolean;
  trust?: boolean;
  /** Mbps. */
  'min-tx-rate'?: number;
  /** Mbps. */
  'max-tx-rate'?: number;
  'vlan-id'?: number;
  qos?: number;
  'vlan-proto'?: '802.1q' | '802.1ad';
}

/** SR-IOV settings of a physical function. */
export interface SrIovConfig {
  'drivers-autoprobe'?: boolean;
  'total-vfs'?: number;
  /** Query only. */
  'max-vfs'?: number;
  vfs?: SrIovVfConfig[];
}

/** Link settings of an Ethernet device. */
export interface EthernetConfig {
  'sr-iov'?: SrIovConfig;
  'auto-negotiation'?: boolean;
  /** Mbps. */
  speed?: number;
  duplex?: 'full' | 'half';
}

/** An Ethernet device (`type: ethernet`). */
export interface EthernetInterface extends BaseInterface {
  type: 'ethernet';
  ethernet?: EthernetConfig;
  /** Accepted for compatibility: nmstate reads ethernet and veth the same way. */
  veth?: VethConfig;
}

/** The 802.1Q VLAN ids Linux can use; 4095 is reserved. */
export const VLAN_ID_RANGE = { min: 0, max: 4094, reason: 'for a VLAN id (4095 is reserved)' } as const;

export const vlanProtocol = enumOf(names<'802.1q' | '802.1ad'>('802.1q', '802.1ad'));

const srIovVf = struct<SrIovVfConfig>(
  {
    id: required(uintOrString(32)),
    'iface-name': optional(str, { skipIf: (name) => name === '' }),
    'mac-address': optional(macAddress(6)),
    'spoof-check': optional(boolOrString),
    trust: optional(boolOrString),
    'min-tx-rate': optional(uintOrString(32)),
    'max-tx-rate': optional(uintOrString(32)),
    'vlan-id': optional(uintOrString(32, VLAN_ID_RANGE)),
    qos: optional(uintOrString(32)),
    'vlan-proto': optional(vlanProtocol),
  },
  { name: 'vfs', unknownKeys: 'deny' },
);

const srIovConfig = struct<SrIovConfig>(
  {
    'drivers-autoprobe': optional(boolOrString),
    'total-vfs': optional(uintOrString(32)),
    'max-vfs': optional(uintOrString(32)),
    vfs: optional(list(srIovVf)),
  },
  { name: 'sr-iov', unknownKeys: 'deny' },
);

// nmstate's VethConfig does not deny unknown keys.
/** The `veth` section (shared by `ethernet` and `veth` interfaces). */
export const vethConfig = struct<VethConfig>({ peer: required(str) }, { name: 'veth', unknownKeys: 'ignore' });

/** The `ethernet` section (shared by `ethernet` and `veth` interfaces). */
export const ethernetConfig = struct<EthernetConfig>(
  {
    'sr-iov': optional(srIovConfig),
    'auto-negotiation': optional(boolOrString),
    speed: optional(uintOrString(32)),
    duplex: optional(enumOf(names<'full' | 'half'>('full', 'half'))),
  },
  { name: 'ethernet', unknownKeys: 'deny' },
);

export const ethernetType = defineInterfaceType<EthernetInterface>({
  type: 'ethernet',
  summary: 'An Ethernet device, with link settings and SR-IOV virtual functions.',
  example: `- name: eth1
  type: ethernet
  state: up
  ethernet:
    auto-negotiation: false
    speed: 1000
    duplex: full
    sr-iov:
      total-vfs: 2`,
  fields: { ethernet: optional(ethernetConfig), veth: optional(vethConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 3,
});
