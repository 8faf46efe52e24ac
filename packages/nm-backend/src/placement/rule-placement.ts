import type { RouteRuleEntry } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { isIpv6Rule } from '../settings/route-rule-setting.js';
import { isIpv6Text, MAIN_ROUTE_TABLE } from '../settings/route-setting.js';
import {
  compareSortKeys,
  ensureStack,
  findPlacedInterface,
  markChanged,
  type PlacedInterface,
  type PlacedInterfaces,
  type PlacedRoutes,
  type SortKey,
} from './placed-interface.js';

/** Where nmstate stores a route rule no interface claims. */
const LOOPBACK = 'lo';
const RULE_ACTION_CODES: Readonly<Record<string, number>> = { blackhole: 6, unreachable: 7, prohibit: 8 };

function ruleSortKey(r: RouteRuleEntry): SortKey {
  const v4 = r['ip-from'] !== undefined ? !isIpv6Text(r['ip-from']) : r['ip-to'] !== undefined ? !isIpv6Text(r['ip-to']) : r.family !== 'ipv6';
  return [
    r.state !== 'absent',
    v4,
    r['route-table'] ?? 0,
    r['ip-from'] ?? '',
    r['ip-to'] ?? '',
    r.priority ?? -1,
    // nmstate keeps a mark as written ("0x30"); a profile holds it as a number.
    Number(r.fwmark ?? 0),
    Number(r.fwmask ?? 0),
    r.action === undefined ? 0 : (RULE_ACTION_CODES[r.action] ?? 0),
    r['suppress-prefix-length'] ?? 0,
  ];
}

/** nmstate's order of route rules (and their identity: 0 means the same rule). */
export function compareRules(a: RouteRuleEntry, b: RouteRuleEntry): number {
  return compareSortKeys(ruleSortKey(a), ruleSortKey(b));
}

/** A rule as `key: value` pairs, for messages. */
export function describeRule(r: RouteRuleEntry): string {
  return Object.entries(r)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' ');
}

/** nmstate's `is_match`: whether `rule` has every property `pattern` sets (a `state: absent` entry is a pattern). */
export function isRuleMatch(pattern: RouteRuleEntry, rule: RouteRuleEntry): boolean {
  for (const key of ['ip-from', 'ip-to'] as const) {
    const want = pattern[key];
    if (want === undefined) continue;
    if (want !== '') {
      const full = want.includes('/') ? want : `${want}/${isIpv6Text(want) ? 128 : 32}`;
      if (rule[key] !== full) return false;
    } else if (rule[key] !== undefined && rule[key] !== '') return false;
  }
  if (pattern.family !== undefined && rule.family !== undefined && pattern.family !== rule.family) return false;
  if (pattern.priority !== undefined && pattern.priority !== -1 && pattern.priority !== rule.priority && !(pattern.priority === 0 && rule.priority === undefined)) return false;
  if (pattern['route-table'] !== undefined && pattern['route-table'] !== 0 && pattern['route-table'] !== rule['route-table']) return false;
  if (pattern.fwmark !== undefined && (pattern.fwmark ?? 0) !== (rule.fwmark ?? 0)) return false;
  if (pattern.fwmask !== undefined && (pattern.fwmask ?? 0) !== (rule.fwmask ?? 0)) return false;
  if (pattern.iif !== undefined && pattern.iif !== rule.iif) return false;
  if (pattern.action !== undefined && pattern.action !== rule.action) return false;
  if (pattern['suppress-prefix-length'] !== undefined && pattern['suppress-prefix-length'] !== rule['suppress-prefix-length']) return false;
  return true;
}

function familyOf(rule: RouteRuleEntry): 'ipv4' | 'ipv6' {
  return isIpv6Rule(rule) ? 'ipv6' : 'ipv4';
}

/** The rules of a family the interface's profile carries now: what this change set, else what its profile holds. */
function rulesOf(iface: PlacedInterface, family: 'ipv4' | 'ipv6'): RouteRuleEntry[] {
  return [...(iface.rules?.[family] ?? iface.held?.rules[family] ?? [])];
}

function hasRouteForTable(name: string, ipv6: boolean, table: number, routes: PlacedRoutes, ifaces: PlacedInterfaces): boolean {
  for (const r of routes.byInterface.get(name) ?? []) {
    if ((r.destination !== undefined && isIpv6Text(r.destination)) !== ipv6) continue;
    const t = r['table-id'];
    if (t === table || (t === 0 && table === MAIN_ROUTE_TABLE) || (table === MAIN_ROUTE_TABLE && t === undefined)) return true;
  }
  const iface = ifaces.kernel.get(name);
  if (iface) {
    const autoTable = iface.merged[ipv6 ? 'ipv6' : 'ipv4']?.['auto-route-table-id'] ?? MAIN_ROUTE_TABLE;
    if (autoTable === table || (autoTable === 0 && table === MAIN_ROUTE_TABLE)) return true;
  }
  return false;
}

