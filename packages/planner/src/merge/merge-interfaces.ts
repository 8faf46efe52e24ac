import { PlannerError } from '../errors.js';
import { getInterfaceKind } from '../interfaces/interface-kind.js';
import { isDynamicIp, normalizeIface } from '../interfaces/normalize-interface.js';
import { cloneJson, type JsonObject } from '../json/json-value.js';
import { mergeJson } from '../json/tree-ops.js';
import { getIfaceState, getIfaceType, getObject, getString, type InterfaceDoc } from '../state/network-state.js';

/** One interface after merging desired over current. */
export interface MergedInterface {
  /** Interface name. */
  readonly name: string;
  /** Interface type, from desired or else current (`unknown` when neither says). */
  readonly type: string;
  /** The desired entry, normalized, with `state` filled in (`up` by default); undefined when not desired. */
  readonly desired: InterfaceDoc | undefined;
  /** The current entry, normalized; undefined when the interface does not exist yet. */
  readonly current: InterfaceDoc | undefined;
  /** The whole interface as it should end up (state `absent` when it goes away). */
  merged: InterfaceDoc;
  /** Changed without being desired: a port attached or detached, a VLAN whose base goes away, a veth peer. */
  isChanged: boolean;
}

/** The interfaces of a merged state, indexed by name, plus what was left alone. */
export interface MergedInterfaces {
  /** Every interface that exists before or after, sorted by name (then type). */
  readonly list: readonly MergedInterface[];
  /** Kernel interfaces by name; user-space ones (OVS bridges) under `name` + `\u0000` + type. */
  readonly byKey: ReadonlyMap<string, MergedInterface>;
  /** Names the desired or current state marks `state: ignore`, and that nothing brings up. */
  readonly ignored: ReadonlySet<string>;
}

function keyOf(name: string, type: string | undefined): string {
  return getInterfaceKind(type).isUserspace ? `${name}\u0000${type}` : name;
}

/** Whether the merged interface ends up existing (not absent, not ignored). */
export function isPresent(iface: MergedInterface): boolean {
  const state = getIfaceState(iface.merged);
  return state !== 'absent' && state !== 'ignore';
}

/**
 * What an apply writes for a desired interface: the desired settings, with
 * the sections its type applies whole taken from the merged interface.
 */
export function getAppliedIface(entry: MergedInterface): InterfaceDoc | undefined {
  if (!entry.desired) return undefined;
  const whole = getInterfaceKind(entry.type).applyWholeSections ?? [];
  if (whole.length === 0 || getIfaceState(entry.desired) === 'absent') return entry.desired;
  const out: InterfaceDoc = { ...entry.desired };
  for (const section of whole) if (section in out && entry.merged[section] !== undefined) out[section] = cloneJson(entry.merged[section] as JsonObject);
  return out;
}

/** The interface's merged document, copied first when it is still shared with current. */
function ownMerged(entry: MergedInterface): InterfaceDoc {
  if (entry.merged === entry.current) entry.merged = cloneJson(entry.current);
  return entry.merged;
}

/**
 * IP sections after merging, as nmstate settles them: a stack being disabled
 * keeps nothing else (one already off stays as current shows it: nmstatectl
 * prints DHCP and metric defaults there), and a stack switched from static to
 * DHCP/autoconf without naming addresses drops the static ones.
 */
function settleIpSections(merged: InterfaceDoc, desired: InterfaceDoc, current: InterfaceDoc | undefined): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const des = getObject(desired, family);
    const ip = getObject(merged, family);
    if (!des || !ip) continue;
    if (des['enabled'] === false) {
      if (getObject(current, family)?.['enabled'] !== false) merged[family] = { enabled: false };
    } else if (isDynamicIp(des) && !('address' in des) && !isDynamicIp(getObject(current, family))) {
      delete ip['address'];
    }
  }
}

/** Ports can hold no IP: nmstate disables both stacks on any interface attached to a controller (a stack off already stays as shown). */
function disableIp(iface: InterfaceDoc, current: InterfaceDoc | undefined): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const was = getObject(current, family);
    iface[family] = was?.['enabled'] === false ? cloneJson(was) : { enabled: false };
  }
}

