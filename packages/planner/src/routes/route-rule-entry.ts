import { PlannerError } from '../errors.js';
import { canonicalizeNetwork, isIpv6 } from '../ip/ip-address.js';
import type { JsonObject } from '../json/json-value.js';
import { isAbsentEntry } from './route-entry.js';

/** Priority nmstate gives the first rule that does not set one. */
export const ROUTE_RULE_DEFAULT_PRIORITY = 30000;
/** `priority: -1` asks for the automatic priority. */
export const USE_DEFAULT_RULE_PRIORITY = -1;
/** Table a rule without action or `route-table` uses. */
export const DEFAULT_RULE_TABLE_ID = 254;

/** A rule in canonical form: networks canonical, `family` filled in, default table set (nmstate's sanitize). */
export function normalizeRule(rule: JsonObject): JsonObject {
  const out: JsonObject = { ...rule };
  for (const key of ['ip-from', 'ip-to'] as const) {
    const v = rule[key];
    if (v === '') delete out[key];
    else if (typeof v === 'string') {
      out[key] = canonicalizeNetwork(v, `route rule ${key}`);
      if (out['family'] === undefined) out['family'] = isIpv6(v) ? 'ipv6' : 'ipv4';
    }
  }
  // fwmark/fwmask stay as written (nmstate keeps hex strings like "0x30"); comparisons read them as numbers.
  for (const key of ['priority', 'route-table', 'suppress-prefix-length'] as const) {
    const v = rule[key];
    if (typeof v === 'string') {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new PlannerError('invalid-argument', `Invalid route rule ${key} '${v}': expected an integer`);
      out[key] = n;
    }
  }
  if (!isAbsentEntry(out) && out['action'] === undefined && out['route-table'] === undefined) out['route-table'] = DEFAULT_RULE_TABLE_ID;
  return out;
}

/** Whether `pattern` matches `rule`: every property the pattern sets is equal (nmstate's `RouteRuleEntry::is_match`). */
export function isRuleMatch(pattern: JsonObject, rule: JsonObject): boolean {
  for (const key of ['ip-from', 'ip-to', 'iif', 'action', 'suppress-prefix-length'] as const) {
    if (pattern[key] !== undefined && pattern[key] !== rule[key]) return false;
  }
  if (pattern['family'] !== undefined && rule['family'] !== undefined && pattern['family'] !== rule['family']) return false;
  const prio = pattern['priority'];
  if (prio !== undefined && prio !== USE_DEFAULT_RULE_PRIORITY && prio !== rule['priority'] && !(prio === 0 && rule['priority'] === undefined)) return false;
  const table = pattern['route-table'];
  if (table !== undefined && table !== 0 && table !== rule['route-table']) return false;
  for (const key of ['fwmark', 'fwmask'] as const) {
    if (pattern[key] !== undefined && readMark(pattern[key]) !== readMark(rule[key])) return false;
  }
  return true;
}

/** A firewall mark or mask as a number: nmstate accepts integers and hex or decimal strings. */
function readMark(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return 0;
}

function isIpv4Rule(rule: JsonObject): boolean {
  const from = rule['ip-from'] ?? rule['ip-to'];
  if (typeof from === 'string') return !isIpv6(from);
  return rule['family'] !== 'ipv6';
}

/** nmstate's rule identity and order: absent first, IPv6 before IPv4, table, selectors, priority, marks, action. */
export function getRuleKey(rule: JsonObject): string {
  const num = (v: unknown, dflt: number): string => String(typeof v === 'number' ? v : dflt).padStart(11, '0');
  return [
    isAbsentEntry(rule) ? '0' : '1',
    isIpv4Rule(rule) ? '1' : '0',
    num(rule['route-table'], 0),
    rule['ip-from'] ?? '',
    rule['ip-to'] ?? '',
    num(rule['priority'], USE_DEFAULT_RULE_PRIORITY),
    num(readMark(rule['fwmark']), 0),
    num(readMark(rule['fwmask']), 0),
    rule['action'] ?? '',
    num(rule['suppress-prefix-length'], 0),
    rule['iif'] ?? '',
  ].join('\u0000');
}
