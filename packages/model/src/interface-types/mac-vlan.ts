import { optional, required, struct } from '../schema/shape.js';
import { boolOrString, enumOf, names, str } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** MACVLAN modes, as in `ip link add ... type macvlan mode MODE`. */
export type MacVlanMode = 'vepa' | 'bridge' | 'private' | 'passthru' | 'source' | 'unknown';

/** The `mac-vlan` section. */
export interface MacVlanConfig {
  'base-iface': string;
  mode: MacVlanMode;
  /** Also read from `accept-all-mac`. */
  promiscuous?: boolean;
}

/** A MACVLAN device (`type: mac-vlan`). */
export interface MacVlanInterface extends BaseInterface {
  type: 'mac-vlan';
  'mac-vlan'?: MacVlanConfig;
}

const macVlanConfig = struct<MacVlanConfig>(
  {
    'base-iface': required(str),
    mode: required(enumOf(names<MacVlanMode>('vepa', 'bridge', 'private', 'passthru', 'source', 'unknown'))),
    promiscuous: optional(boolOrString, { aliases: ['accept-all-mac'] }),
  },
  { name: 'mac-vlan', unknownKeys: 'deny' },
);

export const macVlanType = defineInterfaceType<MacVlanInterface>({
  type: 'mac-vlan',
  summary: 'A MACVLAN device on top of a base interface.',
  example: `- name: macvlan0
  type: mac-vlan
  state: up
  mac-vlan:
    base-iface: eth1
    mode: passthru
    promiscuous: true`,
  fields: { 'mac-vlan': optional(macVlanConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 7,
});
