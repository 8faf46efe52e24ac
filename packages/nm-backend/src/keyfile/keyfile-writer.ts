import { BackendError } from '../backend.js';
import { bytesToIpv6, networkUint32ToIpv4 } from '../settings/ip-bytes.js';
import { NM_SETTING, type NmSetting, type NmSettings } from '../settings/nm-settings.js';
import type { NmDict, NmValue } from '../settings/nm-value.js';
import { formatKeyfile, type KeyfileDocument, type KeyfileSection } from './keyfile-text.js';

/**
 * Section order of nmstatectl's keyfiles. Settings NetworkManager knows but
 * nmstate never prints (`hsr`, `ipvlan`, `ip-tunnel`, `loopback`, settings kept
 * from an existing profile) follow in name order.
 */
const SECTION_ORDER: readonly string[] = [
  'connection',
  'bond',
  'bond-port',
  'bridge',
  'bridge-port',
  'ipv4',
  'ipv6',
  'ovs-bridge',
  'ovs-port',
  'ovs-interface',
  'ovs-patch',
  'ovs-dpdk',
  '802-3-ethernet',
  'vlan',
  'vxlan',
  'sriov',
  'macvlan',
  'macsec',
  'vrf',
  'veth',
  'user',
  '802-1x',
  'ethtool',
  'infiniband',
  'ovs-external-ids',
  'ovs-other-config',
  'vpn',
  'match',
];

/** D-Bus setting names that keyfiles spell differently (NetworkManager's aliases). */
export const KEYFILE_SECTION_ALIASES: Readonly<Record<string, string>> = {
  '802-3-ethernet': 'ethernet',
  '802-11-wireless': 'wifi',
  '802-11-wireless-security': 'wifi-security',
};

const DEFAULT_ROUTE_TABLE = 254;
const AF_INET = 2;
const GLIB_FILE_URI_PREFIX = 'file://';
/*
 * MAC address properties are bytes on D-Bus and `AA:BB:…` in keyfiles.
 * nmstatectl 2.2.62 prints bridge.group-address as decimal bytes
 * (`1;128;194;0;0;14`), which NetworkManager rejects; we write the address.
 */
const MAC_ADDRESS_KEYS = new Set(['802-3-ethernet.mac-address', '802-3-ethernet.cloned-mac-address', 'bridge.group-address']);
const CERTIFICATE_KEYS = new Set(['802-1x.ca-cert', '802-1x.client-cert', '802-1x.private-key']);
const ROUTE_OPTION_ORDER = ['weight', 'type', 'cwnd', 'lock-cwnd', 'src', 'initcwnd', 'initrwnd', 'mtu', 'lock-mtu', 'quickack', 'advmss'];
const RULE_ACTION_NAMES: Readonly<Record<number, string>> = { 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };

type Entries = [string, string][];

function fail(where: string, message: string): never {
  throw new BackendError('unsupported', `${where}: ${message}`, { where });
}

function formatScalar(value: NmValue, where: string): string {
  switch (value.type) {
    case 'b':
      return value.value ? 'true' : 'false';
    case 'y':
    case 'q':
    case 'i':
    case 'u':
    case 'x':
    case 't':
      return String(value.value);
    case 's':
      return value.value;
    case 'as':
      return value.value.join(';');
    case 'au':
      return value.value.join(';');
    case 'ay':
      return [...value.value].join(';');
    default:
      return fail(where, `a '${value.type}' value has no generic keyfile form`);
  }
}

function dictNumber(dict: NmDict, key: string): number | undefined {
  const v = dict[key];
  return v && typeof v.value === 'number' ? v.value : undefined;
}

function dictString(dict: NmDict, key: string): string | undefined {
  const v = dict[key];
  return v?.type === 's' ? v.value : undefined;
}

function dictBool(dict: NmDict, key: string): boolean | undefined {
  const v = dict[key];
  return v?.type === 'b' ? v.value : undefined;
}

function requireType<T extends NmValue['type']>(value: NmValue, type: T, where: string): Extract<NmValue, { type: T }> {
  if (value.type !== type) fail(where, `expected a '${type}' value, got '${value.type}'`);
  return value as Extract<NmValue, { type: T }>;
}

function formatAddresses(value: NmValue, where: string): Entries {
  return requireType(value, 'aa{sv}', where).value.flatMap((addr, i): Entries => {
    const ip = dictString(addr, 'address');
    const prefix = dictNumber(addr, 'prefix');
    return ip === undefined || prefix === undefined ? [] : [[`address${i}`, `${ip}/${prefix}`]];
  });
}

