import type { NetworkState } from '@nmfleet/model';
import type { ShowOptions } from '../backend.js';
import type { KernelFacts, KernelLink, KernelRoute } from '../kernel/kernel-reader.js';
import { fromNmProfiles, fromNmSettings, type ProfileState } from '../settings/from-nm-settings.js';
import { NMSTATE_TYPE_BY_CONNECTION_TYPE } from '../settings/interface-converters.js';
import { getConnectionInterfaceName, getConnectionType, NM_CONNECTION_TYPE, type NmSettings } from '../settings/nm-settings.js';
import type { InterfaceDns } from '../settings/settings-input.js';
import type { InterfaceTree, Tree } from '../state/state-tree.js';
import { describeKernelLink, isDynamicAddress } from './kernel-interface.js';
import { overlayProfile } from './profile-overlay.js';

/** Everything `show` combines: kernel facts for what runs, profiles for what is configured. */
export interface ShowInputs {
  kernel: KernelFacts;
  /** The profile of each interface: the one active on it, else the first bound to it by name. */
  profiles: ReadonlyMap<string, { readonly settings: NmSettings }>;
  /** NetworkManager's DNS configuration in use (DnsManager.Configuration). */
  dnsRunning: { server: string[]; search: string[] } | undefined;
  hostname: { running?: string; config?: string };
}

const MAIN_TABLE = 254;
/** What NetworkManager uses for `dns-priority` 0 on a non-VPN profile. */
const DEFAULT_DNS_PRIORITY = 100;
const KERNEL_TABLES: Readonly<Record<string, number>> = { main: 254, local: 255, default: 253 };

/** Whether nmstate reads the profile as an interface (an OVS port profile belongs to its bridge). */
function isModelledProfile(settings: NmSettings): boolean {
  const type = getConnectionType(settings);
  return type !== undefined && (type in NMSTATE_TYPE_BY_CONNECTION_TYPE || type === NM_CONNECTION_TYPE.macvlan || type === NM_CONNECTION_TYPE.ovsPort);
}

/** The profiles in the model's terms, by interface name (and the raw settings of each). */
function readProfiles(profiles: ShowInputs['profiles']): Map<string, { state: ProfileState; settings: NmSettings }> {
  const list = [...profiles.values()].map((p) => p.settings).filter(isModelledProfile);
  const bySettingsName = new Map(list.flatMap((s) => {
    const name = getConnectionInterfaceName(s);
    return name === undefined || getConnectionType(s) === NM_CONNECTION_TYPE.ovsPort ? [] : [[name, s] as const];
  }));
  const out = new Map<string, { state: ProfileState; settings: NmSettings }>();
  for (const state of readAsModel(list)) {
    const settings = bySettingsName.get(state.iface.name);
    if (settings) out.set(state.iface.name, { state, settings });
  }
  return out;
}

/** The profiles as the model reads them; one it cannot read (someone else's malformed profile) is left out rather than failing `show`. */
function readAsModel(list: NmSettings[]): ProfileState[] {
  try {
    return fromNmProfiles(list);
  } catch {
    return fromNmProfiles(list.filter((settings) => isReadable(settings)));
  }
}

function isReadable(settings: NmSettings): boolean {
  try {
    fromNmSettings(settings);
    return true;
  } catch {
    return false;
  }
}

/**
 * The host as one model state in `nmstatectl show`'s shape: interfaces,
 * addresses and routes as the kernel runs them, NetworkManager's profiles
 * (read by `fromNmProfiles`) saying how each is configured, and the routes,
 * rules and DNS they configure. With `runningConfig`, only configuration:
 * no running routes or DNS, no dynamic addresses, no MTU range.
 */
export function buildShowState(inputs: ShowInputs, options: ShowOptions = {}): NetworkState {
  const links = inputs.kernel.links;
  const portsOf = new Map<string, KernelLink[]>();
  for (const link of links) if (link.master) portsOf.set(link.master, [...(portsOf.get(link.master) ?? []), link]);
  const profiles = readProfiles(inputs.profiles);

  const interfaces: InterfaceTree[] = [];
  for (const link of [...links].sort((a, b) => (a.ifname < b.ifname ? -1 : a.ifname > b.ifname ? 1 : 0))) {
    const shown = options.runningConfig ? { ...link, addr_info: (link.addr_info ?? []).filter((a) => !isDynamicAddress(a)) } : link;
    let iface = describeKernelLink(shown, { portsOf, ipv4Forwarding: inputs.kernel.ipv4Forwarding.get(link.ifname) });
    const profile = profiles.get(link.ifname);
    if (profile) iface = overlayProfile(iface, profile.state, profile.settings, options.showSecrets === true);
    if (options.runningConfig) {
      delete iface['min-mtu'];
      delete iface['max-mtu'];
    }
    interfaces.push(iface);
  }

  const configRoutes: Tree[] = [];
  const configRules: Tree[] = [];
  const dnsSources: { priority: number; family: 'ipv4' | 'ipv6'; dns: InterfaceDns }[] = [];
  for (const [, { state }] of [...profiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    configRoutes.push(...(state.routes as unknown as Tree[]));
    configRules.push(...(state.rules.ipv4 as unknown as Tree[]), ...(state.rules.ipv6 as unknown as Tree[]));
    for (const family of ['ipv4', 'ipv6'] as const) {
      const dns = state.dns[family];
      if (dns) dnsSources.push({ priority: dns.priority === undefined || dns.priority === 0 ? DEFAULT_DNS_PRIORITY : dns.priority, family, dns });
    }
  }
  // NetworkManager orders name servers by dns-priority; nmstate lists IPv6 ones first when priorities tie.
  dnsSources.sort((a, b) => a.priority - b.priority || (a.family === b.family ? 0 : a.family === 'ipv6' ? -1 : 1));
  const dnsConfig: Tree = {};
  const servers = unique(dnsSources.flatMap((s) => [...s.dns.servers]));
  const searches = unique(dnsSources.flatMap((s) => [...s.dns.searches]));
  const dnsOptions = unique(dnsSources.flatMap((s) => [...s.dns.options]));
  if (servers.length > 0) dnsConfig['server'] = servers;
  if (searches.length > 0) dnsConfig['search'] = searches;
  if (dnsOptions.length > 0) dnsConfig['options'] = dnsOptions;

  const out: Tree = {};
  if (inputs.hostname.running !== undefined) out['hostname'] = { running: inputs.hostname.running, config: inputs.hostname.config ?? inputs.hostname.running };
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
