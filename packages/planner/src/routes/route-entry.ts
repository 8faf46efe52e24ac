import { PlannerError } from '../errors.js';
import { canonicalizeIp, canonicalizeNetwork, isIpv6 } from '../ip/ip-address.js';
import type { JsonObject } from '../json/json-value.js';

/** The main routing table, which a route without `table-id` uses. */
export const DEFAULT_ROUTE_TABLE_ID = 254;
/** Routes without a next hop interface (blackhole…) belong to the loopback device. */
export const LOOPBACK_IFACE_NAME = 'lo';

/** Whether a route entry is a `state: absent` wildcard. */
export function isAbsentEntry(entry: JsonObject): boolean {
  return entry['state'] === 'absent';
}

/** Whether a route is IPv6 (by its destination). */
export function isIpv6Route(route: JsonObject): boolean {
  const dst = route['destination'];
  return typeof dst === 'string' && isIpv6(dst);
}

/** The interface a route belongs to: its next hop interface, or `lo` for blackhole-type routes. */
export function getRouteIface(route: JsonObject): string | undefined {
  const via = route['next-hop-interface'];
  if (typeof via === 'string') return via;
  return route['route-type'] !== undefined ? LOOPBACK_IFACE_NAME : undefined;
}

function toInt(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new PlannerError('invalid-argument', `Invalid route ${what} ${JSON.stringify(value)}: expected an integer`);
  return n;
}

/** A route in canonical form (destination network and next hop canonical, numbers as numbers), as nmstate sanitizes it. */
export function normalizeRoute(route: JsonObject): JsonObject {
  const out: JsonObject = { ...route };
  const dst = route['destination'];
  if (dst === '') delete out['destination'];
  else if (typeof dst === 'string') out['destination'] = canonicalizeNetwork(dst, 'route destination');
  const via = route['next-hop-address'];
  if (typeof via === 'string' && via !== '') out['next-hop-address'] = canonicalizeIp(via, 'route next-hop-address');
  const src = route['source'];
  if (typeof src === 'string') out['source'] = canonicalizeIp(src, 'route source');
  for (const key of ['metric', 'table-id', 'weight', 'cwnd'] as const) {
    const n = toInt(route[key], key);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

/**
 * Whether `pattern` (a desired or absent entry) matches `route`: every
 * property `pattern` sets must be equal; metric is ignored; `table-id: 0`
 * is a wildcard (nmstate's `RouteEntry::is_match`).
 */
export function isRouteMatch(pattern: JsonObject, route: JsonObject): boolean {
  for (const key of ['destination', 'next-hop-interface', 'next-hop-address', 'weight', 'route-type', 'cwnd', 'source'] as const) {
    const want = pattern[key];
    if (want === undefined || (key === 'destination' && want === '')) continue;
    if (want !== route[key]) return false;
  }
  const table = pattern['table-id'];
  if (table !== undefined && table !== 0 && table !== (route['table-id'] ?? DEFAULT_ROUTE_TABLE_ID)) return false;
  return true;
}

/**
 * nmstate's route order and identity: absent first, IPv6 before IPv4, then
 * table, interface, destination, next hop, source, weight, cwnd (metric is
 * not part of a route's identity).
 */
export function getRouteKey(route: JsonObject): string {
  const table = typeof route['table-id'] === 'number' ? route['table-id'] : DEFAULT_ROUTE_TABLE_ID;
  return [
    isAbsentEntry(route) ? '0' : '1',
    isIpv6Route(route) ? '0' : '1',
    String(table).padStart(10, '0'),
    route['next-hop-interface'] ?? LOOPBACK_IFACE_NAME,
    route['destination'] ?? '',
    route['next-hop-address'] ?? '',
    route['source'] ?? '',
    String(route['weight'] ?? 0).padStart(5, '0'),
    String(route['cwnd'] ?? 0).padStart(10, '0'),
  ].join('\u0000');
}

/** Sorts and de-duplicates routes by {@link getRouteKey}. */
export function sortRoutes(routes: readonly JsonObject[]): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const r of routes) byKey.set(getRouteKey(r), r);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}
