import type { IpConfig } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { canonicalizeIpv6, ipv6ToBytes } from '../settings/ip-bytes.js';
import { parseIpv4Octets } from '@nmfleet/model';
import { isIpv6Text } from '../settings/route-setting.js';
import type { InterfaceDns } from '../settings/settings-input.js';
import { ensureStack, isUserspaceType, markChanged, type PlacedInterface, type PlacedInterfaces } from './placed-interface.js';

/*
 * NetworkManager keeps name servers per IP setting of a profile, so nmstate
 * picks an interface per family (one that already holds DNS and stays
 * valid, else a desired one configured statically, else any desired one with
 * the stack on, else an unchanged one; never loopback) and gives the family
 * of the first server the search list, the options and the better priority.
 */

const DNS_PRIORITY = 40;
const SECOND_FAMILY_DNS_PRIORITY = DNS_PRIORITY + 10;
const OPTIONS_WITHOUT_VALUE = new Set([
  'debug', 'edns0', 'inet6', 'ip6-bytestring', 'ip6-dotint', 'no-aaaa', 'no-check-names', 'no-ip6-dotint', 'no-reload', 'no-tld-query',
  'rotate', 'single-request', 'single-request-reopen', 'trust-ad', 'use-vc',
]);
const OPTIONS_WITH_VALUE = new Set(['ndots', 'timeout', 'attempts']);
const NO_DNS: InterfaceDns = { servers: [], searches: [], options: [] };

/** `dns-resolver.config` as the model has it. */
export interface DnsConfig {
  readonly server?: readonly string[];
  readonly search?: readonly string[];
  readonly options?: readonly string[];
}

type Family = 'ipv4' | 'ipv6';

function invalid(message: string): never {
  throw new BackendError('invalid-state', message);
}

function toFamily(v6: boolean): Family {
  return v6 ? 'ipv6' : 'ipv4';
}

function sanitizeServer(server: string): string {
  if (isIpv6Text(server)) {
    const [ip = '', scope, extra] = server.split('%');
    if (extra !== undefined || !ipv6ToBytes(ip)) invalid(`Invalid DNS server string ${server}`);
    return scope === undefined ? canonicalizeIpv6(ip) : `${canonicalizeIpv6(ip)}%${scope}`;
  }
  if (!parseIpv4Octets(server)) invalid(`Invalid DNS server string ${server}`);
  return server;
}

function validateOptions(options: readonly string[]): void {
  const supported = `only support these without value: ${[...OPTIONS_WITHOUT_VALUE].join(', ')} and these with values: ${[...OPTIONS_WITH_VALUE].join(':n, ')}`;
  for (const opt of options) {
    const colon = opt.indexOf(':');
    if (colon >= 0 && !OPTIONS_WITH_VALUE.has(opt.slice(0, colon))) invalid(`Option '${opt.slice(0, colon)}' is not supported to hold a value, ${supported}:n`);
    if (colon < 0 && !OPTIONS_WITHOUT_VALUE.has(opt)) invalid(`Unsupported DNS option ${opt}, ${supported}`);
  }
}

function isAuto(ip: IpConfig | undefined, v6: boolean): boolean {
  return ip?.enabled === true && (ip.dhcp === true || (v6 && ip.autoconf === true));
}

function isStatic(ip: IpConfig | undefined, v6: boolean): boolean {
  return ip?.enabled === true && !isAuto(ip, v6) && (ip.address ?? []).length > 0;
}

/** Whether the interface, as it ends up, can hold name servers of the family. */
function isValidForDns(iface: PlacedInterface, v6: boolean): boolean {
  if (iface.merged.state !== 'up') return false;
  const ip = iface.merged[toFamily(v6)];
  return ip?.enabled === true && (isStatic(ip, v6) || isAuto(ip, v6));
}

