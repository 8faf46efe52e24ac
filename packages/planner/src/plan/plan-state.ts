import { PlannerError } from '../errors.js';
import { getInterfaceKind } from '../interfaces/interface-kind.js';
import { cloneJson, isJsonEqual, type JsonObject } from '../json/json-value.js';
import { isPresent, type MergedInterface } from '../merge/merge-interfaces.js';
import { mergeStates, toStateDoc, type MergedState } from '../merge/merge-state.js';
import { getRouteIface, LOOPBACK_IFACE_NAME } from '../routes/route-entry.js';
import { getIfaceState, getString, type InterfaceDoc, type StateInput } from '../state/network-state.js';
import type { Plan, PlanOperation, PlanOperationKind } from './plan-types.js';

/** Which group an operation sorts in when several are ready: removals first, then changes, then state-wide settings. */
const PHASE: Readonly<Record<PlanOperationKind, number>> = {
  deactivate: 1,
  'delete-profile': 1,
  'delete-device': 1,
  'create-profile': 2,
  'modify-profile': 2,
  activate: 2,
  routes: 3,
  'route-rules': 4,
  dns: 5,
  hostname: 6,
};

const KIND_ORDER: Readonly<Record<PlanOperationKind, number>> = {
  deactivate: 0,
  'delete-profile': 1,
  'delete-device': 2,
  'create-profile': 0,
  'modify-profile': 0,
  activate: 1,
  routes: 0,
  'route-rules': 0,
  dns: 0,
  hostname: 0,
};

interface Node {
  readonly op: Omit<PlanOperation, 'dependsOn'>;
  readonly deps: Set<number>;
  readonly sortKey: string;
}

/** A binary min-heap of node indices ordered by rank (the position of their sort key among all keys). */
class ReadyQueue {
  private readonly items: number[] = [];
  constructor(private readonly rank: Int32Array) {}
  get size(): number {
    return this.items.length;
  }
  push(i: number): void {
    const a = this.items;
    const r = this.rank;
    a.push(i);
    let c = a.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if ((r[a[p] as number] as number) <= (r[a[c] as number] as number)) break;
      [a[p], a[c]] = [a[c] as number, a[p] as number];
      c = p;
    }
  }
  pop(): number {
    const a = this.items;
    const r = this.rank;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length > 0) {
      a[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const rr = l + 1;
        let m = p;
        if (l < a.length && (r[a[l] as number] as number) < (r[a[m] as number] as number)) m = l;
        if (rr < a.length && (r[a[rr] as number] as number) < (r[a[m] as number] as number)) m = rr;
        if (m === p) break;
        [a[p], a[m]] = [a[m] as number, a[p] as number];
        p = m;
      }
    }
    return top;
  }
}

/** Whether an interface's profile must be written: new, or its merged settings differ from current (the run state is not a setting). */
function isProfileChanged(iface: MergedInterface): boolean {
  if (!iface.current) return true;
  const { state: _currentState, ...current } = iface.current;
  const { state: _mergedState, ...merged } = iface.merged;
  return !isJsonEqual(current, merged);
}

/**
 * Plans the change from `current` to `desired`: merges them, then orders the
 * operations so that a base comes before what is stacked on it, a controller
 * before its ports join, removals in the reverse order, routes after the
 * interfaces they use, at any nesting depth. Ties break by phase, interface
 * name and operation kind, so the same input always gives the same plan.
 *
 * Throws {@link PlannerError} `invalid-argument` for contradictory input and
 * `dependency-cycle` when interfaces are stacked on each other in a loop.
 */
export function planState(desired: StateInput, current: StateInput): Plan {
  return planMerged(mergeStates(desired, current));
}

