import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/**
 * An interface without a type (`unknown`) or of a type nmstate does not model (`tun`, or
 * a future type). Like nmstate, we check the base properties and keep every other key as
 * written; nmstate resolves the real type from the existing device when applying.
 */
export interface UnknownInterface extends BaseInterface {
  /** `unknown` when the document gave no type, otherwise the type as written. */
  type: string;
  [key: string]: unknown;
}

export const unknownType = defineInterfaceType<UnknownInterface>({
  type: 'unknown',
  summary: 'No type given (or a type nmstate does not model): base properties are checked, the rest kept as written.',
  example: `- name: eth1
  state: down`,
  fields: {},
  macOctets: 'any',
  userspace: false,
  controller: false,
  nmstateOrder: 21,
});
