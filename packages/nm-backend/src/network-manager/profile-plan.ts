import type { Interface, IpConfig, NetworkState, RouteEntry, RouteRuleEntry } from '@nmfleet/model';
import type { Plan, PlanOperation } from '@nmfleet/planner';
import { storeDns, type DnsConfig } from '../placement/dns-placement.js';
import {
  findPlacedInterface,
  isUserspaceType,
  toSettingsInput,
  toUserspaceKey,
  type PlacedInterface,
  type PlacedInterfaces,
  type PlacedRoutes,
} from '../placement/placed-interface.js';
import { storeRoutes } from '../placement/route-placement.js';
import { storeRules } from '../placement/rule-placement.js';
import { fromNmSettings } from '../settings/from-nm-settings.js';
import { getInterfaceConverter } from '../settings/interface-converters.js';
import { mergeNmSettings } from '../settings/merge-nm-settings.js';
import { areNmSettingsEqual, getConnectionInterfaceName, getConnectionType, NM_CONNECTION_TYPE, type NmSettings } from '../settings/nm-settings.js';
import { createRandomProfileUuid } from '../settings/profile-uuid.js';
import type { SettingsContext } from '../settings/settings-input.js';
import { toNmSettings } from '../settings/to-nm-settings.js';
import { mergeIpConfig } from '../state/merge-ip-config.js';

/*
 * Which profiles an apply writes, and what they say. nmstate writes a
 * profile from what the desired state asked for (its `for_apply`
 * interface), edited into the existing profile, never from the running
 * facts `show` reports; routes, rules and DNS go to the profiles
 * `src/placement` picks, exactly as for `nmstatectl gc`.
 */

/** An existing NetworkManager profile, with whatever the caller needs to update it. */
export interface ExistingProfile {
  readonly settings: NmSettings;
  /** Whether it is active on its interface (the one to update when several are bound to it). */
  readonly isActive?: boolean;
}

/** A profile to add (no `existing`) or update. */
export interface PlannedProfile<P extends ExistingProfile> {
  /** The interface it configures. */
  readonly interfaceName: string;
  /** The complete settings to send. */
  readonly settings: NmSettings;
  readonly existing?: P;
}

/** The profiles one interface needs that change: its own, and its companions (the OVS ports of a bridge). */
export interface PlannedInterfaceProfiles<P extends ExistingProfile> {
  readonly name: string;
  readonly type: string;
  /** Undefined when its own profile already says it all. */
  readonly own?: PlannedProfile<P>;
  readonly companions: readonly PlannedProfile<P>[];
}

/** What an apply writes, by interface, and which state-wide operation touches which interfaces. */
export interface ProfilePlan<P extends ExistingProfile> {
  /** Profiles to write, by {@link toInterfaceKey}. */
  readonly interfaces: ReadonlyMap<string, PlannedInterfaceProfiles<P>>;
  /** The existing profile of every interface that has one, by {@link toInterfaceKey}. */
  readonly existing: ReadonlyMap<string, P>;
  /** Interfaces (by key) whose profile only the `route-rules` operation changes. */
  readonly changedByRules: readonly string[];
  /** Interfaces (by key) whose profile only the `dns` operation changes. */
  readonly changedByDns: readonly string[];
}

/** The inputs of {@link planProfiles}. */
export interface ProfilePlanInput<P extends ExistingProfile> {
  readonly plan: Plan;
  /** The desired state as given to the apply. */
  readonly desired: NetworkState;
  /** The host's state before the apply. */
  readonly current: NetworkState;
  /** Every profile NetworkManager has. */
  readonly profiles: readonly P[];
  /** UUID of a new profile. Default: random (v4). */
  readonly createUuid?: () => string;
}

/** How plan operations and profile plans name an interface: kernel ones by name, user-space ones by name and type. */
export function toInterfaceKey(name: string, type: string | undefined): string {
  return type !== undefined && isUserspaceType(type) ? toUserspaceKey(name, type) : name;
}