/** {@link planState} for an already merged state. */
export function planMerged(merged: MergedState): Plan {
  const nodes: Node[] = [];
  const add = (op: Omit<PlanOperation, 'dependsOn'>, deps: readonly (number | undefined)[] = []): number => {
    const name = op.interface ?? '';
    const sortKey = `${PHASE[op.kind]}\u0000${name}\u0000${op.type ?? ''}\u0000${KIND_ORDER[op.kind]}`;
    nodes.push({ op, deps: new Set(deps.filter((d): d is number => d !== undefined)), sortKey });
    return nodes.length - 1;
  };
  const ifaces = merged.interfaces;
  const byName = ifaces.byKey;
  /** Per interface: the op that writes its profile, the op that brings it to its final run state, and its removal ops. */
  const profileOp = new Map<MergedInterface, number>();
  const upOp = new Map<MergedInterface, number>();
  const firstRemovalOp = new Map<MergedInterface, number>();
  const lastRemovalOp = new Map<MergedInterface, number>();

  const touched = ifaces.list.filter((i) => (i.desired !== undefined || i.isChanged) && !ifaces.ignored.has(i.name) && getIfaceState(i.merged) !== 'ignore');

  // The merged document first: operations share its interface copies instead of copying again.
  const mergedDoc = toStateDoc(merged);
  const copyOf = new Map<string, InterfaceDoc>();
  for (const doc of mergedDoc.interfaces ?? []) copyOf.set(`${doc.name}\u0000${String(doc['type'])}`, doc);
  const gone: InterfaceDoc[] = [];
  for (const i of ifaces.list) {
    if (isPresent(i) || !i.current || ifaces.ignored.has(i.name)) continue;
    const doc = { ...cloneJson(i.merged), state: 'absent' };
    gone.push(doc);
    copyOf.set(`${i.name}\u0000${i.type}`, doc);
  }
  if (gone.length > 0) mergedDoc.interfaces = [...(mergedDoc.interfaces ?? []), ...gone].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Nodes first, dependencies second, so their creation order does not matter.
  for (const iface of touched) {
    // Operations of one interface share the merged document's copy (they describe the same end state).
    const base = { interface: iface.name, type: iface.type, merged: copyOf.get(`${iface.name}\u0000${iface.type}`) ?? cloneJson(iface.merged) };
    const state = getIfaceState(iface.merged);
    if (!isPresent(iface)) {
      if (!iface.current) continue;
      const deact = add({ kind: 'deactivate', ...base });
      const del = add({ kind: 'delete-profile', ...base }, [deact]);
      firstRemovalOp.set(iface, deact);
      lastRemovalOp.set(iface, del);
      if (getInterfaceKind(iface.type).isVirtual) lastRemovalOp.set(iface, add({ kind: 'delete-device', ...base }, [del]));
      continue;
    }
    const profileChanged = isProfileChanged(iface);
    if (profileChanged) profileOp.set(iface, add({ kind: iface.current ? 'modify-profile' : 'create-profile', ...base }));
    const wasUp = iface.current !== undefined && getIfaceState(iface.current) === 'up';
    if (state === 'up' && (profileChanged || !wasUp)) upOp.set(iface, add({ kind: 'activate', ...base }, [profileOp.get(iface)]));
    if (state === 'down' && iface.current && getIfaceState(iface.current) !== 'down') upOp.set(iface, add({ kind: 'deactivate', ...base }, [profileOp.get(iface)]));
  }

  const depend = (op: number | undefined, on: number | undefined): void => {
    if (op !== undefined && on !== undefined && op !== on) nodes[op]?.deps.add(on);
  };
  const currentController = (iface: MergedInterface): string | undefined => getString(iface.current, 'controller') || undefined;
  // Controllers by name: an OVS bridge and its internal interface may share a name.
  const controllerByName = new Map<string, MergedInterface>();
  for (const c of ifaces.list) if (getInterfaceKind(c.type).getPorts) controllerByName.set(c.name, c);

  for (const iface of touched) {
    const kind = getInterfaceKind(iface.type);
    const parents = (kind.getParents?.(iface.merged) ?? []).flatMap((p) => (byName.has(p) ? [byName.get(p) as MergedInterface] : []));
    const controllerName = getString(iface.merged, 'controller');
    const controller = controllerName ? controllerByName.get(controllerName) : undefined;
    if (isPresent(iface)) {
      // A profile names its controller and base: they must exist first, and be up before this one comes up.
      for (const p of [...parents, ...(controller ? [controller] : [])]) {
        depend(profileOp.get(iface), profileOp.get(p));
        depend(upOp.get(iface), upOp.get(p));
        depend(upOp.get(iface), profileOp.get(p));
      }
      // The second end of a new veth pair appears when the first is activated.
      if (!iface.current && iface.type === 'veth') {
        const peer = kind.getPeer?.(iface.merged);
        const peerIface = peer ? byName.get(peer) : undefined;
        if (peerIface && peerIface.name < iface.name) depend(upOp.get(iface), upOp.get(peerIface));
      }
    } else {
      // Removal runs in reverse: what is stacked on this, and its ports, leave first.
      for (const p of parents) depend(firstRemovalOp.get(p), lastRemovalOp.get(iface));
    }
    // A port leaving a controller that is removed must be detached before the controller goes.
    const oldController = currentController(iface);
    if (oldController && oldController !== controllerName) {
      const old = controllerByName.get(oldController);
      if (old && !isPresent(old)) depend(firstRemovalOp.get(old), profileOp.get(iface) ?? firstRemovalOp.get(iface));
    }
  }

  // Routes, grouped by the interface they use, after that interface is up.
  const routeGroups = new Map<string, { add: JsonObject[]; remove: JsonObject[] }>();
  const groupOf = (name: string): { add: JsonObject[]; remove: JsonObject[] } => {
    let g = routeGroups.get(name);
    if (!g) routeGroups.set(name, (g = { add: [], remove: [] }));
    return g;
  };
  for (const r of merged.routes.added) groupOf(getRouteIface(r) ?? LOOPBACK_IFACE_NAME).add.push(cloneJson(r));
  const implicitly = new Set(merged.routes.removedImplicitly.map((r) => JSON.stringify(r)));
  for (const r of merged.routes.removed) {
    const { state: _state, ...plain } = r;
    // Routes of an interface that goes away leave with its profile.
    if (implicitly.has(JSON.stringify(plain)) && !isPresentName(merged, getRouteIface(r))) continue;
    groupOf(getRouteIface(r) ?? LOOPBACK_IFACE_NAME).remove.push(cloneJson(r));
  }
  const routeOps: number[] = [];
  for (const name of [...routeGroups.keys()].sort()) {
    const g = routeGroups.get(name) as { add: JsonObject[]; remove: JsonObject[] };
    const iface = byName.get(name);
    const op = add({ kind: 'routes', interface: name, ...(iface ? { type: iface.type } : {}), add: g.add, remove: g.remove }, iface ? [upOp.get(iface), profileOp.get(iface)] : []);
    routeOps.push(op);
  }
  if (merged.rules.isChanged) {
    const iifs = new Set(merged.rules.forApply.flatMap((r) => (typeof r['iif'] === 'string' ? [r['iif']] : [])));
    const deps = [...routeOps, ...[...iifs].flatMap((n) => (byName.has(n) ? [upOp.get(byName.get(n) as MergedInterface)] : []))];
    add({ kind: 'route-rules', rules: merged.rules.forApply.map((r) => cloneJson(r)) }, deps);
  }
  if (merged.dns.isChanged) {
    // NetworkManager keeps DNS on interface profiles: set it once every interface is in place.
    add({ kind: 'dns', dns: cloneJson(merged.dns.merged ?? {}) }, [...upOp.values(), ...profileOp.values()]);
  }
  if (merged.hostname.isChanged) add({ kind: 'hostname', hostname: cloneJson(merged.hostname.merged ?? {}) });

  return { merged: mergedDoc, operations: orderNodes(nodes) };
}

