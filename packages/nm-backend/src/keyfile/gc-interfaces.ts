import { isInterfaceOfType, type Interface, type InterfaceType } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import {
  findPlacedInterface,
  isUserspaceType,
  markChanged,
  toUserspaceKey,
  type PlacedInterface,
  type PlacedInterfaces,
} from '../placement/placed-interface.js';
import { getInterfaceConverter } from '../settings/interface-converters.js';
import { mergeIpConfig } from '../state/merge-ip-config.js';
import { cloneTree } from '../state/state-tree.js';

/*
 * The interfaces of a desired state prepared the way `nmstatectl gc` prepares
 * them (nmstate's merge in "generate config" mode): the desired state is the
 * whole truth about the interfaces it names, merged over a host that has
 * nothing but the loopback device. Unknown types and undeclared ports become
 * Ethernet, ports learn their controller, and interfaces get the activation
 * priority their profiles are ordered by.
 */

/** Deepest controller/parent nesting nmstate resolves without help from the document order. */
const UP_PRIORITY_PASSES = 4;
const CONTROLLER_TYPES: ReadonlySet<string> = new Set(['bond', 'linux-bridge', 'ovs-bridge', 'vrf', 'hsr']);
const COPY_MAC_TYPES: ReadonlySet<string> = new Set(['bond', 'linux-bridge', 'ovs-interface']);
/** Controllers whose absent form still lists (no) ports. */
const ABSENT_PORT_LIST_TYPES: ReadonlySet<string> = new Set(['linux-bridge', 'ovs-bridge', 'bond', 'vrf']);

/** One interface of the gc merge. */
export interface GcInterface extends PlacedInterface {
  /** Activation order: 0 for top-level interfaces, controller's + 1 for ports, parent's + 1 for stacked ones. */
  upPriority: number;
}

/** The interfaces of the gc merge, by kernel name or (user space) name and type. */
export interface GcInterfaces extends PlacedInterfaces {
  readonly kernel: Map<string, GcInterface>;
  readonly user: Map<string, GcInterface>;
  readonly insertOrder: { name: string; type: string }[];
  readonly ignored: { name: string; type: string }[];
  readonly warnings: string[];
  /** Kernel names an interface reference means: itself, or the interfaces with that profile name. */
  readonly findKernelNames: (name: string) => string[];
}

function isControllerType(type: string): boolean {
  return CONTROLLER_TYPES.has(type);
}

function invalid(message: string): never {
  throw new BackendError('invalid-state', message);
}

/** The ports a controller lists; an absent bridge, bond or VRF lists none. */
export function getPorts(iface: Interface): string[] | undefined {
  if (iface.state === 'absent') return ABSENT_PORT_LIST_TYPES.has(iface.type) ? [] : undefined;
  return getInterfaceConverter(iface.type).getPorts?.(iface);
}

/** The interface `iface` is stacked on, as nmstate orders activation. */
export function getParent(iface: Interface): string | undefined {
  return getInterfaceConverter(iface.type).getParent?.(iface);
}

/** Whether a port may hold IP settings (not as a port, except of a VRF; OVS internal interfaces may). */
export function canPortHaveIp(iface: Interface, controllerType: string | undefined): boolean {
  const controller = iface.controller;
  return controller === undefined || controller === '' || iface.type === 'ovs-interface' || controllerType === 'vrf';
}

/** Finds an interface: user-space ones need their type; `unknown` searches kernel then user space. */
export function findGcInterface(ifaces: Pick<GcInterfaces, 'kernel' | 'user'>, name: string, type?: string): GcInterface | undefined {
  return findPlacedInterface(ifaces, name, type) as GcInterface | undefined;
}

/** Every interface, user space first (nmstate's iteration order does not matter where this is used). */
export function listGcInterfaces(ifaces: GcInterfaces): GcInterface[] {
  return [...ifaces.user.values(), ...ifaces.kernel.values()];
}

