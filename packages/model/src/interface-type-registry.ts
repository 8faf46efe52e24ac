import type { InterfaceTypeSpec } from './interface-type-spec.js';
import type { InterfaceOf, InterfaceType } from './interface-type.js';
import { bondType } from './interface-types/bond.js';
import { dummyType } from './interface-types/dummy.js';
import { ethernetType } from './interface-types/ethernet.js';
import { hsrType } from './interface-types/hsr.js';
import { infinibandType } from './interface-types/infiniband.js';
import { ipTunnelType } from './interface-types/ip-tunnel.js';
import { ipsecType } from './interface-types/ipsec.js';
import { ipvlanType } from './interface-types/ipvlan.js';
import { linuxBridgeType } from './interface-types/linux-bridge.js';
import { loopbackType } from './interface-types/loopback.js';
import { macVlanType } from './interface-types/mac-vlan.js';
import { macVtapType } from './interface-types/mac-vtap.js';
import { macsecType } from './interface-types/macsec.js';
import { ovsBridgeType } from './interface-types/ovs-bridge.js';
import { ovsInterfaceType } from './interface-types/ovs-interface.js';
import { unknownType } from './interface-types/unknown.js';
import { vethType } from './interface-types/veth.js';
import { vlanType } from './interface-types/vlan.js';
import { vrfType } from './interface-types/vrf.js';
import { vxlanType } from './interface-types/vxlan.js';
import { xfrmType } from './interface-types/xfrm.js';

/** Registry entries are typed by the interface they describe. */
export type InterfaceTypeRegistry = { readonly [T in InterfaceType]: InterfaceTypeSpec<InterfaceOf<T>> };

/**
 * One entry per interface type: its validator fields, canonical key order, docs and
 * example. Other packages keep their own per-type hooks in objects typed
 * `Record<InterfaceType, ...>`, so the compiler tells them when a type is added.
 */
export const interfaceTypeRegistry = {
  bond: bondType,
  dummy: dummyType,
  ethernet: ethernetType,
  hsr: hsrType,
  infiniband: infinibandType,
  'ip-tunnel': ipTunnelType,
  ipsec: ipsecType,
  ipvlan: ipvlanType,
  'linux-bridge': linuxBridgeType,
  loopback: loopbackType,
  'mac-vlan': macVlanType,
  'mac-vtap': macVtapType,
  macsec: macsecType,
  'ovs-bridge': ovsBridgeType,
  'ovs-interface': ovsInterfaceType,
  veth: vethType,
  vlan: vlanType,
  vrf: vrfType,
  vxlan: vxlanType,
  xfrm: xfrmType,
  unknown: unknownType,
} as const satisfies InterfaceTypeRegistry;

/** The known type names, in the registry's order. */
export const INTERFACE_TYPES = Object.keys(interfaceTypeRegistry) as readonly InterfaceType[];

/** Whether `type` is a type the model knows (other strings are kept as `unknown` interfaces). */
export function isKnownInterfaceType(type: string): type is InterfaceType {
  return Object.hasOwn(interfaceTypeRegistry, type);
}