/**
 * The interface whose profile stores a rule, as nmstate chooses it: its
 * `iif`; else an interface whose routes change and that routes the rule's
 * table (nmstate walks those in hash order, so any may win; of them we take
 * the first by name with the rule's IP stack, where nmstate might drop the
 * rule); else a changed, then an unchanged interface (by name) routing that
 * table; else the first desired interface with the rule's IP stack on;
 * else `lo`. Interfaces that go away never hold it.
 */
export function findRuleInterface(rule: RouteRuleEntry, routes: PlacedRoutes, ifaces: PlacedInterfaces): string {
  if (rule.iif !== undefined) {
    if (!ifaces.kernel.has(rule.iif)) throw new BackendError('invalid-state', `The interface ${rule.iif} required by route rule ${describeRule(rule)} does not exists`);
    return rule.iif;
  }
  const table = rule['route-table'] ?? MAIN_ROUTE_TABLE;
  const v6 = isIpv6Rule(rule);
  const family = v6 ? 'ipv6' : 'ipv4';
  const routed = routes.changedInterfaces.filter((name) => hasRouteForTable(name, v6, table, routes, ifaces));
  const withStack = routed.find((name) => {
    const iface = ifaces.kernel.get(name);
    return (iface?.forApply?.[family] ?? iface?.merged[family]) !== undefined;
  });
  const picked = withStack ?? routed[0];
  if (picked !== undefined) return picked;
  const present = [...ifaces.kernel.values()].filter((i) => i.merged.state !== 'absent');
  const byName = (list: PlacedInterface[]): string[] => list.map((i) => i.name).sort();
  for (const name of byName(present.filter((i) => i.forApply !== undefined))) if (hasRouteForTable(name, v6, table, routes, ifaces)) return name;
  for (const name of byName(present.filter((i) => i.forApply === undefined))) if (hasRouteForTable(name, v6, table, routes, ifaces)) return name;
  for (const { name, type } of ifaces.insertOrder) {
    const iface = findPlacedInterface(ifaces, name, type);
    if (iface && iface.merged[family]?.enabled === true) return name;
  }
  return LOOPBACK;
}

/** Takes every rule matching an absent entry out of the profiles holding one (nmstate's `apply_absent_rule`). */
function removeRule(pattern: RouteRuleEntry, ifaces: PlacedInterfaces): void {
  const family = familyOf(pattern);
  for (const iface of ifaces.kernel.values()) {
    const held = rulesOf(iface, family);
    if (!held.some((r) => isRuleMatch(pattern, r))) continue;
    markChanged(iface);
    ensureStack(iface, family);
    iface.rules = { ...(iface.rules ?? {}), [family]: held.filter((r) => !isRuleMatch(pattern, r)) };
  }
}

function isHeldAnywhere(rule: RouteRuleEntry, ifaces: PlacedInterfaces): boolean {
  const family = familyOf(rule);
  return [...ifaces.kernel.values()].some((iface) => rulesOf(iface, family).some((r) => compareRules(r, rule) === 0));
}

/** Puts a rule in the profile of the interface nmstate picks for it (nmstate's `append_route_rule`). */
function appendRule(rule: RouteRuleEntry, routes: PlacedRoutes, ifaces: PlacedInterfaces): void {
  const iface = ifaces.kernel.get(findRuleInterface(rule, routes, ifaces));
  if (!iface) return;
  if (iface.merged.state !== 'up' && iface.merged.state !== 'ignore') {
    if (!iface.desired && !iface.forApply) {
      const apply = markChanged(iface);
      iface.merged = { ...iface.merged, state: 'up' };
      if (apply) iface.forApply = { ...apply, state: 'up' };
    }
  } else {
    markChanged(iface);
  }
  const family = familyOf(rule);
  ensureStack(iface, family);
  if (iface.forApply?.[family] === undefined) return;
  const list = rulesOf(iface, family);
  if (!list.some((r) => compareRules(r, rule) === 0)) list.push(rule);
  // nmstate keeps them in a hash set (its output order varies run to run); ours is sorted.
  list.sort(compareRules);
  iface.rules = { ...(iface.rules ?? {}), [family]: list };
}

/**
 * Stores route rules in profiles as nmstate does (`store_route_rule_config`):
 * a `state: absent` entry takes the rules it matches out of the profiles that
 * hold them; any other rule stays where a profile already holds it, or goes
 * to the interface {@link findRuleInterface} picks. Rules need their
 * priorities by now.
 */
export function storeRules(rules: readonly RouteRuleEntry[], routes: PlacedRoutes, ifaces: PlacedInterfaces): void {
  for (const rule of rules) {
    if (rule.state === 'absent') removeRule(rule, ifaces);
    else if (!isHeldAnywhere(rule, ifaces)) appendRule(rule, routes, ifaces);
  }
}