/** The loopback device as nmstate assumes it exists on every host. */
function defaultLoopback(): Interface {
  return {
    name: 'lo',
    type: 'loopback',
    state: 'up',
    ipv4: { enabled: true, address: [{ ip: '127.0.0.1', 'prefix-length': 8 }] },
    ipv6: { enabled: true, address: [{ ip: '::1', 'prefix-length': 128 }] },
  } as Interface;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** nmstate's generic merge: desired keys win, nested mappings merge, lists are replaced. */
function mergeJson(desired: unknown, current: unknown): unknown {
  if (!isObject(desired) || !isObject(current)) return cloneTree(desired);
  const out: Record<string, unknown> = cloneTree(current);
  for (const [k, v] of Object.entries(desired)) out[k] = k in current ? mergeJson(v, current[k]) : cloneTree(v);
  return out;
}

function newGcInterface(desired: Interface | undefined, current: Interface | undefined): GcInterface {
  const merged = desired && current ? (mergeJson(desired, current) as Interface) : cloneTree((desired ?? current) as Interface);
  const iface: GcInterface = { name: merged.name, merged, upPriority: 0 };
  if (desired) {
    Object.assign(iface, { desired: cloneTree(desired) });
    iface.forApply = cloneTree(desired);
  }
  if (current) Object.assign(iface, { current: cloneTree(current) });
  if (desired && current && merged.state === 'up') {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const d = desired[family];
      const c = current[family];
      if (d && c) merged[family] = mergeIpConfig(d, c, family);
    }
  }
  if (desired && merged.state === 'up' && merged.type === 'ovs-bridge') createOvsInternalForEmptyBridge(iface);
  return iface;
}

/** An OVS bridge cannot exist without ports: nmstate gives an empty one an internal interface of its own name. */
function createOvsInternalForEmptyBridge(iface: GcInterface): void {
  const ports = getPorts(iface.merged);
  if (ports !== undefined && ports.length > 0) return;
  const withPort = (i: Interface): Interface => {
    if (!isInterfaceOfType(i, 'ovs-bridge')) return i;
    return { ...i, bridge: { ...(i.bridge ?? {}), port: [{ name: i.name }] } };
  };
  iface.merged = withPort(iface.merged);
  if (iface.forApply) iface.forApply = withPort(iface.forApply);
  if (iface.desired) Object.assign(iface, { desired: withPort(iface.desired) });
}


/** nmstate's name lookup: kernel names first, then profile names (which may be shared). */
class NameSearch {
  private readonly kernelNames = new Set<string>();
  private readonly byProfileName = new Map<string, string[]>();

  constructor(ifaces: Iterable<GcInterface>) {
    const list = [...ifaces];
    for (const i of list) {
      if (i.current) this.kernelNames.add(i.current.name);
      else if (i.desired && i.desired.identifier !== 'mac-address' && i.desired.state === 'up') this.kernelNames.add(i.desired.name);
    }
    for (const i of list) {
      const profile = i.merged['profile-name'];
      if (profile !== undefined) this.byProfileName.set(profile, [...(this.byProfileName.get(profile) ?? []), i.merged.name]);
    }
  }

  find(name: string): string[] {
    if (this.kernelNames.has(name)) return [name];
    return this.byProfileName.get(name) ?? [];
  }
}

function renamePort(iface: Interface, from: string, to: string): Interface {
  const out = cloneTree(iface);
  if (isInterfaceOfType(out, 'linux-bridge')) {
    for (const p of out.bridge?.port ?? []) if (p.name === from) p.name = to;
  } else if (isInterfaceOfType(out, 'ovs-bridge')) {
    for (const p of out.bridge?.port ?? []) {
      if (p.name === from) p.name = to;
      for (const b of p['link-aggregation']?.port ?? []) if (b.name === from) b.name = to;
    }
  } else if (isInterfaceOfType(out, 'bond')) {
    const conf = out['link-aggregation'];
    if (conf?.port) conf.port = conf.port.map((p) => (p === from ? to : p));
  } else if (isInterfaceOfType(out, 'vrf')) {
    const conf = out.vrf;
    if (conf?.port) conf.port = conf.port.map((p) => (p === from ? to : p));
  }
  return out;
}

