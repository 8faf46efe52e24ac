import type { RouteEntry } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { networkAddress } from '@nmfleet/model';
import { canonicalizeIpv6 } from './ip-bytes.js';
import { nmValue, type NmDict, type NmValue } from './nm-value.js';

/** The main routing table. */
export const MAIN_ROUTE_TABLE = 254;
/** Metric nmstate gives an IPv4 route without one. */
export const IPV4_DEFAULT_ROUTE_METRIC = 0;
/** Metric nmstate gives an IPv6 route without one (the kernel's user-route default). */
export const IPV6_DEFAULT_ROUTE_METRIC = 1024;
/** `metric: -1` and `table-id: 0` mean "the default" in nmstate. */
const USE_DEFAULT_METRIC = -1;
const USE_DEFAULT_TABLE = 0;

/** Whether an address or network text is IPv6 (nmstate looks for a colon). */
export function isIpv6Text(text: string): boolean {
  return text.includes(':');
}

/**
 * Splits `ADDRESS[/PREFIX]` as nmstate reads route destinations and rule
 * selectors: a bare address is a host (`/32`, `/128`), host bits are cleared,
 * IPv6 is written canonically.
 */
export function splitNetwork(text: string, where: string): { ip: string; prefix: number } {
  const [ip = '', prefixText, extra] = text.split('/');
  if (extra !== undefined || ip === '') throw new BackendError('invalid-state', `${where}: expected an IP network like 192.0.2.0/24 or 2001:db8::/64, got '${text}'`);
  const v6 = isIpv6Text(ip);
  const max = v6 ? 128 : 32;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
    throw new BackendError('invalid-state', `${where}: invalid prefix length in '${text}': expected 0..${max}`);
  }
  return { ip: networkAddress(ip, prefix) ?? (v6 ? canonicalizeIpv6(ip) : ip), prefix };
}

function isEmptyNextHop(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * One nmstate route as a NetworkManager `route-data` entry: metric and table
 * defaulted as nmstate does (0 or 1024, main table), `cwnd` locked, an empty
 * next hop (`0.0.0.0`, `::`) left out.
 */
export function toNmRoute(route: RouteEntry): NmDict {
  const out: Record<string, NmValue> = {};
  const dest = route.destination;
  const v6 = dest !== undefined && isIpv6Text(dest);
  if (dest !== undefined) {
    const { ip, prefix } = splitNetwork(dest, 'route destination');
    out['dest'] = nmValue.string(ip);
    out['prefix'] = nmValue.uint32(prefix);
  }
  const metric = route.metric === undefined || route.metric === USE_DEFAULT_METRIC ? (v6 ? IPV6_DEFAULT_ROUTE_METRIC : IPV4_DEFAULT_ROUTE_METRIC) : route.metric;
  out['metric'] = nmValue.uint32(metric);
  out['table'] = nmValue.uint32(route['table-id'] === undefined || route['table-id'] === USE_DEFAULT_TABLE ? MAIN_ROUTE_TABLE : route['table-id']);
  const nextHop = route['next-hop-address'];
  if (nextHop !== undefined && nextHop !== '' && !isEmptyNextHop(nextHop)) out['next-hop'] = nmValue.string(isIpv6Text(nextHop) ? canonicalizeIpv6(nextHop) : nextHop);
  if (route.source !== undefined) out['src'] = nmValue.string(isIpv6Text(route.source) ? canonicalizeIpv6(route.source) : route.source);
  if (route.weight !== undefined) out['weight'] = nmValue.uint32(route.weight);
  if (route['route-type'] !== undefined) out['type'] = nmValue.string(route['route-type']);
  if (route.cwnd !== undefined) {
    out['cwnd'] = nmValue.uint32(route.cwnd);
    out['lock-cwnd'] = nmValue.bool(true);
  }
  if (route.initcwnd !== undefined) out['initcwnd'] = nmValue.uint32(route.initcwnd);
  if (route.initrwnd !== undefined) out['initrwnd'] = nmValue.uint32(route.initrwnd);
  if (route.mtu !== undefined) out['mtu'] = nmValue.uint32(route.mtu);
  if (route['lock-mtu'] !== undefined) out['lock-mtu'] = nmValue.bool(route['lock-mtu']);
  if (route.quickack !== undefined) out['quickack'] = nmValue.bool(route.quickack);
  if (route.advmss !== undefined) out['advmss'] = nmValue.uint32(route.advmss);
  return out;
}

/** The routes of one family as `route-data`; routes of the other family are skipped. */
export function toNmRoutes(routes: readonly RouteEntry[], ipv6: boolean): NmDict[] {
  return routes.filter((r) => r.destination === undefined || isIpv6Text(r.destination) === ipv6).map(toNmRoute);
}

function dictString(d: NmDict, key: string): string | undefined {
  const v = d[key];
  return v?.type === 's' ? v.value : undefined;
}

function dictNumber(d: NmDict, key: string): number | undefined {
  const v = d[key];
  return v !== undefined && typeof v.value === 'number' ? v.value : undefined;
}

function dictBool(d: NmDict, key: string): boolean | undefined {
  const v = d[key];
  return v?.type === 'b' ? v.value : undefined;
}

/** A `route-data` entry back to an nmstate route of `ifaceName` (what `show --running-config` reports). */
export function fromNmRoute(route: NmDict, ifaceName: string): RouteEntry {
  const dest = dictString(route, 'dest');
  const prefix = dictNumber(route, 'prefix');
  const out: RouteEntry = {};
  if (dest !== undefined) out.destination = `${dest}/${prefix ?? (isIpv6Text(dest) ? 128 : 32)}`;
  const type = dictString(route, 'type');
  if (type === 'blackhole' || type === 'unreachable' || type === 'prohibit') out['route-type'] = type;
  else out['next-hop-interface'] = ifaceName;
  const nextHop = dictString(route, 'next-hop');
  if (nextHop !== undefined) out['next-hop-address'] = nextHop;
  const metric = dictNumber(route, 'metric');
  if (metric !== undefined) out.metric = metric;
  out['table-id'] = dictNumber(route, 'table') ?? MAIN_ROUTE_TABLE;
  const src = dictString(route, 'src');
  if (src !== undefined) out.source = src;
  const weight = dictNumber(route, 'weight');
  if (weight !== undefined && weight !== 0) out.weight = weight;
  for (const key of ['cwnd', 'initcwnd', 'initrwnd', 'mtu', 'advmss'] as const) {
    const v = dictNumber(route, key);
    if (v !== undefined) out[key] = v;
  }
  const lockMtu = dictBool(route, 'lock-mtu');
  if (lockMtu !== undefined) out['lock-mtu'] = lockMtu;
  const quickack = dictBool(route, 'quickack');
  if (quickack !== undefined) out.quickack = quickack;
  return out;
}
