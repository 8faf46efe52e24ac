import { getInterfaceKind } from '../interfaces/interface-kind.js';
import { isDynamicIp, isIpDisabled } from '../interfaces/normalize-interface.js';
import { cloneJson, isJsonEqual, type JsonObject } from '../json/json-value.js';
import { revertJson } from '../json/tree-ops.js';
import { getAppliedIface, isPresent, type MergedInterface } from '../merge/merge-interfaces.js';
import { mergeStates, type MergedState } from '../merge/merge-state.js';
import { isAbsentEntry, isRouteMatch, sortRoutes } from '../routes/route-entry.js';
import { getRuleKey, isRuleMatch } from '../routes/route-rule-entry.js';
import { getIfaceState, getObject, getSectionList, type InterfaceDoc, type StateDoc, type StateInput } from '../state/network-state.js';

/**
 * The state that undoes `desired` when applied after it, given the state
 * before it (nmstate's `gen_revert`, `nmstatectl gr`): the current values of
 * every property desired sets, `state: absent` for what it creates, and the
 * routes, rules, DNS and hostname it changed put back.
 *
 * Beyond upstream: an IP stack desired switches off comes back with its
 * addresses and settings, where `nmstatectl gr` writes only `enabled: true`.
 */
export function revertStates(desired: StateInput, current: StateInput): StateDoc {
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

  const ovsDb = revertOvsDb(getObject(merged.desired, 'ovs-db'), getObject(merged.current, 'ovs-db'));
  if (ovsDb) out['ovs-db'] = ovsDb;

  const controllers = new Map<string, MergedInterface>();
  for (const c of merged.interfaces.list) if (getInterfaceKind(c.type).getPorts) controllers.set(c.name, c);
  const ifaces: InterfaceDoc[] = [];
  for (const entry of merged.interfaces.list) {
    const reverted = revertIface(entry, controllers);
    if (reverted) ifaces.push(reverted);
  }
  if (ifaces.length > 0) out.interfaces = ifaces;
  return out;
}

function revertIface(entry: MergedInterface, controllers: ReadonlyMap<string, MergedInterface>): InterfaceDoc | undefined {
  if (!entry.desired && !entry.isChanged) return undefined;
  if (entry.desired && getIfaceState(entry.desired) === 'ignore') return undefined;
  const cur = entry.current;
  // A veth peer the apply created goes away with the veth that brought it.
  if (!cur && !entry.desired && entry.type === 'veth') return undefined;
  if (!cur) return { name: entry.name, type: entry.type, state: 'absent' };
  if (!isPresent(entry)) return cloneJson(cur);
  const applied = getAppliedIface(entry) ?? getImplicitChange(entry);
  const revert: InterfaceDoc = { name: cur.name, type: entry.type };
  revertJson(applied, cur, revert);
  const curIpv4 = getObject(cur, 'ipv4');
  const curIpv6 = getObject(cur, 'ipv6');
  // A new port loses its IP; putting the port back needs its old IP settings whole.
  const controller = typeof entry.merged['controller'] === 'string' ? controllers.get(entry.merged['controller']) : undefined;
  if (controller && !getInterfaceKind(controller.type).portsKeepIp && !getInterfaceKind(entry.type).keepsIpAsPort && cur['controller'] === undefined) {
    if (curIpv4) revert['ipv4'] = cloneJson(curIpv4);
    if (curIpv6) revert['ipv6'] = cloneJson(curIpv6);
  }
  // Re-enabling a stack desired switches off needs its old settings whole, not just `enabled: true`.
  if (isIpDisabled(getObject(applied, 'ipv4')) && curIpv4 && !isIpDisabled(curIpv4)) revert['ipv4'] = cloneJson(curIpv4);
  if (isIpDisabled(getObject(applied, 'ipv6')) && curIpv6 && !isIpDisabled(curIpv6)) revert['ipv6'] = cloneJson(curIpv6);
  // Static → dynamic without naming `address` leaves no address to revert to: take current's IP whole.
  if (isDynamicIp(getObject(applied, 'ipv4')) && curIpv4 && !isDynamicIp(curIpv4)) revert['ipv4'] = cloneJson(curIpv4);
  if (isDynamicIp(getObject(applied, 'ipv6')) && curIpv6 && !isDynamicIp(curIpv6)) revert['ipv6'] = cloneJson(curIpv6);
  // A detached port gets its controller back.
  if (entry.merged['controller'] === undefined && typeof cur['controller'] === 'string' && cur['controller'] !== '') revert['controller'] = cur['controller'];
  // Enabling SR-IOV creates VFs that reverting must remove again.
  const desSriov = getObject(getObject(applied, 'ethernet'), 'sr-iov');
  const curSriov = getObject(getObject(cur, 'ethernet'), 'sr-iov');
  if (typeof desSriov?.['total-vfs'] === 'number' && desSriov['total-vfs'] > 0 && !(typeof curSriov?.['total-vfs'] === 'number' && curSriov['total-vfs'] > 0)) {
    const ethernet = getObject(revert, 'ethernet') ?? {};
    ethernet['sr-iov'] = { ...(getObject(ethernet, 'sr-iov') ?? {}), 'total-vfs': 0 };
    revert['ethernet'] = ethernet;
  }
  if (isJsonEqual(revert, applied)) return undefined;
  return revert;
}