function removePort(iface: Interface, port: string): Interface {
  const out = cloneTree(iface);
  if (isInterfaceOfType(out, 'linux-bridge') && out.bridge?.port) out.bridge.port = out.bridge.port.filter((p) => p.name !== port);
  else if (isInterfaceOfType(out, 'ovs-bridge') && out.bridge?.port) out.bridge.port = out.bridge.port.filter((p) => p.name !== port);
  else if (isInterfaceOfType(out, 'bond') && out['link-aggregation']?.port) out['link-aggregation'].port = out['link-aggregation'].port.filter((p) => p !== port);
  else if (isInterfaceOfType(out, 'vrf') && out.vrf?.port) out.vrf.port = out.vrf.port.filter((p) => p !== port);
  return out;
}

class GcInterfaceBuilder {
  readonly kernel = new Map<string, GcInterface>();
  readonly user = new Map<string, GcInterface>();
  readonly insertOrder: { name: string; type: string }[] = [];
  readonly warnings: string[] = [];
  ignored: { name: string; type: string }[] = [];

  get all(): GcInterface[] {
    return [...this.user.values(), ...this.kernel.values()];
  }

  find(name: string, type?: string): GcInterface | undefined {
    return findGcInterface(this, name, type);
  }

  add(iface: GcInterface): void {
    if (isUserspaceType(iface.merged.type)) this.user.set(toUserspaceKey(iface.name, iface.merged.type), iface);
    else this.kernel.set(iface.name, iface);
  }

  /** Attaches a port to (or, with an empty name, detaches it from) a controller, as nmstate's `apply_ctrller_change`. */
  applyControllerChange(iface: GcInterface, controller: string, controllerType: InterfaceType | undefined, controllerState: string): void {
    const needsController = iface.merged.type === 'ovs-interface';
    if (iface.forApply === undefined) {
      const apply = markChanged(iface);
      if (controllerState === 'up') {
        iface.merged = { ...iface.merged, state: 'up' };
        if (apply) iface.forApply = { ...apply, state: 'up' };
      }
    }
    if (!iface.forApply) invalid(`BUG: ${iface.name} has nothing to apply after its controller changed`);
    if (needsController && controller === '') {
      iface.merged = { ...iface.merged, state: 'absent' };
      iface.forApply = { ...iface.forApply, state: 'absent' };
      return;
    }
    iface.forApply = { ...iface.forApply, controller };
    iface.controllerType = controllerType;
    iface.merged = { ...iface.merged, controller };
    if (!canPortHaveIp(iface.merged, controllerType)) {
      const merged = { ...iface.merged };
      delete merged.ipv4;
      delete merged.ipv6;
      iface.merged = merged;
    }
  }
}

function normalizeDesired(list: readonly Interface[], warnings: string[]): { kernel: Map<string, Interface>; user: Map<string, Interface>; order: { name: string; type: string }[] } {
  const kernel = new Map<string, Interface>();
  const user = new Map<string, Interface>();
  const order: { name: string; type: string }[] = [];
  for (const original of list) {
    // veth is Ethernet with a peer: nmstate keys, names and identifies both the same way.
    const iface = (original.type === 'veth' ? { ...original, type: 'ethernet' } : original) as Interface;
    const taken = isUserspaceType(iface.type) ? user.has(toUserspaceKey(iface.name, iface.type)) : kernel.has(iface.name);
    if (taken) warnings.push(`Duplicate interface entry "${iface.name}": last entry wins`);
    order.push({ name: iface.name, type: iface.type });
    if (isUserspaceType(iface.type)) user.set(toUserspaceKey(iface.name, iface.type), iface);
    else kernel.set(iface.name, iface);
  }
  for (const [key, iface] of [...kernel]) if (iface.state === 'unknown') kernel.delete(key);
  for (const [key, iface] of [...user]) if (iface.state === 'unknown') user.delete(key);
  const keep = order.filter((o) => (isUserspaceType(o.type) ? user.has(toUserspaceKey(o.name, o.type)) : kernel.has(o.name)));
  for (const [name, iface] of kernel) {
    if (iface.type === 'unknown') {
      warnings.push(`Setting unknown type interface ${name} to ethernet`);
      kernel.set(name, { ...iface, type: 'ethernet' } as Interface);
    }
  }
  const missingPorts: string[] = [];
  for (const iface of [...kernel.values(), ...user.values()]) {
    for (const port of getPorts(iface) ?? []) if (!kernel.has(port) && !missingPorts.includes(port)) missingPorts.push(port);
  }
  for (const port of missingPorts) {
    warnings.push(`Assuming undefined port ${port} as ethernet`);
    kernel.set(port, { name: port, type: 'ethernet', state: 'up' } as Interface);
  }
  for (const [name, iface] of kernel) {
    if (iface.state === 'up' && iface.identifier === 'mac-address' && iface['profile-name'] === undefined) kernel.set(name, { ...iface, 'profile-name': name });
  }
  return { kernel, user, order: keep };
}

