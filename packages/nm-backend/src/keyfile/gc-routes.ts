import { isInterfaceOfType, type IpConfig, type RouteEntry, type RouteRuleEntry } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { compareSortKeys, type PlacedRoutes, type SortKey } from '../placement/placed-interface.js';
import { describeRule, isRuleMatch } from '../placement/rule-placement.js';
import { canonicalizeIpv6 } from '../settings/ip-bytes.js';
import { parseIpv4Octets } from '@nmfleet/model';
import { isIpv6Text, MAIN_ROUTE_TABLE, splitNetwork } from '../settings/route-setting.js';
import type { GcInterfaces } from './gc-interfaces.js';

/*
 * Routes and route rules of a desired state as `nmstatectl gc` merges them:
 * validated and sanitized, a route by its next-hop interface (blackhole,
 * unreachable and prohibit routes to `lo`), rules with their priorities.
 * `src/placement` then stores them in profiles, as for an apply.
 */

const LOOPBACK = 'lo';
/** nmstate numbers rules without a priority from here up. */
const RULE_DEFAULT_PRIORITY = 30000;
const ROUTE_TYPE_CODES: Readonly<Record<string, number>> = { blackhole: 6, unreachable: 7, prohibit: 8 };

function invalid(message: string): never {
  throw new BackendError('invalid-state', message);
}

function describeRoute(r: RouteEntry): string {
  return Object.entries(r)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' ');
}

function canonicalIp(text: string, what: string): string {
  if (isIpv6Text(text)) {
    const canonical = canonicalizeIpv6(text);
    if (canonical === text && !/^[0-9a-f:.]+$/.test(text)) invalid(`Failed to parse IP address '${text}' (${what})`);
    return canonical;
  }
  if (!parseIpv4Octets(text)) invalid(`Failed to parse IP address '${text}' (${what})`);
  return text;
}

/** nmstate's route clean-up: canonical destination network, next hop and source; value checks. */
function sanitizeRoute(route: RouteEntry): RouteEntry {
  const out: RouteEntry = { ...route };
  if (out.destination === '') delete out.destination;
  else if (out.destination !== undefined) {
    const { ip, prefix } = splitNetwork(out.destination, `route ${describeRoute(route)}`);
    out.destination = `${ip}/${prefix}`;
  }
  if (out['next-hop-address'] !== undefined) out['next-hop-address'] = canonicalIp(out['next-hop-address'], 'route next-hop-address');
  if (out.source !== undefined) out.source = canonicalIp(out.source, 'route source');
  if (out.weight !== undefined) {
    if (out.weight < 1 || out.weight > 256) invalid(`Invalid ECMP route weight ${out.weight}, should be in the range of 1 to 256`);
    if (out.destination !== undefined && isIpv6Text(out.destination)) throw new BackendError('unsupported', 'IPv6 ECMP route with weight is not supported yet');
  }
  if (out.cwnd === 0) invalid("The value of 'cwnd' cannot be 0");
  if (out.mtu === 0) invalid("The value of 'mtu' cannot be 0");
  if (out.advmss === 0) invalid("The value of 'advmss' cannot be 0");
  return out;
}

function isUnicast(route: RouteEntry): boolean {
  return route['route-type'] === undefined;
}

function validateRoute(route: RouteEntry): void {
  if (route.state !== 'absent') {
    if (!isUnicast(route) && ((route['next-hop-interface'] !== undefined && route['next-hop-interface'] !== LOOPBACK) || route['next-hop-address'] !== undefined)) {
      invalid(`A ${route['route-type']} Route cannot have a next hop: ${describeRoute(route)}`);
    }
    if (route['next-hop-interface'] === undefined && isUnicast(route)) {
      throw new BackendError('unsupported', `Route with empty next hop interface is not supported: ${describeRoute(route)}`);
    }
  }
  const dst = route.destination;
  if (dst !== undefined && !isIpv6Text(dst)) {
    const [ip = '', prefixText] = dst.split('/');
    if (ip.split('.')[0] === '0' && isUnicast(route) && route.state !== 'absent' && (prefixText === undefined || Number(prefixText) >= 8)) {
      invalid('0.0.0.0/8 and its subnet cannot be used as the route destination for unicast route, please use the default gateway 0.0.0.0/0 instead');
    }
  }
}

