import type { NetworkState } from '@nmfleet/model';
import type { ShowOptions } from '../backend.js';
import type { NmProfile } from '../dbus/nm-client.js';
import type { KernelFacts, KernelLink, KernelRoute } from '../kernel/kernel-reader.js';
import { bytesToIpv6, networkUint32ToIpv4 } from '../settings/ip-bytes.js';
import type { NmSettings } from '../settings/nm-settings.js';
import type { NmDict, NmValue } from '../settings/nm-value.js';
import type { InterfaceTree, Tree } from '../state/state-tree.js';

/** Everything `show` combines: kernel facts for what runs, profiles for what is configured. */
export interface ShowInputs {
  kernel: KernelFacts;
  /** Profiles by the interface they are active on (or bound to, when inactive). */
  profiles: ReadonlyMap<string, NmProfile>;
  /** NetworkManager's DNS configuration in use (DnsManager.Configuration). */
  dnsRunning: { server: string[]; search: string[] } | undefined;
  hostname: { running?: string; config?: string };
}

const MAIN_TABLE = 254;
/** What NetworkManager uses for `dns-priority` 0 on a non-VPN profile. */
const DEFAULT_DNS_PRIORITY = 100;
const KERNEL_TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };
/** `linkinfo.info_kind` → nmstate type. */
const TYPE_BY_KIND: Record<string, string> = {
  veth: 'veth',
  bridge: 'linux-bridge',
  bond: 'bond',
  vlan: 'vlan',
  vxlan: 'vxlan',
  macvlan: 'mac-vlan',
  macvtap: 'mac-vtap',
  ipvlan: 'ipvlan',
  vrf: 'vrf',
  dummy: 'dummy',
  hsr: 'hsr',
  macsec: 'macsec',
};
/** NetworkManager's IPv6 methods that mean the stack is off. */
const IPV6_OFF = new Set(['disabled', 'ignore']);

/**
 * The host as one model state in `nmstatectl show`'s shape: interfaces and
 * routes as the kernel runs them, with NetworkManager's profiles saying how
 * each was configured (static or dynamic IP, configured routes, rules, DNS).
 */
export function buildShowState(inputs: ShowInputs, options: ShowOptions = {}): NetworkState {
  const links = inputs.kernel.links;
  const portsOf = new Map<string, string[]>();
  for (const link of links) if (link.master) portsOf.set(link.master, [...(portsOf.get(link.master) ?? []), link.ifname]);

  const interfaces: InterfaceTree[] = [];
  for (const link of [...links].sort((a, b) => a.ifname.localeCompare(b.ifname))) {
    const profile = inputs.profiles.get(link.ifname);
    if (options.runningConfig && !profile) continue;
    interfaces.push(describeLink(link, profile?.settings, portsOf.get(link.ifname) ?? [], options));
  }

  const configRoutes: Tree[] = [];
  const configRules: Tree[] = [];
  const dnsSources: { priority: number; family: 'ipv4' | 'ipv6'; servers: string[] }[] = [];
  const dnsSearch: string[] = [];
  for (const [name, profile] of [...inputs.profiles].sort(([a], [b]) => a.localeCompare(b))) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const setting = profile.settings[family];
      if (!setting) continue;
      configRoutes.push(...readRoutes(setting['route-data'], name));
      configRules.push(...readRules(setting['routing-rules'], family));
      const servers = readDnsServers(setting['dns'], family);
      const priority = setting['dns-priority']?.type === 'i' ? setting['dns-priority'].value : 0;
      if (servers.length > 0) dnsSources.push({ priority: priority === 0 ? DEFAULT_DNS_PRIORITY : priority, family, servers });
      dnsSearch.push(...readStrings(setting['dns-search']));
    }
  }
  // NetworkManager orders name servers by dns-priority; nmstate lists IPv6 ones first when priorities tie.
  dnsSources.sort((a, b) => a.priority - b.priority || (a.family === b.family ? 0 : a.family === 'ipv6' ? -1 : 1));
  const dnsServers = dnsSources.flatMap((source) => source.servers);
  const dnsConfig: Tree = {};
  if (dnsServers.length > 0) dnsConfig['server'] = unique(dnsServers);
  if (dnsSearch.length > 0) dnsConfig['search'] = unique(dnsSearch);

  const out: Tree = {};
  if (!options.runningConfig && inputs.hostname.running !== undefined) out['hostname'] = { running: inputs.hostname.running, config: inputs.hostname.config ?? inputs.hostname.running };
  const running: Tree = {};
  if (inputs.dnsRunning?.server.length) running['server'] = inputs.dnsRunning.server;
  if (inputs.dnsRunning?.search.length) running['search'] = inputs.dnsRunning.search;
  out['dns-resolver'] = options.runningConfig ? { config: dnsConfig } : { running, config: dnsConfig };
  out['route-rules'] = { config: configRules };
  out['routes'] = options.runningConfig ? { config: configRoutes } : { running: readRunningRoutes(inputs.kernel), config: configRoutes };
  out['interfaces'] = interfaces;
  return out as unknown as NetworkState;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function typeOf(link: KernelLink): string {
  if (link.link_type === 'loopback') return 'loopback';
  const kind = link.linkinfo?.info_kind;
  if (kind === undefined) return link.link_type === 'ether' ? 'ethernet' : 'unknown';
  return TYPE_BY_KIND[kind] ?? 'unknown';
}