/** Whether the change configures the family statically, or dynamically without learning DNS. */
function isPreferredForDns(iface: PlacedInterface, v6: boolean): boolean {
  const ip = iface.forApply?.[toFamily(v6)];
  return ip?.enabled === true && (isStatic(ip, v6) || (isAuto(ip, v6) && ip['auto-dns'] === false));
}

/** Kernel interfaces in desired order, loopback excluded: nmstate never picks `lo` for DNS. */
function listInOrder(ifaces: PlacedInterfaces): PlacedInterface[] {
  return ifaces.insertOrder
    .filter((o) => !isUserspaceType(o.type) && o.type !== 'loopback')
    .flatMap((o) => {
      const iface = ifaces.kernel.get(o.name);
      return iface ? [iface] : [];
    });
}

/** Interfaces the change leaves alone, by name, loopback excluded. */
function listUnchanged(ifaces: PlacedInterfaces): PlacedInterface[] {
  return [...ifaces.kernel.values()].filter((i) => i.current !== undefined && i.forApply === undefined && i.merged.type !== 'loopback').sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Interfaces whose existing profile holds DNS of the family. */
function listHolders(ifaces: PlacedInterfaces, family: Family): PlacedInterface[] {
  return [...ifaces.kernel.values()].filter((i) => {
    const dns = i.held?.dns[family];
    return dns !== undefined && (dns.servers.length > 0 || dns.searches.length > 0 || dns.options.length > 0);
  });
}

function findDnsInterface(ifaces: PlacedInterfaces, v6: boolean): string | undefined {
  const keep = listHolders(ifaces, toFamily(v6)).find((i) => i.forApply !== undefined && isValidForDns(i, v6));
  if (keep) return keep.name;
  const desired = listInOrder(ifaces).filter((i) => i.forApply !== undefined);
  return (
    desired.find((i) => isPreferredForDns(i, v6))?.name ??
    desired.find((i) => isValidForDns(i, v6))?.name ??
    listUnchanged(ifaces).find((i) => isValidForDns(i, v6))?.name
  );
}

function setDns(iface: PlacedInterface, family: Family, dns: InterfaceDns, keepState: boolean): void {
  if (iface.forApply === undefined) {
    const apply = markChanged(iface);
    // Storing DNS must not bring a down interface up.
    if (keepState && apply) iface.forApply = { ...apply, state: iface.merged.state };
  }
  ensureStack(iface, family);
  if (iface.forApply?.[family] === undefined) {
    if (dns.servers.length > 0 || dns.searches.length > 0 || dns.options.length > 0) invalid(`BUG: the DNS interface ${iface.name} holds no ${family} settings`);
    return;
  }
  iface.dns = { ...(iface.dns ?? {}), [family]: dns };
}

/** Empties the DNS of the profiles that hold some now (nmstate's `purge_dns_config`). */
function purgeHeldDns(ifaces: PlacedInterfaces): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const iface of listHolders(ifaces, family)) {
      if (iface.merged.state === 'absent') continue;
      setDns(iface, family, NO_DNS, true);
    }
  }
}

function validateLinkLocalServers(desiredServers: readonly string[] | undefined, ifaces: PlacedInterfaces): void {
  const names = new Set<string>();
  for (const server of desiredServers ?? []) {
    const scope = server.split('%')[1];
    if (scope === undefined) continue;
    const iface = ifaces.kernel.get(scope);
    if (!iface) invalid(`Desired IPv6 link local DNS server ${server} is pointing to interface ${scope} which does not exist.`);
    if (iface.merged.state === 'ignore') invalid(`Desired IPv6 link local DNS server ${server} is pointing to ignored interface ${scope}. Please include it in desired interfaces with state:up.`);
    if (iface.merged.state !== 'up' && !iface.desired && !iface.forApply) {
      markChanged(iface);
      iface.merged = { ...iface.merged, state: 'up' };
    }
    if (!isValidForDns(iface, true)) invalid(`Interface ${scope} has IPv6 disabled, hence cannot hold desired IPv6 link local DNS server ${server}`);
    names.add(scope);
  }
  if (names.size >= 2) throw new BackendError('unsupported', `Only support IPv6 link local DNS name server(s) pointing to a single interface, but got ${JSON.stringify([...names])}`);
}

