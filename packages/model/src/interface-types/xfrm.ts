import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** A Linux XFRM interface (`type: xfrm`), reported for IPsec connections. */
export interface XfrmInterface extends BaseInterface {
  type: 'xfrm';
}

export const xfrmType = defineInterfaceType<XfrmInterface>({
  type: 'xfrm',
  summary: 'A Linux XFRM interface (route-based IPsec); usually reported, not configured.',
  example: `- name: ipsec1
  type: xfrm
  state: up`,
  fields: {},
  macOctets: 'any',
  userspace: false,
  controller: false,
  nmstateOrder: 19,
});