function describeLink(link: KernelLink, settings: NmSettings | undefined, ports: string[], options: ShowOptions): InterfaceTree {
  const type = typeOf(link);
  const iface: InterfaceTree = { name: link.ifname, type, state: link.flags.includes('UP') ? 'up' : 'down' };
  if (!options.runningConfig) {
    if (link.address !== undefined) iface['mac-address'] = link.address.toUpperCase();
    iface['mtu'] = link.mtu;
  }
  if (link.master !== undefined) iface['controller'] = link.master;
  const addresses = link.addr_info ?? [];
  iface['ipv4'] = describeIp(settings?.['ipv4'], addresses.filter((a) => a.family === 'inet'), 'ipv4', link.master !== undefined, options);
  iface['ipv6'] = describeIp(settings?.['ipv6'], addresses.filter((a) => a.family === 'inet6'), 'ipv6', link.master !== undefined, options);
  const data = link.linkinfo?.info_data ?? {};
  switch (type) {
    case 'veth':
      if (link.link !== undefined) iface['veth'] = { peer: link.link };
      break;
    case 'linux-bridge':
      iface['bridge'] = { options: { stp: { enabled: Number(data['stp_state'] ?? 0) !== 0 } }, port: ports.sort().map((name) => ({ name })) };
      break;
    case 'mac-vlan':
    case 'mac-vtap':
      iface[type] = { 'base-iface': link.link, mode: data['mode'], promiscuous: !String(data['flags'] ?? '').includes('nopromisc') };
      break;
    case 'vxlan': {
      const vxlan: Tree = { id: data['id'], 'destination-port': data['port'] };
      if (data['link'] !== undefined) vxlan['base-iface'] = data['link'];
      if (data['remote'] !== undefined) vxlan['remote'] = data['remote'] ?? data['group'];
      if (data['local'] !== undefined) vxlan['local'] = data['local'];
      if (typeof data['learning'] === 'boolean') vxlan['learning'] = data['learning'];
      iface['vxlan'] = vxlan;
      break;
    }
  }
  return iface;
}

function describeIp(
  setting: NmSettings[string] | undefined,
  addresses: { local: string; prefixlen: number; scope?: string }[],
  family: 'ipv4' | 'ipv6',
  isPort: boolean,
  options: ShowOptions,
): Tree {
  const method = readString(setting?.['method']);
  const off = family === 'ipv4' ? method === 'disabled' : method !== undefined && IPV6_OFF.has(method);
  if (isPort || off || (method === undefined && addresses.length === 0)) return { enabled: false };
  const dynamic = method === 'auto' || method === 'dhcp';
  const out: Tree = { enabled: true, dhcp: dynamic };
  if (family === 'ipv6') out['autoconf'] = method === 'auto';
  const shown = options.runningConfig ? addresses.filter((a) => a.scope !== 'link') : addresses;
  if (shown.length > 0 || !dynamic) out['address'] = shown.map((a) => ({ ip: a.local, 'prefix-length': a.prefixlen }));
  return out;
}