/** Ignored interfaces leave the state; controllers and veths stop naming them. */
function removeIgnored(kernel: Map<string, Interface>, user: Map<string, Interface>): { name: string; type: string }[] {
  const ignored: { name: string; type: string }[] = [];
  for (const [key, iface] of [...user]) {
    if (iface.state === 'ignore') {
      ignored.push({ name: iface.name, type: iface.type });
      user.delete(key);
    }
  }
  const ignoredKernel = new Set<string>();
  for (const [name, iface] of [...kernel]) {
    if (iface.state === 'ignore') {
      ignored.push({ name, type: iface.type });
      ignoredKernel.add(name);
      kernel.delete(name);
    }
  }
  for (const map of [kernel, user]) {
    for (const [key, iface] of map) {
      let next = iface;
      if (isControllerType(next.type)) for (const port of getPorts(next) ?? []) if (ignoredKernel.has(port)) next = removePort(next, port);
      if (isInterfaceOfType(next, 'ethernet') && next.veth !== undefined && ignoredKernel.has(next.veth.peer)) {
        const { veth: _veth, ...rest } = next;
        next = rest as Interface;
      }
      map.set(key, next);
    }
  }
  return ignored;
}

function copyMacFrom(b: GcInterfaceBuilder, search: NameSearch): void {
  for (const iface of b.kernel.values()) {
    const source = iface.desired === undefined || !COPY_MAC_TYPES.has(iface.merged.type) ? undefined : iface.merged['copy-mac-from'];
    if (source === undefined) continue;
    const names = search.find(source);
    if (names.length > 1) invalid(`copy-mac-from ${source} of iface ${iface.name} matches multiple interfaces`);
    const src = names[0] === undefined ? undefined : b.kernel.get(names[0])?.merged;
    if (!src) invalid(`Failed to find interface ${source} for copy-mac-from of iface ${iface.name}`);
    const mac = src['permanent-mac-address'] || src['mac-address'];
    if (!mac) invalid(`Failed to find mac address of interface ${source} for copy-mac-from of iface ${iface.name}`);
    if (iface.forApply) {
      const { 'copy-mac-from': _copy, ...rest } = iface.forApply;
      iface.forApply = { ...rest, 'mac-address': mac } as Interface;
    }
  }
}

function copyHsrMac(b: GcInterfaceBuilder): void {
  const pending: [string, string][] = [];
  for (const iface of b.kernel.values()) {
    const desired = iface.desired;
    if (!desired || !isInterfaceOfType(desired, 'hsr') || desired.hsr?.protocol !== 'prp') continue;
    const conf = desired.hsr;
    const macs = [desired['mac-address'], b.kernel.get(conf.port1)?.desired?.['mac-address'], b.kernel.get(conf.port2)?.desired?.['mac-address']].filter((m): m is string => m !== undefined);
    if (macs.some((m) => m !== macs[0])) invalid(`HSR ports on interface ${desired.name} cannot have different MAC addresses`);
  }
  for (const iface of b.kernel.values()) {
    const merged = iface.merged;
    if (!iface.desired || merged.state !== 'up' || !isInterfaceOfType(merged, 'hsr') || merged.hsr?.protocol !== 'prp' || iface.current) continue;
    const conf = merged.hsr;
    let mac = merged['mac-address'];
    for (const permanent of [false, true]) {
      for (const port of [conf.port1, conf.port2]) {
        const base = b.find(port)?.merged;
        mac ??= permanent ? base?.['permanent-mac-address'] : base?.['mac-address'];
      }
    }
    if (mac === undefined) continue;
    for (const name of [merged.name, conf.port1, conf.port2]) pending.push([name, mac]);
  }
  for (const [name, mac] of pending) {
    const iface = b.kernel.get(name);
    if (!iface) continue;
    markChanged(iface);
    iface.merged = { ...iface.merged, state: 'up' };
    if (iface.forApply) {
      const { 'copy-mac-from': _copy, ...rest } = iface.forApply;
      iface.forApply = { ...rest, state: 'up', 'mac-address': mac } as Interface;
    }
  }
}