function isPresentName(merged: MergedState, name: string | undefined): boolean {
  const iface = name ? merged.interfaces.byKey.get(name) : undefined;
  return iface === undefined || isPresent(iface);
}

/** Kahn's algorithm with a heap of ready operations, so the order is topological and stable. */
function orderNodes(nodes: readonly Node[]): PlanOperation[] {
  const indegree = nodes.map((n) => n.deps.size);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const d of n.deps) (dependents[d] as number[]).push(i);
  });
  // Rank every node once by its sort key, so the heap compares integers rather than strings.
  const byKey = nodes.map((_, i) => i).sort((x, y) => {
    const a = (nodes[x] as Node).sortKey;
    const b = (nodes[y] as Node).sortKey;
    return a < b ? -1 : a > b ? 1 : x - y;
  });
  const rank = new Int32Array(nodes.length);
  byKey.forEach((node, position) => {
    rank[node] = position;
  });
  const queue = new ReadyQueue(rank);
  indegree.forEach((deg, i) => {
    if (deg === 0) queue.push(i);
  });
  const position = new Array<number>(nodes.length).fill(-1);
  const order: number[] = [];
  while (queue.size > 0) {
    const i = queue.pop();
    position[i] = order.length;
    order.push(i);
    for (const j of dependents[i] as number[]) {
      indegree[j] = (indegree[j] as number) - 1;
      if (indegree[j] === 0) queue.push(j);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = [...new Set(nodes.flatMap((n, i) => (position[i] === -1 && n.op.interface ? [n.op.interface] : [])))].sort();
    throw new PlannerError('dependency-cycle', `Cannot order the plan: interfaces depend on each other in a loop: ${stuck.join(', ')}`);
  }
  return order.map((i) => {
    const n = nodes[i] as Node;
    return { ...n.op, dependsOn: [...n.deps].map((d) => position[d] as number).sort((a, b) => a - b) };
  });
}