function formatRoute(route: NmDict): { line: string; options: string } | undefined {
  const dest = dictString(route, 'dest');
  const prefix = dictNumber(route, 'prefix');
  if (dest === undefined || prefix === undefined) return undefined;
  const nextHop = dictString(route, 'next-hop');
  const metric = dictNumber(route, 'metric');
  const fields = [`${dest}/${prefix}`];
  if (nextHop !== undefined) fields.push(nextHop);
  else if (metric !== undefined) fields.push('');
  if (metric !== undefined) fields.push(String(metric));
  const options = [`table=${dictNumber(route, 'table') ?? DEFAULT_ROUTE_TABLE}`];
  for (const key of ROUTE_OPTION_ORDER) {
    const v = route[key];
    if (v !== undefined) options.push(`${key}=${formatScalar(v, `route option ${key}`)}`);
  }
  return { line: fields.join(','), options: options.join(',') };
}

function formatRoutes(value: NmValue, where: string): Entries {
  return requireType(value, 'aa{sv}', where).value.flatMap((route, i): Entries => {
    const r = formatRoute(route);
    return r ? [[`route${i}`, r.line], [`route${i}_options`, r.options]] : [];
  });
}

function formatRule(rule: NmDict): string | undefined {
  const priority = dictNumber(rule, 'priority');
  if (priority === undefined) return undefined;
  const words = [`priority ${priority}`];
  const prefixed = (addrKey: string, lenKey: string): string | undefined => {
    const addr = dictString(rule, addrKey);
    if (addr === undefined) return undefined;
    const len = dictNumber(rule, lenKey);
    return len === undefined ? addr : `${addr}/${len}`;
  };
  const to = prefixed('to', 'to-len');
  if (to !== undefined) words.push(`to ${to}`);
  const from = prefixed('from', 'from-len');
  if (from !== undefined) words.push(`from ${from}`);
  else if (to === undefined) words.push(dictNumber(rule, 'family') === AF_INET || dictNumber(rule, 'family') === undefined ? 'from 0.0.0.0/0' : 'from ::/0');
  const iif = dictString(rule, 'iifname');
  if (iif !== undefined) words.push(`iif ${iif}`);
  const suppress = dictNumber(rule, 'suppress-prefixlength');
  if (suppress !== undefined) words.push(`suppress_prefixlength ${suppress}`);
  const action = dictNumber(rule, 'action');
  if (action !== undefined) words.push(`type ${RULE_ACTION_NAMES[action] ?? action}`);
  words.push(`table ${dictNumber(rule, 'table') ?? DEFAULT_ROUTE_TABLE}`);
  const mark = dictNumber(rule, 'fwmark');
  const mask = dictNumber(rule, 'fwmask');
  if (mark !== undefined) words.push(mask === undefined ? `fwmark ${mark}` : `fwmark ${mark}/${mask}`);
  return words.join(' ');
}

function formatRules(value: NmValue, where: string): Entries {
  return requireType(value, 'aa{sv}', where).value.flatMap((rule, i): Entries => {
    const line = formatRule(rule);
    return line === undefined ? [] : [[`routing-rule${i}`, line]];
  });
}

function formatDns(value: NmValue, where: string): string {
  if (value.type === 'au') return value.value.map(networkUint32ToIpv4).join(';');
  if (value.type === 'aay') return value.value.map(bytesToIpv6).join(';');
  if (value.type === 'as') return value.value.join(';');
  return fail(where, `expected DNS servers as 'au', 'aay' or 'as', got '${value.type}'`);
}

function formatVlanRanges(value: NmValue, where: string, withFlags: boolean, startKey: string, endKey: string): string {
  const ranges = [...requireType(value, 'aa{sv}', where).value].sort((a, b) => (dictNumber(a, startKey) ?? 0) - (dictNumber(b, startKey) ?? 0));
  return ranges
    .map((r) => {
      const start = dictNumber(r, startKey) ?? 0;
      const end = dictNumber(r, endKey) ?? 0;
      let text = start === end ? String(start) : `${start}-${end}`;
      if (withFlags && dictBool(r, 'pvid')) text += ' pvid';
      if (withFlags && dictBool(r, 'untagged')) text += ' untagged';
      return text;
    })
    .join(',');
}

function formatSriovVf(vf: NmDict): string {
  const words: string[] = [];
  for (const key of ['mac', 'spoof-check', 'trust', 'min-tx-rate', 'max-tx-rate']) {
    const v = vf[key];
    if (v !== undefined) words.push(`${key}=${formatScalar(v, `sriov vf ${key}`)}`);
  }
  const vlans = vf['vlans'];
  if (vlans?.type === 'aa{sv}') {
    const text = vlans.value.map((v) => `${dictNumber(v, 'id') ?? 0}.${dictNumber(v, 'qos') ?? 0}.${dictNumber(v, 'protocol') === 1 ? 'ad' : 'q'}`);
    words.push(`vlans=${text.join(';')}`);
  }
  return words.join(' ');
}

