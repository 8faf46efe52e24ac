import { PlannerError } from '../errors.js';
import { isIpDisabled } from '../interfaces/normalize-interface.js';
import type { JsonObject } from '../json/json-value.js';
import {
  getRouteIface,
  isAbsentEntry,
  isIpv6Route,
  isRouteMatch,
  LOOPBACK_IFACE_NAME,
  normalizeRoute,
  sortRoutes,
} from '../routes/route-entry.js';
import { getObject } from '../state/network-state.js';
import { isPresent, type MergedInterfaces } from './merge-interfaces.js';

/** Routes after merging. */
export interface MergedRoutes {
  /** `routes.config` as desired, normalized; undefined when desired says nothing about routes. */
  readonly desired: readonly JsonObject[] | undefined;
  /** `routes.config` of current, normalized. */
  readonly current: readonly JsonObject[];
  /** Every configured route afterwards, sorted in nmstate's order. */
  readonly merged: readonly JsonObject[];
  /** Desired routes that current lacks, sorted. */
  readonly added: readonly JsonObject[];
  /** Current routes that go away (by wildcard, absent interface or disabled IP stack), as `state: absent` entries, sorted. */
  readonly removed: readonly JsonObject[];
  /** Removed because their interface went away or lost its IP stack, not because desired said so. */
  readonly removedImplicitly: readonly JsonObject[];
}

function routeIdentity(r: JsonObject): string {
  return `${String(r['destination'] ?? '')}\u0000${String(getRouteIface(r) ?? '')}`;
}

/**
 * Merges `routes.config`: desired entries are added; `state: absent` entries
 * are wildcards removing every current route they match; routes of absent
 * interfaces or of a disabled IP stack go too.
 */
export function mergeRoutes(desiredRaw: readonly JsonObject[] | undefined, currentRaw: readonly JsonObject[], ifaces: MergedInterfaces): MergedRoutes {
  const desired = desiredRaw?.map(normalizeRoute);
  const current = currentRaw.map(normalizeRoute);
  const absentPatterns = (desired ?? []).filter(isAbsentEntry);
  // Interfaces left alone (`state: ignore`) keep their routes as they are: nothing is added or removed there.
  const isIgnoredVia = (r: JsonObject): boolean => {
    const via = getRouteIface(r);
    return via !== undefined && ifaces.ignored.has(via);
  };
  const wanted = (desired ?? []).filter((r) => !isAbsentEntry(r) && !isIgnoredVia(r));

  const stackDisabled = (ifaceName: string, v6: boolean): boolean => {
    const entry = ifaces.byKey.get(ifaceName);
    return entry !== undefined && isIpDisabled(getObject(entry.merged, v6 ? 'ipv6' : 'ipv4'));
  };
  const isGone = (ifaceName: string): boolean => {
    const entry = ifaces.byKey.get(ifaceName);
    return entry !== undefined && !isPresent(entry) && !ifaces.ignored.has(ifaceName);
  };

  for (const r of wanted) {
    const via = r['next-hop-interface'];
    if (typeof via !== 'string') {
      if (r['route-type'] === undefined) {
        throw new PlannerError('invalid-argument', `Route to ${String(r['destination'])} needs a \`next-hop-interface\` (only blackhole, unreachable and prohibit routes may omit it)`);
      }
      continue;
    }
    if (typeof r['destination'] !== 'string') {
      throw new PlannerError('invalid-argument', `Route via ${via} needs a \`destination\``);
    }
    if (via === LOOPBACK_IFACE_NAME) continue;
    if (!ifaces.byKey.has(via)) {
      throw new PlannerError('invalid-argument', `Route to ${r['destination']} uses next-hop-interface '${via}', which is neither in the current nor in the desired state`);
    }
    if (isGone(via)) throw new PlannerError('invalid-argument', `The next hop interface of route to ${r['destination']} ('${via}') is marked absent`);
    if (stackDisabled(via, isIpv6Route(r))) {
      throw new PlannerError('invalid-argument', `The next hop interface of route to ${r['destination']} ('${via}') has ${isIpv6Route(r) ? 'IPv6' : 'IPv4'} disabled`);
    }
  }

  const kept: JsonObject[] = [];
  const removed: JsonObject[] = [];
  const removedImplicitly: JsonObject[] = [];
  for (const r of current) {
    const via = getRouteIface(r);
    const implicit = via !== undefined && (isGone(via) || stackDisabled(via, isIpv6Route(r)));
    if (isIgnoredVia(r)) {
      kept.push(r);
    } else if (implicit || absentPatterns.some((p) => isRouteMatch(p, r))) {
      const gone = { ...r, state: 'absent' };
      removed.push(gone);
      if (implicit) removedImplicitly.push(r);
    } else {
      kept.push(r);
    }
  }

  // Index current routes by (destination, interface) so "is it new?" stays linear.
  const currentIndex = new Map<string, JsonObject[]>();
  for (const r of current) {
    const list = currentIndex.get(routeIdentity(r)) ?? [];
    list.push(r);
    currentIndex.set(routeIdentity(r), list);
  }
  const added = wanted.filter((r) => !(currentIndex.get(routeIdentity(r)) ?? []).some((c) => isRouteMatch(c, r)));

  return {
    desired,
    current,
    merged: sortRoutes([...kept, ...wanted]),
    added: sortRoutes(added),
    removed: sortRoutes(removed),
    removedImplicitly: sortRoutes(removedImplicitly),
  };
}
