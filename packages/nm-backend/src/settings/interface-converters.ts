import type { Interface, InterfaceOf, InterfaceType } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import type { InterfaceConverter } from './interface-converter.js';
import { bondConverter } from './types/bond.js';
import { dummyConverter } from './types/dummy.js';
import { ethernetConverter, vethConverter } from './types/ethernet.js';
import { hsrConverter } from './types/hsr.js';
import { infinibandConverter } from './types/infiniband.js';
import { ipTunnelConverter } from './types/ip-tunnel.js';
import { ipsecConverter } from './types/ipsec.js';
import { ipvlanConverter } from './types/ipvlan.js';
import { linuxBridgeConverter } from './types/linux-bridge.js';
import { loopbackConverter } from './types/loopback.js';
import { macVlanConverter } from './types/mac-vlan.js';
import { macVtapConverter } from './types/mac-vtap.js';
import { macsecConverter } from './types/macsec.js';
import { ovsBridgeConverter } from './types/ovs-bridge.js';
import { ovsInterfaceConverter } from './types/ovs-interface.js';
import { unknownConverter } from './types/unknown.js';
import { vlanConverter } from './types/vlan.js';
import { vrfConverter } from './types/vrf.js';
import { vxlanConverter } from './types/vxlan.js';
import { xfrmConverter } from './types/xfrm.js';

/**
 * The settings converter of every interface type. The `satisfies` clause
 * makes a new `InterfaceType` in the model a compile error here until its
 * converter exists.
 */
export const INTERFACE_CONVERTERS = {
  ethernet: ethernetConverter,
  veth: vethConverter,
  bond: bondConverter,
  'linux-bridge': linuxBridgeConverter,
  'ovs-bridge': ovsBridgeConverter,
  'ovs-interface': ovsInterfaceConverter,
  vlan: vlanConverter,
  vxlan: vxlanConverter,
  dummy: dummyConverter,
  'mac-vlan': macVlanConverter,
  'mac-vtap': macVtapConverter,
  vrf: vrfConverter,
  infiniband: infinibandConverter,
  loopback: loopbackConverter,
  macsec: macsecConverter,
  hsr: hsrConverter,
  ipsec: ipsecConverter,
  ipvlan: ipvlanConverter,
  'ip-tunnel': ipTunnelConverter,
  xfrm: xfrmConverter,
  unknown: unknownConverter,
} satisfies { readonly [T in InterfaceType]: InterfaceConverter<InterfaceOf<T>> };

/** The converter of an interface's type; an error naming the type when nm-backend has none. */
export function getInterfaceConverter(type: string): InterfaceConverter<Interface> {
  const converter = (INTERFACE_CONVERTERS as unknown as Readonly<Record<string, InterfaceConverter<Interface> | undefined>>)[type];
  if (converter === undefined) {
    throw new BackendError('unsupported', `no NetworkManager settings for interface type '${type}': expected one of ${Object.keys(INTERFACE_CONVERTERS).join(', ')}`);
  }
  return converter;
}

/** nmstate types by NetworkManager `connection.type`, for reading profiles back (veth reads as ethernet with a peer). */
export const NMSTATE_TYPE_BY_CONNECTION_TYPE: Readonly<Record<string, InterfaceType>> = {
  '802-3-ethernet': 'ethernet',
  veth: 'ethernet',
  bond: 'bond',
  bridge: 'linux-bridge',
  'ovs-bridge': 'ovs-bridge',
  'ovs-interface': 'ovs-interface',
  vlan: 'vlan',
  vxlan: 'vxlan',
  dummy: 'dummy',
  vrf: 'vrf',
  infiniband: 'infiniband',
  loopback: 'loopback',
  macsec: 'macsec',
  hsr: 'hsr',
  vpn: 'ipsec',
  ipvlan: 'ipvlan',
  'ip-tunnel': 'ip-tunnel',
};
