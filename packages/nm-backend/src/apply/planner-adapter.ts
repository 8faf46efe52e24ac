import type { NetworkState } from '@nmfleet/model';
import { getInterfaceKind, mergeStates, toStateDoc, verifyState, type MergedInterface, type MergedState, type StateDoc } from '@nmfleet/planner';
import type { InterfaceTree } from '../state/state-tree.js';
import type { PlanOperation, StatePlan, StatePlanner } from './planner-port.js';

/**
 * The planner every backend uses: `@nmfleet/planner`'s merge and verify, and
 * an ordering of operations derived from its merged state. The ordering moves
 * to the planner's own `plan` once it is published; backends only see
 * {@link StatePlanner}, so that swap touches this file alone.
 */
export const defaultPlanner: StatePlanner = {
  planChanges: (desired, current) => orderOperations(mergeStates(asDoc(desired), asDoc(current))),
  verifyState: (desired, current) =>
    verifyState(asDoc(desired), asDoc(current)).map((m) => ({ path: m.path, expected: m.expected, actual: m.actual, message: m.message })),
};

function asDoc(state: NetworkState): StateDoc {
  return state as unknown as StateDoc;
}

function stateOf(iface: MergedInterface): string {
  return typeof iface.merged['state'] === 'string' ? iface.merged['state'] : 'up';
}

/** Whether the interface needs its profile written and (re)activated. */
function needsChange(iface: MergedInterface): boolean {
  if (stateOf(iface) === 'absent' || stateOf(iface) === 'ignore') return false;
  if (!iface.current) return true;
  return JSON.stringify(sortKeys(iface.current)) !== JSON.stringify(sortKeys(iface.merged));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** Interfaces that must be in place before this one: its controller and what it is stacked on. */
function parentsOf(iface: MergedInterface): string[] {
  const parents = [...(getInterfaceKind(iface.type).getParents?.(iface.merged) ?? [])];
  const controller = iface.merged['controller'];
  if (typeof controller === 'string') parents.push(controller);
  return parents;
}

/**
 * Orders the operations of a merged state: creations and changes with every
 * controller and base first (depth-first, any depth, ties by name), removals in
 * the reverse order, then routes, rules, DNS and hostname.
 */
function orderOperations(merged: MergedState): StatePlan {
  const byName = new Map(merged.interfaces.list.map((i) => [i.name, i]));
  const operations: PlanOperation[] = [];
  const doneAt = new Map<string, number>();
  const visiting = new Set<string>();

  const visitChange = (iface: MergedInterface): void => {
    if (doneAt.has(iface.name) || !needsChange(iface)) return;
    if (visiting.has(iface.name)) return;
    visiting.add(iface.name);
    const parents = parentsOf(iface).flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
    for (const parent of parents) visitChange(parent);
    const dependsOn = parents.flatMap((p) => (doneAt.has(p.name) ? [doneAt.get(p.name)!] : []));
    const merged = iface.merged as InterfaceTree;
    operations.push({ kind: iface.current ? 'modify-profile' : 'create-profile', interface: iface.name, type: iface.type, merged, dependsOn });
    operations.push({
      kind: stateOf(iface) === 'down' ? 'deactivate' : 'activate',
      interface: iface.name,
      type: iface.type,
      merged,
      dependsOn: [operations.length - 1, ...dependsOn],
    });
    doneAt.set(iface.name, operations.length - 1);
    visiting.delete(iface.name);
  };
  for (const iface of merged.interfaces.list) visitChange(iface);

  const removals = merged.interfaces.list.filter((i) => stateOf(i) === 'absent' && i.current !== undefined);
  const removalOrder: MergedInterface[] = [];
  const placed = new Set<string>();
  const visitRemoval = (iface: MergedInterface): void => {
    if (placed.has(iface.name)) return;
    placed.add(iface.name);
    for (const parent of parentsOf(iface)) {
      const p = byName.get(parent);
      if (p && stateOf(p) === 'absent' && p.current) visitRemoval(p);
    }
    removalOrder.push(iface);
  };
  for (const iface of removals) visitRemoval(iface);
  for (const iface of removalOrder.reverse()) {
    const first = operations.length;
    const merged = iface.merged as InterfaceTree;
    operations.push({ kind: 'deactivate', interface: iface.name, type: iface.type, merged, dependsOn: [] });
    operations.push({ kind: 'delete-profile', interface: iface.name, type: iface.type, merged, dependsOn: [first] });
    if (getInterfaceKind(iface.type).isVirtual) {
      operations.push({ kind: 'delete-device', interface: iface.name, type: iface.type, merged, dependsOn: [first + 1] });
    }
  }

  const interfaceOps = operations.map((_, i) => i);
  if (merged.routes.added.length > 0 || merged.routes.removed.length > 0) operations.push({ kind: 'routes', dependsOn: interfaceOps });
  if (merged.rules.isChanged) operations.push({ kind: 'route-rules', dependsOn: interfaceOps });
  if (merged.dns.isChanged) operations.push({ kind: 'dns', dependsOn: interfaceOps });
  if (merged.hostname.isChanged) operations.push({ kind: 'hostname', dependsOn: interfaceOps });
  return { merged: toStateDoc(merged) as unknown as NetworkState, operations };
}
