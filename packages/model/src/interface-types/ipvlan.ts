import { optional, struct } from '../schema/shape.js';
import { boolOrString, enumOf, names, str } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `ipvlan` section. */
export interface IpvlanConfig {
  'base-iface'?: string;
  mode?: 'l2' | 'l3' | 'l3s';
  private?: boolean;
  vepa?: boolean;
}

/** An IPVLAN device (`type: ipvlan`). */
export interface IpvlanInterface extends BaseInterface {
  type: 'ipvlan';
  ipvlan?: IpvlanConfig;
}

const ipvlanConfig = struct<IpvlanConfig>(
  {
    'base-iface': optional(str),
    mode: optional(enumOf(names('l2', 'l3', 'l3s'))),
    private: optional(boolOrString),
    vepa: optional(boolOrString),
  },
  { name: 'ipvlan', unknownKeys: 'deny' },
);

export const ipvlanType = defineInterfaceType<IpvlanInterface>({
  type: 'ipvlan',
  summary: 'An IPVLAN device on top of a base interface.',
  example: `- name: ipvlan0
  type: ipvlan
  state: up
  ipvlan:
    base-iface: eth1
    mode: l2`,
  fields: { ipvlan: optional(ipvlanConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 20,
});
