import { optional } from '../schema/shape.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';
import { ethernetConfig, vethConfig } from './ethernet.js';
import type { EthernetConfig, VethConfig } from './ethernet.js';

/** A virtual Ethernet pair (`type: veth`); the peer is created with it. */
export interface VethInterface extends BaseInterface {
  type: 'veth';
  ethernet?: EthernetConfig;
  veth?: VethConfig;
}

export const vethType = defineInterfaceType<VethInterface>({
  type: 'veth',
  summary: 'A virtual Ethernet pair; the peer is created along with it.',
  example: `- name: veth1
  type: veth
  state: up
  veth:
    peer: veth1peer`,
  fields: { ethernet: optional(ethernetConfig), veth: optional(vethConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 11,
});
