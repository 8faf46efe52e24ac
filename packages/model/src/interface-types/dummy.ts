import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** A dummy device (`type: dummy`): a local interface that drops what it is sent. */
export interface DummyInterface extends BaseInterface {
  type: 'dummy';
}

export const dummyType = defineInterfaceType<DummyInterface>({
  type: 'dummy',
  summary: 'A dummy device, often used to hold addresses.',
  example: `- name: dummy0
  type: dummy
  state: up
  ipv4:
    enabled: true
    address:
    - ip: 192.0.2.1
      prefix-length: 32`,
  fields: {},
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 2,
});