function formatMac(value: NmValue, where: string): string {
  if (value.type === 's') return value.value;
  return [...requireType(value, 'ay', where).value].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

function formatCertificate(value: NmValue, where: string): string {
  if (value.type !== 'ay') return formatScalar(value, where);
  const text = new TextDecoder().decode(value.value).replace(/\0+$/, '');
  return text.startsWith(GLIB_FILE_URI_PREFIX) ? text.slice(GLIB_FILE_URI_PREFIX.length) : formatScalar(value, where);
}

function formatStringDict(value: NmValue, where: string, keyPrefix = ''): Entries {
  return Object.entries(requireType(value, 'a{ss}', where).value).map(([k, v]): [string, string] => [`${keyPrefix}${k}`, v]);
}

/** The `key=value` entries of one setting, before sorting; `vpn.secrets` is returned separately. */
function formatSetting(name: string, setting: NmSetting): { entries: Entries; vpnSecrets?: Entries } {
  const entries: Entries = [];
  let vpnSecrets: Entries | undefined;
  const isIp = name === NM_SETTING.ipv4 || name === NM_SETTING.ipv6;
  for (const [key, value] of Object.entries(setting)) {
    const where = `${name}.${key}`;
    const id = `${name}.${key}`;
    if (isIp && key === 'address-data') entries.push(...formatAddresses(value, where));
    else if (isIp && key === 'route-data') entries.push(...formatRoutes(value, where));
    else if (isIp && key === 'routing-rules') entries.push(...formatRules(value, where));
    else if (isIp && key === 'dns') entries.push([key, formatDns(value, where)]);
    else if (isIp && (key === 'addresses' || key === 'routes')) {
      // Deprecated D-Bus forms of address-data/route-data: the keyfile carries the data ones.
    } else if (name === NM_SETTING.bond && key === 'options') entries.push(...formatStringDict(value, where));
    else if ((name === NM_SETTING.bridge || name === NM_SETTING.bridgePort) && key === 'vlans') entries.push([key, formatVlanRanges(value, where, true, 'vid-start', 'vid-end')]);
    else if (name === NM_SETTING.ovsPort && key === 'trunks') entries.push([key, formatVlanRanges(value, where, false, 'start', 'end')]);
    else if ((name === NM_SETTING.ovsExternalIds || name === NM_SETTING.ovsOtherConfig) && key === 'data') entries.push(...formatStringDict(value, where, 'data.'));
    else if (name === NM_SETTING.user && key === 'data') entries.push(...formatStringDict(value, where));
    else if (name === 'vpn' && key === 'data') entries.push(...formatStringDict(value, where));
    else if (name === 'vpn' && key === 'secrets') vpnSecrets = formatStringDict(value, where);
    else if (name === NM_SETTING.sriov && key === 'vfs') {
      for (const vf of requireType(value, 'aa{sv}', where).value) {
        const index = dictNumber(vf, 'index');
        if (index !== undefined) entries.push([`vf.${index}`, formatSriovVf(vf)]);
      }
    } else if (MAC_ADDRESS_KEYS.has(id)) entries.push([key, formatMac(value, where)]);
    else if (CERTIFICATE_KEYS.has(id)) entries.push([key, formatCertificate(value, where)]);
    // NetworkManager's own keyfiles end the EAP list with ';', and so does nmstatectl.
    else if (id === '802-1x.eap' && value.type === 'as') entries.push([key, [...value.value, ''].join(';')]);
    else entries.push([key, formatScalar(value, where)]);
  }
  return vpnSecrets ? { entries, vpnSecrets } : { entries };
}

function toSection(name: string, entries: Entries): KeyfileSection {
  const kept = entries.filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { name: KEYFILE_SECTION_ALIASES[name] ?? name, entries: kept };
}

/**
 * A profile as keyfile sections, in nmstatectl's layout: its section order,
 * keys sorted, empty values left out, addresses and routes numbered from 0,
 * `vpn.secrets` in a `[vpn-secrets]` section. Fails with kind `unsupported`
 * on a value that has no keyfile spelling.
 */
export function toKeyfileDocument(settings: NmSettings): KeyfileDocument {
  const known = SECTION_ORDER.filter((name) => settings[name] !== undefined);
  const others = Object.keys(settings)
    .filter((name) => !SECTION_ORDER.includes(name))
    .sort();
  const sections: KeyfileSection[] = [];
  for (const name of [...known, ...others]) {
    const setting = settings[name];
    if (!setting) continue;
    const { entries, vpnSecrets } = formatSetting(name, setting);
    sections.push(toSection(name, entries));
    if (vpnSecrets) sections.push(toSection('vpn-secrets', vpnSecrets));
  }
  return sections;
}

/** A profile as keyfile text (what `nmstatectl gc` prints and NetworkManager reads). */
export function renderKeyfile(settings: NmSettings): string {
  return formatKeyfile(toKeyfileDocument(settings));
}
