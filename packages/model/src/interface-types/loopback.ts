import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The loopback device `lo` (`type: loopback`); only its addresses and MTU can change. */
export interface LoopbackInterface extends BaseInterface {
  type: 'loopback';
}

export const loopbackType = defineInterfaceType<LoopbackInterface>({
  type: 'loopback',
  summary: 'The loopback device; extra addresses can be added to it.',
  example: `- name: lo
  type: loopback
  state: up
  ipv4:
    enabled: true
    address:
    - ip: 127.0.0.1
      prefix-length: 8
    - ip: 192.0.2.1
      prefix-length: 32`,
  fields: {},
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 6,
});