/**
 * What an apply writes for an interface it changes without being asked to:
 * its run state, and its controller when that changed. A controller that only
 * lost or gained ports is not reverted itself: the ports' `controller:` puts
 * them back (as nmstatectl gr does).
 */
function getImplicitChange(entry: MergedInterface): InterfaceDoc {
  const out: InterfaceDoc = { name: entry.name, type: entry.type, state: getIfaceState(entry.merged) };
  const before = typeof entry.current?.['controller'] === 'string' ? entry.current['controller'] : '';
  const after = typeof entry.merged['controller'] === 'string' ? entry.merged['controller'] : '';
  // A port's controller is part of what changed; a controller that only lost or gained ports keeps its own.
  if (!getInterfaceKind(entry.type).getPorts || before !== after) out['controller'] = after;
  return out;
}

function revertRoutes(merged: MergedState): JsonObject[] {
  const out: JsonObject[] = [];
  const written = getSectionList(merged.desired, 'routes', 'config');
  (merged.routes.desired ?? []).forEach((r, i) => {
    if (isAbsentEntry(r)) {
      for (const cur of merged.routes.current) if (isRouteMatch(r, cur)) out.push(cloneJson(cur));
    } else {
      out.push({ ...cloneJson(written[i] ?? r), state: 'absent' });
    }
  });
  for (const r of merged.routes.removedImplicitly) out.push(cloneJson(r));
  return sortRoutes(out);
}

function revertRules(merged: MergedState): JsonObject[] {
  const out: JsonObject[] = [];
  const written = getSectionList(merged.desired, 'route-rules', 'config');
  (merged.rules.desired ?? []).forEach((r, i) => {
    if (isAbsentEntry(r)) {
      for (const cur of merged.rules.current) if (isRuleMatch(r, cur)) out.push(cloneJson(cur));
    } else {
      out.push({ ...cloneJson(written[i] ?? r), state: 'absent' });
    }
  });
  return out.sort((a, b) => (getRuleKey(a) < getRuleKey(b) ? -1 : getRuleKey(a) > getRuleKey(b) ? 1 : 0));
}

/** OVS database keys desired sets go back to their current value, or to `null` (removed) when current had none. */
function revertOvsDb(desired: JsonObject | undefined, current: JsonObject | undefined): JsonObject | undefined {
  if (!desired) return undefined;
  const out: JsonObject = {};
  for (const table of ['external_ids', 'other_config'] as const) {
    const des = getObject(desired, table);
    const cur = getObject(current, table);
    const back: JsonObject = {};
    for (const key of Object.keys(des ?? {})) back[key] = cloneJson(cur?.[key]) ?? null;
    out[table] = back;
  }
  return out;
}