const PROFILE_OPERATIONS: ReadonlySet<PlanOperation['kind']> = new Set(['create-profile', 'modify-profile']);

/** Profiles by the interface they are bound to, the active one first. */
class ProfileIndex<P extends ExistingProfile> {
  private readonly byName = new Map<string, P[]>();

  constructor(profiles: readonly P[]) {
    for (const profile of profiles) {
      const name = getConnectionInterfaceName(profile.settings) ?? '';
      const list = this.byName.get(name) ?? [];
      list.push(profile);
      this.byName.set(name, list);
    }
    for (const list of this.byName.values()) list.sort((a, b) => Number(b.isActive === true) - Number(a.isActive === true));
  }

  /** The profile of an interface with this connection type; a kernel interface also takes one of another kernel type (a veth set up as plain Ethernet). */
  find(name: string, connectionType: string): P | undefined {
    const list = this.byName.get(name) ?? [];
    const exact = list.find((p) => getConnectionType(p.settings) === connectionType);
    if (exact || OVS_CONNECTION_TYPES.has(connectionType)) return exact;
    return list.find((p) => !OVS_CONNECTION_TYPES.has(getConnectionType(p.settings) ?? ''));
  }
}

const OVS_CONNECTION_TYPES: ReadonlySet<string> = new Set([NM_CONNECTION_TYPE.ovsBridge, NM_CONNECTION_TYPE.ovsPort, NM_CONNECTION_TYPE.ovsInterface]);

function asInterface(doc: unknown): Interface {
  return doc as Interface;
}

/** The IP section of `current` that a new profile must keep when the desired state does not mention the stack. */
function keepCurrentIp(ip: IpConfig | undefined): IpConfig | undefined {
  if (ip === undefined) return undefined;
  const out: IpConfig = { enabled: ip.enabled };
  if (ip.dhcp !== undefined) out.dhcp = ip.dhcp;
  if (ip.autoconf !== undefined) out.autoconf = ip.autoconf;
  if (ip.address !== undefined) out.address = ip.address;
  return out;
}

/**
 * What the profile of an interface with a profile operation is written from
 * (nmstate's `for_apply`): the desired entry, with the controller the
 * planner settled and IP sections completed from current as nmstate does;
 * an interface the desired state does not list applies only its name, type,
 * state and controller (its profile keeps the rest), or, when it has no
 * profile yet, also its current IP (and a veth its peer); an interface the
 * planner added (the peer of a new veth) applies its merged form.
 */
function toAppliedInterface(desired: Interface | undefined, current: Interface | undefined, merged: Interface, hasProfile: boolean): Interface {
  if (!desired && !current) return merged;
  const base = desired ? { ...desired } : ({ name: merged.name } as Interface);
  const applied = { ...base, type: merged.type, state: merged.state, controller: merged.controller ?? '' } as Interface;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const want = desired?.[family];
    const have = current?.[family];
    if (want !== undefined) applied[family] = have === undefined ? want : mergeIpConfig(want, have, family);
    else if (!hasProfile) {
      const kept = keepCurrentIp(have);
      if (kept !== undefined) applied[family] = kept;
    }
  }
  if (!desired && !hasProfile && 'veth' in merged && merged.veth !== undefined) (applied as Interface & { veth?: unknown }).veth = merged.veth;
  return applied;
}

/** The rules and DNS a profile holds; nothing for a profile nmstate cannot read (a type it does not model). */
function readHeld(settings: NmSettings): ReturnType<typeof fromNmSettings> | undefined {
  try {
    return fromNmSettings(settings);
  } catch {
    return undefined;
  }
}

function byKey(list: readonly Interface[] | undefined): Map<string, Interface> {
  const out = new Map<string, Interface>();
  for (const iface of list ?? []) out.set(toInterfaceKey(iface.name, iface.type), iface);
  return out;
}

