import { getInterfaceKind } from '../interfaces/interface-kind.js';
import { isDynamicIp } from '../interfaces/normalize-interface.js';
import { cloneJson, isJsonEqual, type JsonObject } from '../json/json-value.js';
import { revertJson } from '../json/tree-ops.js';
import { isPresent, type MergedInterface } from '../merge/merge-interfaces.js';
import { mergeStates, type MergedState } from '../merge/merge-state.js';
import { isAbsentEntry, isRouteMatch, sortRoutes } from '../routes/route-entry.js';
import { getRuleKey, isRuleMatch } from '../routes/route-rule-entry.js';
import { getIfaceState, getObject, type InterfaceDoc, type StateDoc } from '../state/network-state.js';

/**
 * The state that undoes `desired` when applied after it, given the state
 * before it (nmstate's `gen_revert`, `nmstatectl gr`): the current values of
 * every property desired sets, `state: absent` for what it creates, and the
 * routes, rules, DNS and hostname it changed put back.
 *
 * Beyond upstream: an interface that desired removes (directly, or because
 * its base or veth peer goes) comes back whole, with its routes, rather than
 * as a bare `state: up`.
 */
export function revertStates(desired: StateDoc, current: StateDoc): StateDoc {
  return revertMerged(mergeStates(desired, current));
}

/** {@link revertStates} for an already merged state. */
export function revertMerged(merged: MergedState): StateDoc {
  const out: StateDoc = {};
  if (merged.hostname.desired && merged.hostname.current) out['hostname'] = cloneJson(merged.hostname.current);
  if (merged.dns.isChanged) out['dns-resolver'] = { config: cloneJson(merged.dns.current ?? {}) };

  const rules = revertRules(merged);
  if (rules.length > 0) out['route-rules'] = { config: rules };
  const routes = revertRoutes(merged);
  if (routes.length > 0) out['routes'] = { config: routes };

  const ifaces: InterfaceDoc[] = [];
  for (const entry of merged.interfaces.list) {
    const reverted = revertIface(entry);
    if (reverted) ifaces.push(reverted);
  }
  if (ifaces.length > 0) out.interfaces = ifaces;
  return out;
}

function revertIface(entry: MergedInterface): InterfaceDoc | undefined {
  if (!entry.desired && !entry.isChanged) return undefined;
  if (entry.desired && getIfaceState(entry.desired) === 'ignore') return undefined;
  const cur = entry.current;
  if (!cur) return { name: entry.name, type: entry.type, state: 'absent' };
  if (!isPresent(entry)) return cloneJson(cur);
  const applied = entry.desired ?? entry.merged;
  const revert: InterfaceDoc = { name: cur.name, type: entry.type };
  revertJson(applied, cur, revert);
  const curIpv4 = getObject(cur, 'ipv4');
  const curIpv6 = getObject(cur, 'ipv6');
  // A new port loses its IP; putting the port back needs its old IP settings whole.
  if (entry.merged['controller'] !== undefined && cur['controller'] === undefined) {
    if (curIpv4) revert['ipv4'] = cloneJson(curIpv4);
    if (curIpv6) revert['ipv6'] = cloneJson(curIpv6);
  }
  // Static → dynamic without naming `address` leaves no address to revert to: take current's IP whole.
  if (isDynamicIp(getObject(applied, 'ipv4')) && curIpv4 && !isDynamicIp(curIpv4)) revert['ipv4'] = cloneJson(curIpv4);
  if (isDynamicIp(getObject(applied, 'ipv6')) && curIpv6 && !isDynamicIp(curIpv6)) revert['ipv6'] = cloneJson(curIpv6);
  // A detached port gets its controller back.
  if (entry.merged['controller'] === undefined && typeof cur['controller'] === 'string' && cur['controller'] !== '') revert['controller'] = cur['controller'];
  const ports = getInterfaceKind(entry.type).getPorts;
  if (ports && entry.isChanged && !entry.desired) {
    const curPorts = ports(cur);
    if (curPorts) getInterfaceKind(entry.type).setPorts?.(revert, curPorts);
  }
  if (isJsonEqual(revert, applied)) return undefined;
  return revert;
}

function revertRoutes(merged: MergedState): JsonObject[] {
  const out: JsonObject[] = [];
  for (const r of merged.routes.desired ?? []) {
    if (isAbsentEntry(r)) {
      for (const cur of merged.routes.current) if (isRouteMatch(r, cur)) out.push(cloneJson(cur));
    } else {
      out.push({ ...cloneJson(r), state: 'absent' });
    }
  }
  for (const r of merged.routes.removedImplicitly) out.push(cloneJson(r));
  return sortRoutes(out);
}

function revertRules(merged: MergedState): JsonObject[] {
  const out: JsonObject[] = [];
  for (const r of merged.rules.desired ?? []) {
    if (isAbsentEntry(r)) {
      for (const cur of merged.rules.current) if (isRuleMatch(r, cur)) out.push(cloneJson(cur));
    } else {
      out.push({ ...cloneJson(r), state: 'absent' });
    }
  }
  return out.sort((a, b) => (getRuleKey(a) < getRuleKey(b) ? -1 : getRuleKey(a) > getRuleKey(b) ? 1 : 0));
}