function storeSearchOrOptionsOnly(searches: string[], options: string[], ifaces: PlacedInterfaces): void {
  const dns: InterfaceDns = { servers: [], searches, options, priority: DNS_PRIORITY };
  for (const v6 of [true, false]) {
    const holder = listHolders(ifaces, toFamily(v6)).find((i) => isValidForDns(i, v6));
    if (holder) return setDns(holder, toFamily(v6), dns, false);
  }
  const tiers = [listInOrder(ifaces), listUnchanged(ifaces)];
  for (const pick of [(ip: IpConfig | undefined, v6: boolean) => isAuto(ip, v6), (ip: IpConfig | undefined) => ip?.enabled === true]) {
    for (const list of tiers) {
      for (const iface of list) {
        for (const v6 of [true, false]) {
          if (isValidForDns(iface, v6) && pick(iface.merged[toFamily(v6)], v6)) return setDns(iface, toFamily(v6), dns, false);
        }
      }
    }
  }
  invalid(`Failed to find suitable(IP enabled) interface for DNS searches '${searches.join(' ')}'`);
}

/**
 * Validates `dns-resolver.config` and stores it in the profiles of the
 * interfaces nmstate picks (`store_dns_config_to_iface`), after emptying the
 * DNS of the profiles that held it. Undefined `config` changes nothing; an
 * empty one removes DNS from every profile.
 */
export function storeDns(config: DnsConfig | undefined, ifaces: PlacedInterfaces): void {
  if (config === undefined) return;
  const servers = (config.server ?? []).map(sanitizeServer);
  const searches = [...(config.search ?? [])];
  const options = [...(config.options ?? [])];
  validateOptions(options);
  validateLinkLocalServers(config.server === undefined ? undefined : servers, ifaces);
  if (servers.length === 0) {
    purgeHeldDns(ifaces);
    if (searches.length > 0 || options.length > 0) storeSearchOrOptionsOnly(searches, options, ifaces);
    return;
  }
  let pattern = '';
  for (const s of servers) {
    const c = isIpv6Text(s) ? '6' : '4';
    if (!pattern.endsWith(c)) pattern += c;
  }
  if (servers.length > 2 && (pattern.includes('464') || pattern.includes('646'))) {
    throw new BackendError('unsupported', 'Placing IPv4/IPv6 nameserver in the middle of IPv6/IPv4 nameservers is not supported yet');
  }
  const linkLocalIface = servers.map((s) => s.split('%')[1]).find((scope) => scope !== undefined && scope !== '');
  const v4Iface = findDnsInterface(ifaces, false);
  const v6Iface = linkLocalIface ?? findDnsInterface(ifaces, true);
  purgeHeldDns(ifaces);
  const preferV6 = isIpv6Text(servers[0] ?? '');
  const v6Servers = servers.filter(isIpv6Text).map((s) => s.split('%')[0] ?? s);
  const v4Servers = servers.filter((s) => !isIpv6Text(s));
  for (const [v6, list, ifaceName, preferred] of [
    [true, v6Servers, v6Iface, preferV6],
    [false, v4Servers, v4Iface, !preferV6],
  ] as const) {
    if (list.length === 0) continue;
    if (ifaceName === undefined) invalid(`Failed to find suitable(IP enabled) interface for DNS server ${JSON.stringify(list)}`);
    const iface = ifaces.kernel.get(ifaceName);
    if (!iface) invalid(`Failed to find interface ${ifaceName} for DNS server ${JSON.stringify(list)}`);
    const dns: InterfaceDns = preferred ? { servers: list, searches, options, priority: DNS_PRIORITY } : { servers: list, searches: [], options: [], priority: SECOND_FAMILY_DNS_PRIORITY };
    setDns(iface, toFamily(v6), dns, true);
  }
}