function findByKey(map: ReadonlyMap<string, Interface>, name: string, type: string): Interface | undefined {
  // A desired entry may leave its type out; it then means the interface of that name.
  return map.get(toInterfaceKey(name, type)) ?? [...map.values()].find((i) => i.name === name && (i.type === undefined || (i.type as string) === ''));
}

function isIpv6Route(route: RouteEntry): boolean {
  return route.destination !== undefined && route.destination.includes(':');
}

/** Merged routes by the interface that carries them, and the interfaces the plan changes routes of. */
function collectRoutes(plan: Plan): PlacedRoutes {
  const byInterface = new Map<string, RouteEntry[]>();
  const config = ((plan.merged as { routes?: { config?: RouteEntry[] } }).routes?.config ?? []).filter((r) => r.state !== 'absent');
  for (const route of config) {
    const owner = route['next-hop-interface'] ?? (route['route-type'] !== undefined ? 'lo' : undefined);
    if (owner === undefined) continue;
    byInterface.set(owner, [...(byInterface.get(owner) ?? []), route]);
  }
  // Keep each family's routes in the order the merged state lists them.
  for (const [name, routes] of byInterface) byInterface.set(name, [...routes.filter((r) => !isIpv6Route(r)), ...routes.filter(isIpv6Route)]);
  const changed = plan.operations.filter((op) => op.kind === 'routes' && op.interface !== undefined).map((op) => op.interface as string);
  return { byInterface, changedInterfaces: [...new Set(changed)].sort() };
}

/**
 * Decides every profile an apply writes: for each interface a profile
 * operation names, and each interface the plan's `routes`, `route-rules`
 * and `dns` operations need, the settings rendered by `src/settings` from
 * what was asked for, edited into the existing profile (keys nmfleet does
 * not model stay). Profiles that would not change are left out.
 */