function validateControllerAndPortLists(b: GcInterfaceBuilder): void {
  for (const iface of b.kernel.values()) {
    if (!iface.desired || iface.merged.state !== 'up') continue;
    const ctrl = iface.desired.controller;
    if (ctrl === undefined || ctrl === '') continue;
    const ctrlIface = b.user.get(toUserspaceKey(ctrl, 'ovs-bridge')) ?? b.kernel.get(ctrl);
    if (!ctrlIface) invalid(`Interface ${iface.name} desired controller ${ctrl} not found`);
    if (!ctrlIface.desired) continue;
    const ports = getPorts(ctrlIface.desired);
    if (ports !== undefined && !ports.includes(iface.name)) invalid(`Interface ${iface.name} has controller ${ctrl} but not listed in port list of controller interface`);
  }
  const portToController = new Map<string, string>();
  for (const iface of [...b.user.values(), ...b.kernel.values()]) {
    if (!iface.desired || iface.merged.state !== 'up') continue;
    for (const port of getPorts(iface.merged) ?? []) portToController.set(port, iface.name);
  }
  for (const iface of b.kernel.values()) {
    if (!iface.desired || iface.merged.state !== 'up') continue;
    const ctrl = iface.desired.controller;
    const listedBy = portToController.get(iface.name);
    if (ctrl === undefined || listedBy === undefined || ctrl === listedBy) continue;
    if (ctrl === '') invalid(`Interface ${iface.name} desired to detach controller via controller property set to '', but still been listed as port of controller ${listedBy}`);
    invalid(`Interface ${iface.name} has controller property set to ${ctrl}, but been listed as port of controller ${listedBy}`);
  }
}

function resolvePortNames(b: GcInterfaceBuilder, search: NameSearch): void {
  for (const iface of [...b.kernel.values(), ...b.user.values()]) {
    if (!iface.desired || iface.desired.state !== 'up' || !iface.forApply) continue;
    const ports = getPorts(iface.desired);
    if (!ports) continue;
    const resolved = new Set<string>();
    for (const port of ports) {
      const names = search.find(port);
      if (names.includes(port)) {
        if (resolved.has(port)) invalid(`Controller ${iface.name} (${iface.desired.type}) has multiple ports pointing to the same kernel interface ${port}`);
        resolved.add(port);
        continue;
      }
      if (names.length > 1) invalid(`Controller ${iface.name} (${iface.desired.type}) has port with profile name ${port} but multiple interfaces are sharing the this profile name`);
      const kernelName = names[0];
      if (kernelName === undefined) continue;
      if (resolved.has(kernelName)) invalid(`Controller ${iface.name} (${iface.desired.type}) has ${port} pointing to the kernel interface ${kernelName}, but ${kernelName} is already defined in this controller port list`);
      resolved.add(kernelName);
      Object.assign(iface, { desired: renamePort(iface.desired, port, kernelName) });
      iface.forApply = renamePort(iface.forApply, port, kernelName);
      iface.merged = renamePort(iface.merged, port, kernelName);
    }
  }
}

