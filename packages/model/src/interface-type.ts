import type { BondInterface } from './interface-types/bond.js';
import type { DummyInterface } from './interface-types/dummy.js';
import type { EthernetInterface } from './interface-types/ethernet.js';
import type { HsrInterface } from './interface-types/hsr.js';
import type { InfinibandInterface } from './interface-types/infiniband.js';
import type { IpTunnelInterface } from './interface-types/ip-tunnel.js';
import type { IpsecInterface } from './interface-types/ipsec.js';
import type { IpvlanInterface } from './interface-types/ipvlan.js';
import type { LinuxBridgeInterface } from './interface-types/linux-bridge.js';
import type { LoopbackInterface } from './interface-types/loopback.js';
import type { MacVlanInterface } from './interface-types/mac-vlan.js';
import type { MacVtapInterface } from './interface-types/mac-vtap.js';
import type { MacsecInterface } from './interface-types/macsec.js';
import type { OvsBridgeInterface } from './interface-types/ovs-bridge.js';
import type { OvsInterface } from './interface-types/ovs-interface.js';
import type { UnknownInterface } from './interface-types/unknown.js';
import type { VethInterface } from './interface-types/veth.js';
import type { VlanInterface } from './interface-types/vlan.js';
import type { VrfInterface } from './interface-types/vrf.js';
import type { VxlanInterface } from './interface-types/vxlan.js';
import type { XfrmInterface } from './interface-types/xfrm.js';

/**
 * Every interface type the model knows, by its `type` value. Adding a type here makes the
 * compiler list what is missing: its entry in `interfaceTypeRegistry`, and every other
 * registry keyed by {@link InterfaceType} (planner, nm-backend).
 */
export interface InterfaceTypeMap {
  bond: BondInterface;
  dummy: DummyInterface;
  ethernet: EthernetInterface;
  hsr: HsrInterface;
  infiniband: InfinibandInterface;
  'ip-tunnel': IpTunnelInterface;
  ipsec: IpsecInterface;
  ipvlan: IpvlanInterface;
  'linux-bridge': LinuxBridgeInterface;
  loopback: LoopbackInterface;
  'mac-vlan': MacVlanInterface;
  'mac-vtap': MacVtapInterface;
  macsec: MacsecInterface;
  'ovs-bridge': OvsBridgeInterface;
  'ovs-interface': OvsInterface;
  veth: VethInterface;
  vlan: VlanInterface;
  vrf: VrfInterface;
  vxlan: VxlanInterface;
  xfrm: XfrmInterface;
  /** No type given, or a type nmstate does not model (kept as written). */
  unknown: UnknownInterface;
}

/** The interface type names the model knows (a string-literal union; `unknown` included). */
export type InterfaceType = keyof InterfaceTypeMap;

/** The TypeScript shape of an interface of type `T`. */
export type InterfaceOf<T extends InterfaceType> = InterfaceTypeMap[T];

/**
 * One interface of a state document: a union discriminated by `type`.
 *
 * Interfaces of types the model does not know keep their `type` string, so `type` alone
 * does not narrow away {@link UnknownInterface}; use {@link isInterfaceOfType}.
 */
export type Interface = InterfaceTypeMap[InterfaceType];

/**
 * Narrows an interface to one type.
 *
 * @example if (isInterfaceOfType(iface, 'bond')) iface['link-aggregation']?.mode
 */
export function isInterfaceOfType<T extends Exclude<InterfaceType, 'unknown'>>(
  iface: Interface,
  type: T,
): iface is InterfaceTypeMap[T] {
  return iface.type === type;
}