/** nmstate's route identity and order (metric is not part of it). */
function routeSortKey(r: RouteEntry): SortKey {
  return [
    r.state !== 'absent',
    !(r.destination !== undefined && isIpv6Text(r.destination)),
    r.quickack ?? false,
    r['lock-mtu'] ?? false,
    r['next-hop-interface'] ?? LOOPBACK,
    r.destination ?? '',
    r['next-hop-address'] ?? '',
    r.source ?? '',
    r['vrf-name'] ?? '',
    r['table-id'] ?? MAIN_ROUTE_TABLE,
    r.cwnd ?? 0,
    r.initcwnd ?? 0,
    r.initrwnd ?? 0,
    r.mtu ?? 0,
    r.weight ?? 0,
    r['route-type'] === undefined ? 0 : (ROUTE_TYPE_CODES[r['route-type']] ?? 0),
    r.advmss ?? 0,
  ];
}


function isStackEnabled(ip: IpConfig | undefined): boolean {
  return ip?.enabled === true;
}

function resolveVrfNames(routes: RouteEntry[], ifaces: GcInterfaces): void {
  for (const route of routes) {
    const vrf = route['vrf-name'];
    if (vrf === undefined) continue;
    const iface = [...ifaces.kernel.values()].find((i) => i.merged.type === 'vrf' && i.name === vrf);
    if (iface?.merged.state === 'down') invalid(`VRF defined in Route '${describeRoute(route)}' is marked as 'state: down'`);
    if (iface?.merged.state === 'absent') invalid(`VRF defined in Route '${describeRoute(route)}' is marked as 'state: absent'`);
    const table = iface?.merged.state === 'up' && isInterfaceOfType(iface.merged, 'vrf') ? iface.merged.vrf?.['route-table-id'] : undefined;
    if (table === undefined) invalid(`VRF defined in Route '${describeRoute(route)}' does not exist`);
    if (route['table-id'] !== undefined && route['table-id'] !== table) {
      invalid(`Route '${describeRoute(route)}' has both table id and VRF name defined, but desired table ID is ${route['table-id']} while table ID for VRF ${vrf} is ${table}`);
    }
    route['table-id'] = table;
  }
}

/**
 * Validates and places the desired routes (`routes.config`); gc has no
 * current routes, so `state: absent` entries remove nothing.
 */