export function planProfiles<P extends ExistingProfile>(input: ProfilePlanInput<P>): ProfilePlan<P> {
  const { plan } = input;
  const index = new ProfileIndex(input.profiles);
  const desired = byKey(input.desired.interfaces);
  const current = byKey(input.current.interfaces);
  const kernel = new Map<string, PlacedInterface>();
  const user = new Map<string, PlacedInterface>();
  const ignored = new Set<string>();
  const existingOf = new Map<PlacedInterface, P | undefined>();

  const mergedList = ((plan.merged as { interfaces?: unknown[] }).interfaces ?? []).map(asInterface);
  for (const merged of mergedList) {
    if (merged.state === 'ignore') {
      ignored.add(merged.name);
      continue;
    }
    if (merged.state === 'absent') continue;
    const des = findByKey(desired, merged.name, merged.type);
    const cur = current.get(toInterfaceKey(merged.name, merged.type));
    const existing = index.find(merged.name, getInterfaceConverter(merged.type).connectionType(merged));
    const held = existing ? readHeld(existing.settings) : undefined;
    const iface: PlacedInterface = {
      name: merged.name,
      ...(des ? { desired: des } : {}),
      ...(cur ? { current: cur } : {}),
      merged,
      ...(held ? { held: { rules: held.rules, dns: held.dns } } : {}),
    };
    existingOf.set(iface, existing);
    if (isUserspaceType(merged.type)) user.set(toUserspaceKey(merged.name, merged.type), iface);
    else kernel.set(merged.name, iface);
  }
  const insertOrder = [
    ...(input.desired.interfaces ?? []).map((i) => ({ name: i.name, type: (i.type as string | undefined) ?? findPlacedInterface({ kernel, user }, i.name)?.merged.type ?? 'unknown' })),
    ...mergedList.filter((m) => !desired.has(toInterfaceKey(m.name, m.type))).map((m) => ({ name: m.name, type: m.type as string })),
  ];
  const ifaces: PlacedInterfaces = { kernel, user, insertOrder };

  const applyFor = (iface: PlacedInterface): void => {
    iface.forApply ??= toAppliedInterface(iface.desired, iface.current, iface.merged, existingOf.get(iface) !== undefined);
  };
  // Desired interfaces count as changed (they may get routes, rules or DNS) even when their own settings stay.
  for (const iface of [...kernel.values(), ...user.values()]) if (iface.desired) applyFor(iface);
  const byOperation = new Set<string>();
  for (const op of plan.operations) {
    if (!PROFILE_OPERATIONS.has(op.kind) || op.interface === undefined) continue;
    const iface = findPlacedInterface(ifaces, op.interface, op.type);
    if (!iface) continue;
    byOperation.add(toInterfaceKey(op.interface, op.type));
    applyFor(iface);
  }

  const routes = collectRoutes(plan);
  storeRoutes(routes, ifaces);
  const snapshot = (): Map<PlacedInterface, string> => new Map([...kernel.values()].map((i) => [i, JSON.stringify([i.rules, i.dns])]));
  const rulesOp = plan.operations.find((op) => op.kind === 'route-rules');
  const beforeRules = snapshot();
  if (rulesOp) storeRules((rulesOp.rules ?? []) as unknown as RouteRuleEntry[], routes, ifaces);
  const beforeDns = snapshot();
  const dnsOp = plan.operations.find((op) => op.kind === 'dns');
  if (dnsOp) storeDns((dnsOp.dns ?? {}) as DnsConfig, ifaces);
  const changedBy = (before: Map<PlacedInterface, string>, after: Map<PlacedInterface, string>): string[] =>
    [...kernel.values()].filter((i) => before.get(i) !== after.get(i) && !byOperation.has(i.name)).map((i) => i.name);
  const afterDns = snapshot();
  const changedByRules = changedBy(beforeRules, beforeDns);
  const changedByDns = changedBy(beforeDns, afterDns);

  const ctx: SettingsContext = {
    getInterface: (name, type) => findPlacedInterface(ifaces, name, type)?.merged,
    isIgnored: (name) => ignored.has(name),
    createUuid: input.createUuid ?? (() => createRandomProfileUuid()),
    getExistingProfile: (name, connectionType) => index.find(name, connectionType)?.settings,
  };
  const written = new Set([...byOperation, ...routes.changedInterfaces, ...changedByRules, ...changedByDns]);
  const interfaces = new Map<string, PlannedInterfaceProfiles<P>>();
  for (const [key, iface] of [...kernel, ...user]) {
    const apply = iface.forApply;
    if (apply === undefined || !written.has(key)) continue;
    const existing = existingOf.get(iface);
    const rendered = toNmSettings(toSettingsInput(iface, apply), { ...ctx, ...(existing ? { existing: existing.settings } : {}) });
    const toPlanned = (settings: NmSettings, found: P | undefined): PlannedProfile<P> | undefined => {
      const interfaceName = getConnectionInterfaceName(settings) ?? iface.name;
      if (!found) return { interfaceName, settings };
      const merged = mergeNmSettings(found.settings, settings);
      return areNmSettingsEqual(merged, found.settings) ? undefined : { interfaceName, settings: merged, existing: found };
    };
    const [ownSettings, ...companionSettings] = rendered;
    const own = ownSettings && toPlanned(ownSettings, existing);
    const companions = companionSettings.flatMap((settings) => {
      const planned = toPlanned(settings, index.find(getConnectionInterfaceName(settings) ?? '', getConnectionType(settings) ?? ''));
      return planned ? [planned] : [];
    });
    interfaces.set(key, { name: iface.name, type: iface.merged.type, ...(own ? { own } : {}), companions });
  }
  const existingByKey = new Map<string, P>();
  for (const [key, iface] of [...kernel, ...user]) {
    const existing = existingOf.get(iface);
    if (existing) existingByKey.set(key, existing);
  }
  return { interfaces, existing: existingByKey, changedByRules, changedByDns };
}