function resolveParentNames(b: GcInterfaceBuilder, search: NameSearch): void {
  for (const iface of b.kernel.values()) {
    const desired = iface.desired;
    if (!desired || desired.state !== 'up' || !iface.forApply) continue;
    const parent = getParent(desired);
    if (parent === undefined) continue;
    const names = search.find(parent);
    if (names.includes(parent)) continue;
    if (names.length > 1) invalid(`Interface ${iface.name} (${desired.type}) defined with parent ${parent} but multiple interfaces are sharing the this profile name`);
    const kernelName = names[0];
    if (kernelName === undefined) continue;
    const converter = getInterfaceConverter(desired.type);
    if (!converter.setParent) continue;
    Object.assign(iface, { desired: converter.setParent(desired, kernelName) });
    iface.forApply = converter.setParent(iface.forApply, kernelName);
    iface.merged = converter.setParent(iface.merged, kernelName);
  }
}

function handleChangedPorts(b: GcInterfaceBuilder): void {
  const pending = new Map<string, { controller: string; type: InterfaceType | undefined; state: string }>();
  for (const iface of b.all) {
    if (!iface.desired || !isControllerType(iface.merged.type)) continue;
    const desiredPorts = iface.desired.state === 'absent' ? undefined : getPorts(iface.desired);
    // gc has no current ports: every listed port is newly attached.
    for (const port of desiredPorts ?? []) pending.set(port, { controller: iface.name, type: iface.merged.type as InterfaceType, state: iface.merged.state });
  }
  for (const [port, change] of pending) {
    const iface = b.kernel.get(port);
    if (iface) {
      if (iface.forApply === undefined) b.insertOrder.push({ name: iface.name, type: iface.merged.type });
      b.applyControllerChange(iface, change.controller, change.type, change.state);
    } else if (change.type === 'ovs-bridge') {
      const created = newGcInterface({ name: port, type: 'ovs-interface', state: 'up', controller: change.controller } as Interface, undefined);
      created.controllerType = 'ovs-bridge';
      b.kernel.set(port, created);
      b.insertOrder.push({ name: port, type: 'ovs-interface' });
    } else if (change.controller !== '') {
      invalid(`Controller interface ${change.controller} is holding unknown port ${port}`);
    }
  }
}

function resolvePortControllerTypes(b: GcInterfaceBuilder): void {
  const pending: [GcInterface, GcInterface][] = [];
  for (const iface of b.kernel.values()) {
    if (!iface.desired || iface.merged.state !== 'up') continue;
    const ctrl = iface.desired.controller;
    if (ctrl === undefined || ctrl === '' || iface.controllerType !== undefined) continue;
    const ctrlIface = b.user.get(toUserspaceKey(ctrl, 'ovs-bridge')) ?? b.kernel.get(ctrl);
    if (!ctrlIface) invalid(`The controller ${ctrl} of interface ${iface.name} does not exists`);
    pending.push([iface, ctrlIface]);
  }
  for (const [iface, ctrl] of pending) b.applyControllerChange(iface, ctrl.name, ctrl.merged.type as InterfaceType, ctrl.merged.state);
}

function isUpPriorityValid(iface: GcInterface): boolean {
  const ctrl = iface.forApply?.controller;
  return ctrl === undefined || ctrl === '' || iface.upPriority !== 0;
}

/** One pass of nmstate's `set_ifaces_up_priority`; true when every port has a priority. */
function setUpPriorities(b: GcInterfaceBuilder): boolean {
  let done = true;
  const pending = new Map<string, number>();
  for (const { name, type } of b.insertOrder) {
    const gi = b.find(name, type);
    const iface = gi?.forApply;
    if (!gi || !iface || iface.state !== 'up' || isUpPriorityValid(gi)) continue;
    const ctrlName = iface.controller;
    if (ctrlName === undefined || ctrlName === '') continue;
    const ctrl = b.find(ctrlName, gi.controllerType ?? 'unknown');
    if (!ctrl) continue;
    if (ctrl.forApply) {
      const ctrlPending = pending.get(ctrlName);
      if (ctrlPending !== undefined) pending.set(name, ctrlPending + 1);
      else if (isUpPriorityValid(ctrl)) pending.set(name, ctrl.upPriority + 1);
      else done = false;
    } else if (ctrl.current && getParent(iface) === undefined) {
      pending.set(name, 1);
    }
  }
  if (done) {
    for (const { name, type } of b.insertOrder) {
      const iface = b.find(name, type)?.forApply;
      if (!iface || iface.state !== 'up') continue;
      const parent = getParent(iface);
      if (parent === undefined) continue;
      const parentPriority = pending.get(parent);
      const parentIface = b.kernel.get(parent);
      if (parentPriority !== undefined) pending.set(name, parentPriority + 1);
      else if (parentIface?.forApply && isUpPriorityValid(parentIface)) pending.set(name, parentIface.upPriority + 1);
    }
  }
  for (const [name, priority] of pending) {
    const iface = b.kernel.get(name);
    if (iface?.forApply) iface.upPriority = priority;
  }
  return done;
}