export function mergeGcRoutes(desired: readonly RouteEntry[] | undefined, ifaces: GcInterfaces): PlacedRoutes {
  const routes = (desired ?? []).filter((r) => r.state !== 'ignore').map((r) => ({ ...r }));
  for (const r of routes) validateRoute(r);
  for (const route of routes) {
    const via = route['next-hop-interface'];
    if (via === undefined) continue;
    const names = ifaces.findKernelNames(via);
    if (names.includes(via)) continue;
    if (names.length === 0 && route.state !== 'absent') {
      if (ifaces.ignored.some((i) => i.name === via && i.type !== 'ovs-bridge' && i.type !== 'ipsec')) invalid(`Route '${describeRoute(route)}': next hop interface ${via} is marked as ignored`);
      invalid(`Route '${describeRoute(route)}': next hop interface ${via} not found`);
    }
    if (names.length > 1) invalid(`Route '${describeRoute(route)}' defined with next hop interface ${via} but multiple interfaces are sharing this profile name`);
    if (names[0] !== undefined) route['next-hop-interface'] = names[0];
  }
  resolveVrfNames(routes, ifaces);
  const sanitized = routes.map(sanitizeRoute);
  const changed = new Set<string>();
  for (const route of sanitized.filter((r) => r.state !== 'absent')) {
    const via = route['next-hop-interface'];
    if (via !== undefined) {
      const iface = ifaces.kernel.get(via);
      const v6 = route.destination !== undefined && isIpv6Text(route.destination);
      if (iface?.merged.state === 'absent') invalid(`The next hop interface of desired Route '${describeRoute(route)}' has been marked as absent`);
      if (iface && !isStackEnabled(iface.merged[v6 ? 'ipv6' : 'ipv4'])) invalid(`The next hop interface of desired Route '${describeRoute(route)}' has been marked as IPv${v6 ? 6 : 4} disabled`);
      changed.add(via);
    } else if (route['route-type'] !== undefined) {
      changed.add(LOOPBACK);
    }
  }
  const kept: RouteEntry[] = [];
  const sorted = sanitized.filter((r) => r.state !== 'absent').sort((a, b) => compareSortKeys(routeSortKey(a), routeSortKey(b)));
  for (const r of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || compareSortKeys(routeSortKey(last), routeSortKey(r)) !== 0) kept.push(r);
  }
  const byInterface = new Map<string, RouteEntry[]>();
  for (const r of kept) {
    const owner = r['next-hop-interface'] ?? (r['route-type'] !== undefined ? LOOPBACK : undefined);
    if (owner === undefined) continue;
    byInterface.set(owner, [...(byInterface.get(owner) ?? []), r]);
  }
  return { byInterface, changedInterfaces: [...changed].sort() };
}

/** nmstate's rule clean-up: networks canonical, family from the addresses, the main table by default. */
function sanitizeRule(rule: RouteRuleEntry): RouteRuleEntry {
  const out: RouteRuleEntry = { ...rule };
  for (const key of ['ip-from', 'ip-to'] as const) {
    const text = out[key];
    if (text === undefined) continue;
    if (text === '') {
      delete out[key];
      continue;
    }
    const { ip, prefix } = splitNetwork(text, `route rule ${key}`);
    out[key] = `${ip}/${prefix}`;
    out.family ??= isIpv6Text(ip) ? 'ipv6' : 'ipv4';
  }
  if (out['ip-from'] === undefined && out['ip-to'] === undefined && out.family === undefined) invalid(`Neither ip-from, ip-to nor family is defined '${describeRule(rule)}'`);
  if (out.family !== undefined) {
    for (const key of ['ip-from', 'ip-to'] as const) {
      const text = out[key];
      if (text !== undefined && isIpv6Text(text) !== (out.family === 'ipv6')) invalid(`The ${key} format mismatches with the family set '${describeRule(rule)}'`);
    }
  }
  if (out.fwmark === undefined && out.fwmask !== undefined) invalid(`fwmask is present but fwmark is not defined or is zero ${describeRule(rule)}`);
  if (out.action === undefined && out['route-table'] === undefined) out['route-table'] = MAIN_ROUTE_TABLE;
  return out;
}

/**
 * The desired route rules to apply, sanitized, with priorities 30000 and up
 * given to those without one (nmstate's `MergedRouteRules`); gc has no
 * current rules.
 */
export function mergeGcRules(desired: readonly RouteRuleEntry[] | undefined): RouteRuleEntry[] {
  const forApply = (desired ?? []).filter((r) => r.state !== 'absent').map(sanitizeRule);
  const merged: RouteRuleEntry[] = [];
  for (const rule of forApply) if (!merged.some((m) => isRuleMatch(rule, m))) merged.push(rule);
  let max = Math.max(0, ...merged.map((r) => r.priority ?? 0));
  if (max < RULE_DEFAULT_PRIORITY - 1) max = RULE_DEFAULT_PRIORITY - 1;
  return forApply.map((rule) => {
    if (rule.priority !== undefined && rule.priority !== -1) return rule;
    const adopted = merged.find((m) => m.priority !== undefined && m.priority !== -1 && isRuleMatch(rule, m))?.priority;
    if (adopted !== undefined) return { ...rule, priority: adopted };
    max += 1;
    return { ...rule, priority: max };
  });
}
