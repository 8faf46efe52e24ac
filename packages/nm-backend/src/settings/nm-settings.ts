import { areNmValuesEqual, type NmValue } from './nm-value.js';

/** One setting of a connection profile (`ipv4`, `bond`…): property name to value. */
export type NmSetting = Record<string, NmValue>;

/**
 * A NetworkManager connection profile as the D-Bus API carries it
 * (`a{sa{sv}}`): setting name (`connection`, `802-3-ethernet`, `ipv4`…) to
 * its properties. Setting names are the D-Bus names, never keyfile aliases
 * (`802-3-ethernet`, not `ethernet`).
 */
export type NmSettings = Record<string, NmSetting>;

/** D-Bus setting names that appear in more than one place. */
export const NM_SETTING = {
  connection: 'connection',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  wired: '802-3-ethernet',
  ieee8021x: '802-1x',
  bond: 'bond',
  bondPort: 'bond-port',
  bridge: 'bridge',
  bridgePort: 'bridge-port',
  ovsBridge: 'ovs-bridge',
  ovsPort: 'ovs-port',
  ovsInterface: 'ovs-interface',
  ovsPatch: 'ovs-patch',
  ovsDpdk: 'ovs-dpdk',
  ovsExternalIds: 'ovs-external-ids',
  ovsOtherConfig: 'ovs-other-config',
  ethtool: 'ethtool',
  sriov: 'sriov',
  user: 'user',
  match: 'match',
} as const;

/**
 * `connection.type` values (NetworkManager's setting names of the base type),
 * by nmstate interface type where they differ in spelling.
 */
export const NM_CONNECTION_TYPE = {
  ethernet: '802-3-ethernet',
  bridge: 'bridge',
  bond: 'bond',
  vlan: 'vlan',
  vxlan: 'vxlan',
  dummy: 'dummy',
  veth: 'veth',
  macvlan: 'macvlan',
  macsec: 'macsec',
  vrf: 'vrf',
  infiniband: 'infiniband',
  loopback: 'loopback',
  hsr: 'hsr',
  vpn: 'vpn',
  ipTunnel: 'ip-tunnel',
  ipvlan: 'ipvlan',
  tun: 'tun',
  ovsBridge: 'ovs-bridge',
  ovsPort: 'ovs-port',
  ovsInterface: 'ovs-interface',
} as const;

/** A deep copy, so that callers may edit a profile without touching the original. */
export function cloneNmSettings(settings: NmSettings): NmSettings {
  return Object.fromEntries(Object.entries(settings).map(([name, setting]) => [name, { ...setting }]));
}

/** Deep equality of two profiles: same settings, same keys, same typed values. */
export function areNmSettingsEqual(a: NmSettings, b: NmSettings): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => {
    const sa = a[name];
    const sb = b[name];
    if (!sa || !sb) return false;
    const keys = Object.keys(sa);
    if (keys.length !== Object.keys(sb).length) return false;
    return keys.every((k) => {
      const va = sa[k];
      const vb = sb[k];
      return va !== undefined && vb !== undefined && areNmValuesEqual(va, vb);
    });
  });
}

/** `connection.<key>` as a string, when the profile has it as one. */
export function getConnectionString(settings: NmSettings, key: string): string | undefined {
  const value = settings[NM_SETTING.connection]?.[key];
  return value?.type === 's' ? value.value : undefined;
}

/** The profile name (`connection.id`). */
export function getConnectionId(settings: NmSettings): string | undefined {
  return getConnectionString(settings, 'id');
}

/** The profile UUID (`connection.uuid`). */
export function getConnectionUuid(settings: NmSettings): string | undefined {
  return getConnectionString(settings, 'uuid');
}

/** The NetworkManager connection type (`connection.type`: `802-3-ethernet`, `bond`…). */
export function getConnectionType(settings: NmSettings): string | undefined {
  return getConnectionString(settings, 'type');
}

/** The interface the profile applies to (`connection.interface-name`). */
export function getConnectionInterfaceName(settings: NmSettings): string | undefined {
  return getConnectionString(settings, 'interface-name');
}