function checkPorts(b: GcInterfaceBuilder): void {
  const owner = new Map<string, string>();
  for (const iface of b.all) {
    if (!isControllerType(iface.merged.type) || iface.merged.state !== 'up' || !iface.desired) continue;
    for (const port of getPorts(iface.merged) ?? []) {
      const other = owner.get(port);
      if (other !== undefined) invalid(`Port ${port} is overbooked by two controller: ${iface.name}, ${other}`);
      owner.set(port, iface.name);
    }
  }
  const infiniband = new Set([...b.kernel.values()].filter((i) => i.merged.type === 'infiniband').map((i) => i.name));
  for (const iface of b.kernel.values()) {
    if (!iface.desired || !isControllerType(iface.merged.type)) continue;
    const ports = getPorts(iface.merged) ?? [];
    const ib = ports.filter((p) => infiniband.has(p));
    if (ib.length === 0) continue;
    if (isInterfaceOfType(iface.merged, 'bond') && iface.merged['link-aggregation']?.mode === 'active-backup') continue;
    invalid(`InfiniBand interface ${JSON.stringify(ib)} cannot use as port of ${iface.name}. Only active-backup bond allowed.`);
  }
}

function markOrphansAbsent(b: GcInterfaceBuilder): void {
  const gone = new Set([...b.kernel.values()].filter((i) => i.forApply && i.merged.state === 'absent' && i.merged.type !== 'ethernet').map((i) => i.name));
  for (const iface of b.kernel.values()) {
    if (iface.merged.state !== 'up' || iface.merged.type === 'ovs-interface') continue;
    const parent = getParent(iface.merged);
    if (parent === undefined || !gone.has(parent)) continue;
    if (iface.desired) invalid(`Interface ${iface.name} cannot be in up state as its parent ${parent} has been marked as absent`);
    markChanged(iface);
    iface.merged = { ...iface.merged, state: 'absent' };
    if (iface.forApply) iface.forApply = { ...iface.forApply, state: 'absent' };
  }
}

