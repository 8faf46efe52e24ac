import { optional, required, struct } from '../schema/shape.js';
import { boolOrString, enumOf, names, str } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** MACVTAP modes, as in `ip link add ... type macvtap mode MODE`. */
export type MacVtapMode = 'vepa' | 'bridge' | 'private' | 'passthru' | 'source' | 'unknown';

/** The `mac-vtap` section. */
export interface MacVtapConfig {
  'base-iface': string;
  mode: MacVtapMode;
  /** Also read from `accept-all-mac`. */
  promiscuous?: boolean;
}

/** A MACVTAP device (a tap character device over a MACVLAN) (`type: mac-vtap`). */
export interface MacVtapInterface extends BaseInterface {
  type: 'mac-vtap';
  'mac-vtap'?: MacVtapConfig;
}

const macVtapConfig = struct<MacVtapConfig>(
  {
    'base-iface': required(str),
    mode: required(enumOf(names<MacVtapMode>('vepa', 'bridge', 'private', 'passthru', 'source', 'unknown'))),
    promiscuous: optional(boolOrString, { aliases: ['accept-all-mac'] }),
  },
  { name: 'mac-vtap', unknownKeys: 'deny' },
);

export const macVtapType = defineInterfaceType<MacVtapInterface>({
  type: 'mac-vtap',
  summary: 'A MACVTAP device (a tap character device over a MACVLAN) on top of a base interface.',
  example: `- name: macvtap0
  type: mac-vtap
  state: up
  mac-vtap:
    base-iface: eth1
    mode: passthru
    promiscuous: true`,
  fields: { 'mac-vtap': optional(macVtapConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 8,
});
