import { list, optional, required, struct } from './schema/shape.js';
import type { Fields } from './schema/shape.js';
import { boolOrString, enumOf, names, str, uint, uintOrString } from './schema/scalars.js';
import { macAddress, pciAddress } from './schema/network-scalars.js';
import { ipv4Config, ipv6Config } from './ip-config.js';
import type { IpConfig } from './ip-config.js';
import { dispatchConfig } from './interface-settings/dispatch.js';
import type { DispatchConfig } from './interface-settings/dispatch.js';
import { ethtoolConfig } from './interface-settings/ethtool.js';
import type { EthtoolConfig } from './interface-settings/ethtool.js';
import { ieee8021xConfig } from './interface-settings/ieee8021x.js';
import type { Ieee8021xConfig } from './interface-settings/ieee8021x.js';
import { lldpConfig } from './interface-settings/lldp.js';
import type { LldpConfig } from './interface-settings/lldp.js';
import { mptcpConfig } from './interface-settings/mptcp.js';
import type { MptcpConfig } from './interface-settings/mptcp.js';
import { ovsDbInterfaceConfig } from './interface-settings/ovs-db.js';
import type { OvsDbInterfaceConfig } from './interface-settings/ovs-db.js';

/**
 * The `state` of an interface: `up` (the default), `down` (configured but deactivated),
 * `absent` (removed), `ignore` (left alone), or `unknown` (reported by queries).
 */
export type InterfaceState = 'up' | 'down' | 'absent' | 'ignore' | 'unknown';

/** How the backend finds the device: by `name` (default), `mac-address` or `pci-address`. */
export type InterfaceIdentifier = 'name' | 'mac-address' | 'pci-address';

/** Which IP stacks must be configured before the interface counts as activated. */
export type WaitIp = 'any' | 'ipv4' | 'ipv6' | 'ipv4+ipv6';

/** An alternative interface name; `state: absent` deletes it. */
export interface AltNameEntry {
  name: string;
  state?: 'absent';
}

/**
 * Properties every interface has, whatever its type (nmstate's `BaseInterface`).
 *
 * After validation `type` and `state` are always set (`unknown` and `up` when absent).
 */
export interface BaseInterface {
  name: string;
  /** NetworkManager profile name when it differs from `name`. */
  'profile-name'?: string;
  description?: string;
  /** The interface type; `unknown` when not given (nmstate then uses the existing device's type). */
  type: string;
  /** Query only. */
  driver?: string;
  state: InterfaceState;
  identifier?: InterfaceIdentifier;
  /** As written; compare with `normalizeMacAddress()` (nmstate ignores case). */
  'mac-address'?: string;
  /** Query only. */
  'permanent-mac-address'?: string;
  /** Canonical form `0000:00:1f.4`. */
  'pci-address'?: string;
  mtu?: number;
  /** Query only. */
  'min-mtu'?: number;
  /** Query only. */
  'max-mtu'?: number;
  'wait-ip'?: WaitIp;
  ipv4?: IpConfig;
  ipv6?: IpConfig;
  mptcp?: MptcpConfig;
  /** Controller to attach to; `''` detaches. */
  controller?: string;
  'accept-all-mac-addresses'?: boolean;
  /** Copy the MAC address of this other interface (bond, linux-bridge, ovs-interface). */
  'copy-mac-from'?: string;
  'ovs-db'?: OvsDbInterfaceConfig;
  '802.1x'?: Ieee8021xConfig;
  lldp?: LldpConfig;
  ethtool?: EthtoolConfig;
  dispatch?: DispatchConfig;
  'alt-names'?: AltNameEntry[];
}

/** The interface states nmstate knows. */
export const interfaceState = enumOf(names<InterfaceState>('up', 'down', 'absent', 'unknown', 'ignore'));

const isEmptyString = (value: string) => value === '';

const altNameEntry = struct<AltNameEntry>(
  { name: required(str), state: optional(enumOf(names('absent'))) },
  { name: 'alt-names', unknownKeys: 'deny' },
);

/** How long a MAC address of this kind of link is. */
export type MacOctets = 6 | 20 | 'any';

/**
 * The fields of {@link BaseInterface}, in nmstate's serialization order.
 * `macOctets` depends on the link type (InfiniBand addresses are 20 octets).
 */
export function baseInterfaceFields(macOctets: MacOctets): Fields<BaseInterface> {
  return {
    name: required(str),
    'profile-name': optional(str),
    description: optional(str, { skipIf: isEmptyString }),
    type: optional(str, { defaultValue: 'unknown' }),
    driver: optional(str, { skipIf: isEmptyString }),
    state: optional(interfaceState, { defaultValue: 'up' }),
    identifier: optional(enumOf(names<InterfaceIdentifier>('name', 'mac-address', 'pci-address'))),
    'mac-address': optional(macAddress(macOctets)),
    'permanent-mac-address': optional(macAddress('any')),
    'pci-address': optional(pciAddress),
    // NetworkManager and the kernel keep the MTU in 32 bits; nmstate rejects more when applying.
    mtu: optional(uintOrString(64, { min: 0, max: 0xffffffff, reason: 'for an MTU (32 bits in the kernel)' })),
    'min-mtu': optional(uint(64)),
    'max-mtu': optional(uint(64)),
    'wait-ip': optional(enumOf(names<WaitIp>('any', 'ipv4', 'ipv6', 'ipv4+ipv6'))),
    ipv4: optional(ipv4Config),
    ipv6: optional(ipv6Config),
    mptcp: optional(mptcpConfig),
    controller: optional(str),
    'accept-all-mac-addresses': optional(boolOrString),
    'copy-mac-from': optional(str),
    'ovs-db': optional(ovsDbInterfaceConfig),
    '802.1x': optional(ieee8021xConfig),
    lldp: optional(lldpConfig),
    ethtool: optional(ethtoolConfig),
    dispatch: optional(dispatchConfig),
    'alt-names': optional(list(altNameEntry)),
  };
}

/** Keys an absent interface keeps; nmstate drops the others with a warning before reading. */
export const ABSENT_INTERFACE_KEYS: ReadonlySet<string> = new Set([
  'name',
  'type',
  'state',
  'identifier',
  'mac-address',
  'pci-address',
]);

/** The smallest MTU Linux allows on an interface with IPv6 enabled (RFC 8200). */
export const MINIMUM_IPV6_MTU = 1280;