/** nmstate's checks and fill-ins on one interface once controllers and ports are known. */
function postProcess(iface: GcInterface): void {
  const apply = iface.forApply;
  if (!apply) return;
  let next: Interface = { ...apply };
  const current = iface.current;
  if (current) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const d = next[family];
      const c = current[family];
      if (d && c) next[family] = mergeIpConfig(d, c, family);
    }
    if (next.controller === undefined && current.controller !== undefined) next.controller = current.controller;
  }
  if (!canPortHaveIp(next, iface.controllerType)) delete next['wait-ip'];
  const flags = next.mptcp?.['address-flags'];
  if (flags?.includes('signal') && flags.includes('fullmesh')) invalid("MPTCP flags mustn't have both signal and fullmesh");
  if (iface.desired && iface.merged.state === 'up' && !canPortHaveIp(next, iface.controllerType) && (next.ipv4?.enabled === true || next.ipv6?.enabled === true)) {
    invalid(
      next.controller
        ? `Interface ${next.name} cannot have IP enabled as it is attached to controller ${next.controller} where IP is not allowed on its port`
        : `Interface ${next.name} cannot have IP enabled`,
    );
  }
  if (iface.merged.state !== 'absent') {
    if (isInterfaceOfType(next, 'vrf')) {
      const table = next.vrf?.['route-table-id'];
      if (next.vrf && (table === undefined || table === 0)) invalid(`Route table ID undefined or 0 is not allowed for new VRF interface ${next.name}`);
    }
    if (isInterfaceOfType(next, 'bond')) {
      const conf = next['link-aggregation'];
      if (next.state === 'up' && !current && conf?.mode === undefined) invalid(`Bond mode is mandatory for new bond interface: ${next.name}`);
      if (conf?.mode === 'active-backup' && conf.options?.fail_over_mac === 'active' && next['mac-address'] !== undefined) {
        const { 'mac-address': _mac, ...rest } = next;
        next = rest as Interface;
      }
      if (conf?.port !== undefined && conf['ports-config'] !== undefined) {
        const ports = new Set(conf.port);
        const configured = new Set(conf['ports-config'].map((p) => p.name));
        const notConfigured = [...ports].filter((p) => !configured.has(p));
        const notListed = [...configured].filter((p) => !ports.has(p));
        if (notConfigured.length > 0 || notListed.length > 0) {
          const detail = [
            notConfigured.length > 0 ? `Ports in \`port\` but not in \`ports_config\`: ${notConfigured.join(', ')}. ` : '',
            notListed.length > 0 ? `Ports in \`ports_config\` but not in \`port\`: ${notListed.join(', ')}. ` : '',
          ].join('');
          invalid(`The port names specified in \`port\` conflict with the port names specified in \`ports-config\` for bond interface: ${next.name}. ${detail}`);
        }
      }
    }
  }
  if (isInterfaceOfType(next, 'vlan') && next.vlan && next.vlan['reorder-headers'] === undefined) next = { ...next, vlan: { ...next.vlan, 'reorder-headers': true } };
  if (next.state === 'up' && iface.controllerType === 'hsr') next = { ...next, ipv4: { enabled: false }, ipv6: { enabled: false } };
  if (next.type === 'loopback' && iface.desired) {
    if (next.ipv4?.enabled === false) invalid('Loopback interface cannot have IPv4 disabled');
    if (next.ipv4?.enabled === true && next.ipv4.dhcp === true) invalid('Loopback interface cannot have IPv4 DHCP enabled');
    if (next.ipv6?.enabled === true && (next.ipv6.dhcp === true || next.ipv6.autoconf === true)) invalid('Loopback interface cannot have IPv6 autoconf/DHCPv6 enabled');
  }
  iface.forApply = next;
}

/**
 * Prepares the interfaces of a desired state as `nmstatectl gc` does (see
 * the module comment). Throws `invalid-state` with nmstate's message where
 * nmstate refuses the state.
 */
export function prepareGcInterfaces(desired: readonly Interface[]): GcInterfaces {
  const b = new GcInterfaceBuilder();
  const normalized = normalizeDesired(desired, b.warnings);
  b.ignored = removeIgnored(normalized.kernel, normalized.user);
  b.insertOrder.push(...normalized.order.filter((o) => !b.ignored.some((i) => i.name === o.name)));
  const currentLo = normalized.kernel.has('lo') || b.ignored.some((i) => i.name === 'lo') ? undefined : defaultLoopback();
  for (const iface of [...normalized.kernel.values(), ...normalized.user.values()]) {
    b.add(newGcInterface(iface, iface.name === 'lo' && iface.type === 'loopback' ? defaultLoopback() : undefined));
  }
  if (currentLo) b.add(newGcInterface(undefined, currentLo));
  const search = new NameSearch(b.kernel.values());
  copyMacFrom(b, search);
  copyHsrMac(b);
  validateControllerAndPortLists(b);
  resolvePortNames(b, search);
  resolveParentNames(b, search);
  handleChangedPorts(b);
  resolvePortControllerTypes(b);
  let settled = false;
  for (let pass = 0; pass < UP_PRIORITY_PASSES && !settled; pass++) settled = setUpPriorities(b);
  if (!settled) {
    invalid(
      'Failed to set up priority: nmstate only support nested interface up to 4 levels. To support more nest level, please order the interfaces in desire state to place controller before its ports',
    );
  }
  checkPorts(b);
  markOrphansAbsent(b);
  for (const iface of b.all) postProcess(iface);
  return { kernel: b.kernel, user: b.user, insertOrder: b.insertOrder, ignored: b.ignored, warnings: b.warnings, findKernelNames: (name) => search.find(name) };
}
