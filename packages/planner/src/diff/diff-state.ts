import { cloneJson, isJsonEqual, type JsonObject } from '../json/json-value.js';
import { diffJson } from '../json/tree-ops.js';
import { getAppliedIface } from '../merge/merge-interfaces.js';
import { mergeStates, type MergedState } from '../merge/merge-state.js';
import { isAbsentEntry, sortRoutes } from '../routes/route-entry.js';
import { getRuleKey } from '../routes/route-rule-entry.js';
import { getIfaceState, getObject, type InterfaceDoc, type StateDoc, type StateInput } from '../state/network-state.js';

/**
 * The minimal desired state that turns `current` into `desired` (nmstate's
 * `gen_diff`): for each desired interface only the properties that differ
 * (with `name`, `type`, `state`), the routes and rules that are added or
 * removed, and DNS or hostname when they change. Equal states give `{}`.
 */
export function diffStates(desired: StateInput, current: StateInput): StateDoc {
  return diffMerged(mergeStates(desired, current));
}

/** {@link diffStates} for an already merged state. */
export function diffMerged(merged: MergedState): StateDoc {
  const out: StateDoc = {};
  if (merged.hostname.isChanged && merged.hostname.desired) out['hostname'] = cloneJson(merged.hostname.desired);
  if (merged.dns.isChanged) out['dns-resolver'] = cloneJson(getObject(merged.desired, 'dns-resolver') ?? {});

  const rules = diffRules(merged);
  if (rules.length > 0) out['route-rules'] = { config: rules };
  const routes = sortRoutes([...merged.routes.added, ...merged.routes.removed]);
  if (routes.length > 0) out['routes'] = { config: routes.map((r) => cloneJson(r)) };

  const ifaces: InterfaceDoc[] = [];
  for (const entry of merged.interfaces.list) {
    const des = getAppliedIface(entry);
    if (!des || getIfaceState(des) === 'ignore') continue;
    if (!entry.current) {
      ifaces.push(cloneJson(des));
      continue;
    }
    const diff = diffJson(des, entry.current) as JsonObject | undefined;
    if (diff) ifaces.push({ ...diff, name: entry.name, type: entry.type, state: getIfaceState(des) });
  }
  if (ifaces.length > 0) out.interfaces = ifaces;
  return out;
}

function diffRules(merged: MergedState): JsonObject[] {
  const { desired, current, forApply } = merged.rules;
  if (desired === undefined || isJsonEqual([...desired], [...current])) return [];
  const currentKeys = new Set(current.map(getRuleKey));
  return forApply.filter((r) => isAbsentEntry(r) || !currentKeys.has(getRuleKey(r))).map((r) => cloneJson(r));
}