function readString(value: NmValue | undefined): string | undefined {
  return value?.type === 's' ? value.value : undefined;
}

function readStrings(value: NmValue | undefined): string[] {
  return value?.type === 'as' ? [...value.value] : [];
}

function readDicts(value: NmValue | undefined): NmDict[] {
  return value?.type === 'aa{sv}' ? [...value.value] : [];
}

function scalar(dict: NmDict, key: string): string | number | boolean | undefined {
  const v = dict[key];
  if (v === undefined) return undefined;
  return typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean' ? v.value : undefined;
}

function readRoutes(value: NmValue | undefined, iface: string): Tree[] {
  return readDicts(value).map((r) => {
    const route: Tree = { destination: `${String(scalar(r, 'dest'))}/${String(scalar(r, 'prefix'))}`, 'next-hop-interface': iface };
    const via = scalar(r, 'next-hop');
    if (via !== undefined) route['next-hop-address'] = via;
    const metric = scalar(r, 'metric');
    if (metric !== undefined) route['metric'] = metric;
    route['table-id'] = scalar(r, 'table') ?? MAIN_TABLE;
    return route;
  });
}

function readRules(value: NmValue | undefined, family: 'ipv4' | 'ipv6'): Tree[] {
  return readDicts(value).map((r) => {
    const rule: Tree = { family };
    const from = scalar(r, 'from');
    if (from !== undefined) rule['ip-from'] = `${String(from)}/${String(scalar(r, 'from-len'))}`;
    const to = scalar(r, 'to');
    if (to !== undefined) rule['ip-to'] = `${String(to)}/${String(scalar(r, 'to-len'))}`;
    const priority = scalar(r, 'priority');
    if (priority !== undefined) rule['priority'] = priority;
    const table = scalar(r, 'table');
    if (table !== undefined) rule['route-table'] = table;
    const fwmark = scalar(r, 'fwmark');
    if (fwmark !== undefined) rule['fwmark'] = fwmark;
    const fwmask = scalar(r, 'fwmask');
    if (fwmask !== undefined) rule['fwmask'] = fwmask;
    const iif = scalar(r, 'iifname');
    if (iif !== undefined) rule['iif'] = iif;
    return rule;
  });
}

function readDnsServers(value: NmValue | undefined, family: 'ipv4' | 'ipv6'): string[] {
  if (family === 'ipv4' && value?.type === 'au') return value.value.map(networkUint32ToIpv4);
  if (family === 'ipv6' && value?.type === 'aay') return value.value.map(bytesToIpv6);
  return readStrings(value);
}

/** Routes as the kernel runs them: unicast routes of every table but `local`, without the kernel's own prefix and link-local routes. */
function readRunningRoutes(kernel: KernelFacts): Tree[] {
  const out: Tree[] = [];
  for (const { family, route } of kernel.routes) {
    if (!isShownRoute(route)) continue;
    const entry: Tree = { destination: toDestination(route.dst, family) };
    if (route.dev !== undefined) entry['next-hop-interface'] = route.dev;
    if (route.gateway !== undefined) entry['next-hop-address'] = route.gateway;
    entry['metric'] = route.metric ?? 0;
    entry['table-id'] = route.table === undefined ? MAIN_TABLE : (KERNEL_TABLES[route.table] ?? Number(route.table));
    out.push(entry);
  }
  return out;
}

function isShownRoute(route: KernelRoute): boolean {
  if (route.type !== undefined && route.type !== 'unicast') return false;
  if (route.table === 'local') return false;
  return route.protocol !== 'kernel';
}

function toDestination(dst: string, family: 'inet' | 'inet6'): string {
  if (dst === 'default') return family === 'inet' ? '0.0.0.0/0' : '::/0';
  if (dst.includes('/')) return dst;
  return `${dst}/${family === 'inet' ? 32 : 128}`;
}
