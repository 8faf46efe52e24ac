import type { Interface, InterfaceType, RouteEntry, RouteRuleEntry } from '@nmfleet/model';
import type { InterfaceDns, SettingsInput } from '../settings/settings-input.js';

/*
 * NetworkManager keeps routes, route rules and DNS in interface profiles, so
 * a state-wide change has to pick the profiles that carry it. nmstate picks
 * them the same way whether it applies a state or generates keyfiles
 * (`nmstatectl gc`); both paths here hand their interfaces to the functions
 * of this folder in this shape, nmstate's `MergedInterface`.
 */

const USERSPACE_TYPES: ReadonlySet<string> = new Set(['ovs-bridge', 'ipsec']);

/** Rules and DNS by IP family, as one profile stores them. */
export interface RulesByFamily {
  ipv4?: RouteRuleEntry[];
  ipv6?: RouteRuleEntry[];
}

/** DNS client settings by IP family, as one profile stores them. */
export interface DnsByFamily {
  ipv4?: InterfaceDns;
  ipv6?: InterfaceDns;
}

/** One interface while state-wide settings are placed. */
export interface PlacedInterface {
  readonly name: string;
  /** The desired entry; undefined when the desired state does not list it. */
  readonly desired?: Interface;
  /** The interface before the change; undefined when it is new. */
  readonly current?: Interface;
  /** What its profile is written from; undefined while the change does not touch it (nmstate's `is_changed()`). */
  forApply?: Interface;
  /** The interface as it ends up. */
  merged: Interface;
  /** Type of `forApply.controller`. */
  controllerType?: InterfaceType;
  /** Routes its profile carries, for interfaces whose routes change. */
  routes?: RouteEntry[];
  /** Route rules its profile carries, for interfaces whose rules change. */
  rules?: RulesByFamily;
  /** DNS its profile carries, for interfaces whose DNS changes. */
  dns?: DnsByFamily;
  /** What its existing profile holds, which stays unless the change removes it. Default: nothing (gc). */
  readonly held?: { readonly rules: RulesByFamily; readonly dns: DnsByFamily };
}

/** The interfaces of one change: kernel ones by name, user-space ones (OVS bridges, IPsec) by name and type. */
export interface PlacedInterfaces {
  readonly kernel: ReadonlyMap<string, PlacedInterface>;
  readonly user: ReadonlyMap<string, PlacedInterface>;
  /** Desired order (then interfaces added on the way): the order DNS and rule placement try interfaces in. */
  readonly insertOrder: readonly { readonly name: string; readonly type: string }[];
}

/** Routes after merging: every route by the interface that carries it, and the interfaces whose routes change. */
export interface PlacedRoutes {
  readonly byInterface: ReadonlyMap<string, readonly RouteEntry[]>;
  /** Sorted by name. */
  readonly changedInterfaces: readonly string[];
}

/** Whether the type lives in user space (found by name and type, holds no kernel settings). */
export function isUserspaceType(type: string): boolean {
  return USERSPACE_TYPES.has(type);
}

/** The key of a user-space interface in {@link PlacedInterfaces.user}. */
export function toUserspaceKey(name: string, type: string): string {
  return `${name}\u0000${type}`;
}

/** Finds an interface: user-space ones need their type; without a type (or `unknown`) kernel first, then user space. */
export function findPlacedInterface(ifaces: Pick<PlacedInterfaces, 'kernel' | 'user'>, name: string, type?: string): PlacedInterface | undefined {
  if (type === undefined || type === 'unknown') return ifaces.kernel.get(name) ?? [...ifaces.user.values()].find((i) => i.name === name);
  return isUserspaceType(type) ? ifaces.user.get(toUserspaceKey(name, type)) : ifaces.kernel.get(name);
}

/**
 * Marks an interface the change did not touch as touched (nmstate's
 * `mark_as_changed`): only its name, type and controller are applied until
 * routes, rules or DNS add more; its existing profile keeps the rest.
 */
export function markChanged(iface: PlacedInterface): Interface | undefined {
  if (iface.desired === undefined && iface.forApply === undefined && iface.current) {
    const apply = { name: iface.current.name, type: iface.current.type, state: 'up' } as Interface;
    iface.forApply = iface.current.controller === undefined ? apply : ({ ...apply, controller: iface.current.controller } as Interface);
  }
  return iface.forApply;
}

/**
 * Gives the applied interface an IP stack of `family` copied from the merged
 * one when it has none: a profile cannot carry routes, rules or DNS of a
 * family it says nothing about. Addresses other tools manage stay out.
 */
export function ensureStack(iface: PlacedInterface, family: 'ipv4' | 'ipv6'): void {
  const apply = iface.forApply;
  if (!apply || apply[family] !== undefined) return;
  const merged = iface.merged[family];
  if (merged === undefined) return;
  const address = merged.address?.filter((a) => !(a.protocol ?? '').startsWith('0x'));
  iface.forApply = { ...apply, [family]: { ...merged, ...(address ? { address } : {}) } } as Interface;
}

/** What `toNmSettings` renders for a placed interface: `apply` (its `forApply`, or a variant of it) with the routes, rules and DNS placed on it. */
export function toSettingsInput(iface: PlacedInterface, apply: Interface): SettingsInput {
  return {
    iface: apply,
    ...(iface.controllerType ? { controllerType: iface.controllerType } : {}),
    ...(iface.routes ? { routes: iface.routes } : {}),
    ...(iface.rules ? { rules: iface.rules } : {}),
    ...(iface.dns ? { dns: iface.dns } : {}),
  };
}

/** A sort key of nmstate's: compared element by element, `false` before `true`. */
export type SortKey = readonly (boolean | string | number)[];

/** Orders two sort keys of the same shape (0: the same entry). */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as boolean | string | number;
    const y = b[i] as boolean | string | number;
    if (x === y) continue;
    if (typeof x === 'boolean') return x ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