/**
 * Merges the desired interfaces over the current ones with nmstate's meaning:
 * absent keys come from current; `absent` removes (and detaches its ports,
 * and removes what is stacked on it, at any depth); `ignore` leaves alone; a
 * controller's port list and its ports' `controller:` must agree; a port may
 * have one controller; veth peers come and go together.
 */
export function mergeInterfaces(desiredList: readonly InterfaceDoc[], currentList: readonly InterfaceDoc[]): MergedInterfaces {
  const byKey = new Map<string, MergedInterface>();
  const currentByName = new Map<string, InterfaceDoc>();
  const ignored = new Set<string>();

  for (const raw of currentList) {
    const cur = normalizeIface(raw);
    const type = getIfaceType(cur) ?? 'unknown';
    const key = keyOf(cur.name, type);
    if (getIfaceState(cur) === 'ignore') ignored.add(cur.name);
    if (!getInterfaceKind(type).isUserspace || !currentByName.has(cur.name)) currentByName.set(cur.name, cur);
    // `merged` shares `current` until something changes it (see ownMerged): most interfaces of a large host are untouched.
    byKey.set(key, { name: cur.name, type, desired: undefined, current: cur, merged: cur, isChanged: false });
  }

  const desiredNames = new Set<string>();
  const desiredEntries: MergedInterface[] = [];
  for (const raw of desiredList) {
    if (typeof raw.name !== 'string' || raw.name === '') {
      throw new PlannerError('invalid-argument', 'Every desired interface needs a non-empty `name`');
    }
    const des = normalizeIface(raw);
    const type = getIfaceType(des) ?? getIfaceType(currentByName.get(des.name) ?? { name: '' });
    const dupKey = `${des.name}\u0000${type ?? ''}`;
    if (desiredNames.has(dupKey)) throw new PlannerError('invalid-argument', `Interface '${des.name}' is listed twice in the desired state`);
    desiredNames.add(dupKey);
    const state = getIfaceState(des);
    des['state'] = state;
    const key = keyOf(des.name, type);
    const existing = byKey.get(key);
    const current = existing?.current;
    if (state === 'ignore') {
      ignored.add(des.name);
      if (existing) byKey.set(key, { ...existing, desired: des });
      continue;
    }
    ignored.delete(des.name);
    if (type === undefined) {
      if (state === 'absent') continue;
      throw new PlannerError(
        'invalid-argument',
        `Interface '${des.name}' is not in the current state and the desired state does not give its \`type\``,
      );
    }
    if (state === 'absent' && !current) continue;
    let merged: InterfaceDoc;
    if (state === 'absent') {
      merged = { ...cloneJson(current as InterfaceDoc), state: 'absent' };
    } else {
      merged = mergeJson(current, des) as InterfaceDoc;
      merged['type'] = type;
      settleIpSections(merged, des, current);
    }
    const entry: MergedInterface = { name: des.name, type, desired: { ...des, type }, current, merged, isChanged: false };
    byKey.set(key, entry);
    desiredEntries.push(entry);
  }

  addVethPeers(byKey);
  // Orphans first, so controllers drop ports that go away with their base.
  removeOrphans(byKey);
  resolveControllers(byKey, ignored);

  const list = [...byKey.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  return { list, byKey, ignored };
}

function findKernel(byKey: ReadonlyMap<string, MergedInterface>, name: string): MergedInterface | undefined {
  return byKey.get(name);
}

/** A new veth brings its peer up with it; an absent veth takes its peer away. */
function addVethPeers(byKey: Map<string, MergedInterface>): void {
  for (const entry of [...byKey.values()]) {
    if (!entry.desired) continue;
    const peer = getInterfaceKind(entry.type).getPeer?.(entry.merged);
    if (!peer) continue;
    const peerEntry = findKernel(byKey, peer);
    if (getIfaceState(entry.merged) === 'absent') {
      if (peerEntry?.current && !peerEntry.desired && isPresent(peerEntry)) {
        peerEntry.merged = { ...peerEntry.merged, state: 'absent' };
        peerEntry.isChanged = true;
      }
    } else if (!peerEntry) {
      const merged: InterfaceDoc = { name: peer, type: 'veth', state: 'up', veth: { peer: entry.name } };
      byKey.set(peer, { name: peer, type: 'veth', desired: undefined, current: undefined, merged, isChanged: true });
    }
  }
}

function getPorts(entry: MergedInterface, doc: JsonObject | undefined): string[] | undefined {
  return doc ? getInterfaceKind(entry.type).getPorts?.(doc) : undefined;
}

/**
 * Makes port lists and `controller:` properties agree, detaches the ports of
 * absent controllers, and rejects a port claimed twice.
 */
function resolveControllers(byKey: Map<string, MergedInterface>, ignored: Set<string>): void {
  // Who owned each port before: from current port lists.
  const oldOwner = new Map<string, string>();
  for (const entry of byKey.values()) {
    for (const port of getPorts(entry, entry.current) ?? []) oldOwner.set(port, entry.name);
  }

  // Ports each controller ends up with. Desired lists are authoritative; a desired one is checked for double claims.
  const portsOf = new Map<MergedInterface, Set<string>>();
  const claimedBy = new Map<string, MergedInterface>();
  const explicit = new Set<MergedInterface>();
  for (const entry of byKey.values()) {
    if (!isPresent(entry)) continue;
    const desiredPorts = getPorts(entry, entry.desired);
    if (desiredPorts) explicit.add(entry);
    const ports = new Set(desiredPorts ?? getPorts(entry, entry.merged) ?? []);
    if (!getInterfaceKind(entry.type).getPorts) continue;
    portsOf.set(entry, ports);
  }
  for (const entry of explicit) {
    for (const port of portsOf.get(entry) ?? []) {
      const other = claimedBy.get(port);
      if (other) {
        throw new PlannerError('invalid-argument', `Interface '${port}' is listed as a port of both '${other.name}' and '${entry.name}'`);
      }
      claimedBy.set(port, entry);
    }
  }
  // A controller that is only current loses any port a desired controller takes.
  for (const [entry, ports] of portsOf) {
    if (explicit.has(entry)) continue;
    for (const port of [...ports]) {
      const taker = claimedBy.get(port);
      if (taker && taker !== entry) ports.delete(port);
      else claimedBy.set(port, entry);
    }
  }

  // `controller:` on desired ports. Controllers by name: an OVS bridge and its internal interface may share a name.
  const controllerByName = new Map<string, MergedInterface>();
  for (const c of portsOf.keys()) controllerByName.set(c.name, c);
  for (const entry of byKey.values()) {
    const wanted = entry.desired ? getString(entry.desired, 'controller') : undefined;
    if (wanted === undefined || !isPresent(entry)) continue;
    const owner = claimedBy.get(entry.name);
    if (wanted === '') {
      if (owner && explicit.has(owner)) {
        throw new PlannerError('invalid-argument', `Interface '${entry.name}' has \`controller: ""\` but '${owner.name}' lists it as a port`);
      }
      if (owner) portsOf.get(owner)?.delete(entry.name);
      claimedBy.delete(entry.name);
      continue;
    }
    if (owner?.name === wanted) continue;
    const ctrl = controllerByName.get(wanted);
    if (!ctrl || !isPresent(ctrl) || !portsOf.has(ctrl)) {
      throw new PlannerError('invalid-argument', `Interface '${entry.name}' has \`controller: ${wanted}\`, which is not an existing controller interface`);
    }
    if (explicit.has(ctrl)) {
      throw new PlannerError(
        'invalid-argument',
        `Interface '${entry.name}' has \`controller: ${wanted}\` but the port list of '${wanted}' does not include it`,
      );
    }
    if (owner && explicit.has(owner)) {
      throw new PlannerError('invalid-argument', `Interface '${entry.name}' has \`controller: ${wanted}\` but '${owner.name}' lists it as a port`);
    }
    if (owner) portsOf.get(owner)?.delete(entry.name);
    portsOf.get(ctrl)?.add(entry.name);
    claimedBy.set(entry.name, ctrl);
  }

  // Validate ports and write the outcome on both sides.
  for (const [ctrl, ports] of portsOf) {
    const before = getPorts(ctrl, ctrl.merged) ?? [];
    const after = [...ports].sort();
    for (const port of after) {
      const portEntry = findKernel(byKey, port);
      // A port the current state already lists but does not describe is taken as it is.
      if (!portEntry && before.includes(port)) continue;
      if (!portEntry) {
        throw new PlannerError('invalid-argument', `Port '${port}' of '${ctrl.name}' is neither in the current nor in the desired state`);
      }
      if (getIfaceState(portEntry.merged) === 'absent') {
        if (explicit.has(ctrl)) {
          throw new PlannerError('invalid-argument', `Interface '${port}' is marked absent but '${ctrl.name}' lists it as a port`);
        }
        ports.delete(port);
      }
    }
    const final = [...ports].sort();
    if (final.join('\u0000') !== [...before].sort().join('\u0000')) {
      getInterfaceKind(ctrl.type).setPorts?.(ownMerged(ctrl), final, ctrl.current);
      if (!ctrl.desired) ctrl.isChanged = true;
    } else if (ctrl.desired && getPorts(ctrl, ctrl.desired)) {
      getInterfaceKind(ctrl.type).setPorts?.(ownMerged(ctrl), final, ctrl.current);
    }
  }

  const newOwner = new Map<string, MergedInterface>();
  for (const [ctrl, ports] of portsOf) for (const port of ports) newOwner.set(port, ctrl);

  for (const entry of byKey.values()) {
    if (getInterfaceKind(entry.type).isUserspace) continue;
    const ctrl = newOwner.get(entry.name);
    const before = oldOwner.get(entry.name) ?? (entry.current ? getString(entry.current, 'controller') : undefined) ?? '';
    const after = ctrl?.name ?? '';
    if (ctrl) {
      if (ignored.has(entry.name) || getIfaceState(entry.merged) === 'ignore') {
        // An ignored interface named as a port by a controller is managed from now on.
        ignored.delete(entry.name);
        entry.merged = { ...entry.merged, state: 'up' };
        entry.isChanged = true;
      }
      const keepIp = getInterfaceKind(ctrl.type).portsKeepIp === true || getInterfaceKind(entry.type).keepsIpAsPort === true;
      if (entry.merged['controller'] !== after || !keepIp) {
        const merged = ownMerged(entry);
        merged['controller'] = after;
        if (!keepIp) disableIp(merged, entry.current);
      }
    } else if ('controller' in entry.merged) {
      delete ownMerged(entry)['controller'];
    }
    if (before !== after && !entry.desired && isPresent(entry)) entry.isChanged = true;
  }
}

/** Interfaces stacked on an absent interface (at any depth) become absent; a missing base is an error. */
function removeOrphans(byKey: Map<string, MergedInterface>): void {
  const children = new Map<string, MergedInterface[]>();
  for (const entry of byKey.values()) {
    if (!isPresent(entry)) continue;
    for (const parent of getInterfaceKind(entry.type).getParents?.(entry.merged) ?? []) {
      if (!findKernel(byKey, parent)) {
        throw new PlannerError('invalid-argument', `Interface '${entry.name}' is stacked on '${parent}', which is neither in the current nor in the desired state`);
      }
      const list = children.get(parent) ?? [];
      list.push(entry);
      children.set(parent, list);
    }
  }
  // An OVS internal interface belongs to its bridge: it is a child of the bridge for removal purposes.
  for (const entry of byKey.values()) {
    const kind = getInterfaceKind(entry.type);
    if (!kind.getPorts || getIfaceState(entry.merged) !== 'absent') continue;
    for (const port of kind.getPorts(entry.current ?? entry.merged) ?? []) {
      const portEntry = findKernel(byKey, port);
      if (portEntry && getInterfaceKind(portEntry.type).isOwnedByController) {
        const list = children.get(entry.name) ?? [];
        list.push(portEntry);
        children.set(entry.name, list);
      }
    }
  }
  const queue = [...byKey.values()].filter((e) => getIfaceState(e.merged) === 'absent').map((e) => e.name);
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i] as string) ?? []) {
      if (!isPresent(child)) continue;
      if (child.desired && getIfaceState(child.desired) !== 'absent') {
        throw new PlannerError('invalid-argument', `Interface '${child.name}' is desired ${getIfaceState(child.desired)} but its base '${queue[i]}' is marked absent`);
      }
      child.merged = { ...child.merged, state: 'absent' };
      child.isChanged = true;
      queue.push(child.name);
    }
  }
}
