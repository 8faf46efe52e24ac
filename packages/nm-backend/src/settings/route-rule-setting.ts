import type { RouteRuleEntry } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { nmValue, type NmDict, type NmValue } from './nm-value.js';
import { isIpv6Text, MAIN_ROUTE_TABLE, splitNetwork } from './route-setting.js';

const AF_INET = 2;
const AF_INET6 = 10;
/** Kernel rule actions (FR_ACT_*), by nmstate's names. */
const RULE_ACTIONS: Readonly<Record<string, number>> = { blackhole: 6, unreachable: 7, prohibit: 8 };
const RULE_ACTION_NAMES: Readonly<Record<number, 'blackhole' | 'unreachable' | 'prohibit'>> = { 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };
/** `route-table: 0` means "the default" in nmstate. */
const USE_DEFAULT_TABLE = 0;
/** `priority: -1` means "pick one" in nmstate. */
const USE_DEFAULT_PRIORITY = -1;

/** Whether a rule is IPv6: by `family`, or by its `ip-from`/`ip-to`. */
export function isIpv6Rule(rule: RouteRuleEntry): boolean {
  return rule.family === 'ipv6' || (rule['ip-from'] !== undefined && isIpv6Text(rule['ip-from'])) || (rule['ip-to'] !== undefined && isIpv6Text(rule['ip-to']));
}

/**
 * The rules of one family as NetworkManager `routing-rules` entries. Rules of
 * the other family are skipped. Every rule needs a priority by now (nmstate
 * assigns 30000 and up to rules without one before this step).
 */
export function toNmRouteRules(rules: readonly RouteRuleEntry[], ipv6: boolean): NmDict[] {
  const out: NmDict[] = [];
  for (const rule of rules) {
    if (rule.family !== undefined && (rule.family === 'ipv6') !== ipv6) continue;
    const entry: Record<string, NmValue> = { family: nmValue.int32(ipv6 ? AF_INET6 : AF_INET) };
    let skip = false;
    for (const [key, addrKey, lenKey] of [
      ['ip-from', 'from', 'from-len'],
      ['ip-to', 'to', 'to-len'],
    ] as const) {
      const text = rule[key];
      if (text === undefined || text === '') continue;
      if (isIpv6Text(text) !== ipv6) {
        skip = true;
        break;
      }
      const { ip, prefix } = splitNetwork(text, `route rule ${key}`);
      entry[addrKey] = nmValue.string(ip);
      entry[lenKey] = nmValue.byte(prefix);
    }
    if (skip) continue;
    const priority = rule.priority;
    if (priority === undefined || priority === USE_DEFAULT_PRIORITY) {
      throw new BackendError('invalid-state', `route rule ${JSON.stringify(rule)} has no priority: assign one before rendering settings`);
    }
    entry['priority'] = nmValue.uint32(priority);
    const table = rule['route-table'];
    entry['table'] = nmValue.uint32(table === undefined || table === USE_DEFAULT_TABLE ? MAIN_ROUTE_TABLE : table);
    if (rule.fwmark !== undefined) entry['fwmark'] = nmValue.uint32(rule.fwmark);
    if (rule.fwmask !== undefined) entry['fwmask'] = nmValue.uint32(rule.fwmask);
    if (rule.iif !== undefined) entry['iifname'] = nmValue.string(rule.iif);
    if (rule.action !== undefined) {
      const action = RULE_ACTIONS[rule.action];
      if (action === undefined) throw new BackendError('invalid-state', `route rule action '${rule.action}': expected blackhole, unreachable or prohibit`);
      entry['action'] = nmValue.byte(action);
    }
    if (rule['suppress-prefix-length'] !== undefined) {
      const v = rule['suppress-prefix-length'];
      if (v > 2 ** 31 - 1) throw new BackendError('unsupported', `suppress-prefix-length ${v} is not supported by NetworkManager: expected at most ${2 ** 31 - 1}`);
      entry['suppress-prefixlength'] = nmValue.int32(v);
    }
    out.push(entry);
  }
  return out;
}

function dictNumber(d: NmDict, key: string): number | undefined {
  const v = d[key];
  return v !== undefined && typeof v.value === 'number' ? v.value : undefined;
}

function dictString(d: NmDict, key: string): string | undefined {
  const v = d[key];
  return v?.type === 's' ? v.value : undefined;
}

/** A `routing-rules` entry back to an nmstate route rule. */
export function fromNmRouteRule(rule: NmDict): RouteRuleEntry {
  const out: RouteRuleEntry = {};
  out.family = dictNumber(rule, 'family') === AF_INET6 ? 'ipv6' : 'ipv4';
  const from = dictString(rule, 'from');
  if (from !== undefined) out['ip-from'] = `${from}/${dictNumber(rule, 'from-len') ?? (isIpv6Text(from) ? 128 : 32)}`;
  const to = dictString(rule, 'to');
  if (to !== undefined) out['ip-to'] = `${to}/${dictNumber(rule, 'to-len') ?? (isIpv6Text(to) ? 128 : 32)}`;
  const priority = dictNumber(rule, 'priority');
  if (priority !== undefined) out.priority = priority;
  const table = dictNumber(rule, 'table');
  if (table !== undefined && table !== 0) out['route-table'] = table;
  const fwmark = dictNumber(rule, 'fwmark');
  if (fwmark !== undefined && fwmark !== 0) out.fwmark = fwmark;
  const fwmask = dictNumber(rule, 'fwmask');
  if (fwmask !== undefined && fwmask !== 0) out.fwmask = fwmask;
  const iif = dictString(rule, 'iifname');
  if (iif !== undefined) out.iif = iif;
  const action = dictNumber(rule, 'action');
  if (action !== undefined && RULE_ACTION_NAMES[action]) out.action = RULE_ACTION_NAMES[action];
  const suppress = dictNumber(rule, 'suppress-prefixlength');
  if (suppress !== undefined && suppress >= 0) out['suppress-prefix-length'] = suppress;
  return out;
}
