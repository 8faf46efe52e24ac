/**
 * @nmfleet/model — the nmstate 2.2 state language: types, validation with source
 * positions, and the canonical YAML of `nmstatectl format`.
 */
export { locateState, parseState } from './parse-state.js';
export type { ParseOptions } from './parse-state.js';
export { validateState } from './validate-state.js';
export type { ValidationResult } from './validate-state.js';
export type { ValidationOptions } from './schema/validation-context.js';
export { isTemplateString } from './schema/validation-context.js';
export { formatState } from './format-state.js';
export { loadYaml } from './yaml/serde-yaml-schema.js';
export { formatIssue, formatPath } from './validation-issue.js';
export type { PathSegment, ValidationIssue } from './validation-issue.js';

export type { NetworkState } from './network-state.js';
export type { HostNameState } from './hostname.js';
export type { DnsClientState, DnsResolver } from './dns-resolver.js';
export { DNS_OPTIONS_WITH_VALUE, DNS_OPTIONS_WITHOUT_VALUE } from './dns-resolver.js';
export type { RouteEntry, Routes } from './routes.js';
export type { RouteRuleEntry, RouteRules } from './route-rules.js';
export type { OvnBridgeMapping, OvnConfiguration } from './ovn.js';
export type { OvsDbGlobalConfig, OvsDbInterfaceConfig } from './interface-settings/ovs-db.js';

export type {
  AltNameEntry,
  BaseInterface,
  InterfaceIdentifier,
  InterfaceState,
  MacOctets,
  WaitIp,
} from './base-interface.js';
export { MINIMUM_IPV6_MTU } from './base-interface.js';
export type { IpAddress, IpConfig, MptcpAddressFlag } from './ip-config.js';
export type { DispatchConfig } from './interface-settings/dispatch.js';
export type {
  EthtoolCoalesceConfig,
  EthtoolConfig,
  EthtoolFecConfig,
  EthtoolPauseConfig,
  EthtoolRingConfig,
} from './interface-settings/ethtool.js';
export type { Ieee8021xConfig } from './interface-settings/ieee8021x.js';
export type { LldpConfig } from './interface-settings/lldp.js';
export type { MptcpConfig } from './interface-settings/mptcp.js';

export type { Interface, InterfaceOf, InterfaceType, InterfaceTypeMap } from './interface-type.js';
export { isInterfaceOfType } from './interface-type.js';
export type { InterfaceTypeSpec } from './interface-type-spec.js';
export { INTERFACE_TYPES, interfaceTypeRegistry, isKnownInterfaceType } from './interface-type-registry.js';
export type { InterfaceTypeRegistry } from './interface-type-registry.js';
export { interfaceIdentity, sortInterfaces } from './interfaces.js';

export type {
  BondConfig,
  BondInterface,
  BondMode,
  BondOptions,
  BondPortConfig,
} from './interface-types/bond.js';
export type {
  BridgePortTrunkTag,
  BridgePortVlanConfig,
  BridgePortVlanRange,
} from './interface-types/bridge-port-vlan.js';
export type { DummyInterface } from './interface-types/dummy.js';
export type {
  EthernetConfig,
  EthernetInterface,
  SrIovConfig,
  SrIovVfConfig,
  VethConfig,
} from './interface-types/ethernet.js';
export type { HsrConfig, HsrInterface } from './interface-types/hsr.js';
export type { InfinibandConfig, InfinibandInterface } from './interface-types/infiniband.js';
export type { Ip6TunnelFlag, IpTunnelConfig, IpTunnelInterface } from './interface-types/ip-tunnel.js';
export type { IpsecInterface, LibreswanConfig } from './interface-types/ipsec.js';
export type { IpvlanConfig, IpvlanInterface } from './interface-types/ipvlan.js';
export type {
  BridgeStpOptions,
  LinuxBridgeConfig,
  LinuxBridgeInterface,
  LinuxBridgeOptions,
  LinuxBridgePortConfig,
} from './interface-types/linux-bridge.js';
export type { LoopbackInterface } from './interface-types/loopback.js';
export type { MacVlanConfig, MacVlanInterface, MacVlanMode } from './interface-types/mac-vlan.js';
export type { MacVtapConfig, MacVtapInterface, MacVtapMode } from './interface-types/mac-vtap.js';
export type { MacsecConfig, MacsecInterface } from './interface-types/macsec.js';
export type {
  OvsBridgeBondConfig,
  OvsBridgeBondPortConfig,
  OvsBridgeConfig,
  OvsBridgeInterface,
  OvsBridgeOptions,
  OvsBridgePortConfig,
} from './interface-types/ovs-bridge.js';
export type { OvsDpdkConfig, OvsInterface, OvsPatchConfig } from './interface-types/ovs-interface.js';
export type { UnknownInterface } from './interface-types/unknown.js';
export type { VethInterface } from './interface-types/veth.js';
export type { VlanConfig, VlanInterface, VlanQosMapping } from './interface-types/vlan.js';
export type { VrfConfig, VrfInterface } from './interface-types/vrf.js';
export type { VxlanConfig, VxlanInterface } from './interface-types/vxlan.js';
export type { XfrmInterface } from './interface-types/xfrm.js';

export {
  bytesToIp,
  formatIpv6Groups,
  ipFamilyOf,
  ipToBytes,
  isIpAddress,
  isIpv4Address,
  isIpv6Address,
  networkAddress,
  normalizeIp,
  parseIpPrefix,
  parseIpv4Octets,
  parseIpv6Groups,
} from './ip-address.js';
export type { IpFamily, IpPrefix } from './ip-address.js';
export { isMacAddress, normalizeMacAddress } from './mac-address.js';
export { normalizePciAddress } from './schema/network-scalars.js';
