import { PlannerError } from '../errors.js';
import { cloneJson, isJsonObject, type JsonObject } from '../json/json-value.js';
import { asStateDoc, getSectionList, hasSectionKey, type InterfaceDoc, type StateDoc, type StateInput } from '../state/network-state.js';
import { mergeDns, type MergedDns } from './merge-dns.js';
import { mergeHostname, type MergedHostname } from './merge-hostname.js';
import { isPresent, mergeInterfaces, type MergedInterfaces } from './merge-interfaces.js';
import { mergeRoutes, type MergedRoutes } from './merge-routes.js';
import { mergeRules, type MergedRules } from './merge-rules.js';

/** Desired merged over current: everything diff, verify, revert and plan need. */
export interface MergedState {
  readonly desired: StateDoc;
  readonly current: StateDoc;
  readonly interfaces: MergedInterfaces;
  readonly routes: MergedRoutes;
  readonly rules: MergedRules;
  readonly dns: MergedDns;
  readonly hostname: MergedHostname;
}

/** Checks the top-level shape of a state document, naming what was expected. */
export function assertStateDoc(value: unknown, what: string): asserts value is StateDoc {
  if (!isJsonObject(value)) throw new PlannerError('invalid-argument', `The ${what} state must be a mapping (interfaces, routes, …), got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
  const ifaces = value['interfaces'];
  if (ifaces !== undefined && ifaces !== null && !Array.isArray(ifaces)) {
    throw new PlannerError('invalid-argument', `\`interfaces\` of the ${what} state must be a list`);
  }
  for (const [i, iface] of (Array.isArray(ifaces) ? ifaces : []).entries()) {
    if (!isJsonObject(iface) || typeof iface['name'] !== 'string' || iface['name'] === '') {
      throw new PlannerError('invalid-argument', `interfaces[${i}] of the ${what} state needs a non-empty string \`name\``);
    }
  }
}

function getIfaces(state: StateDoc): InterfaceDoc[] {
  return Array.isArray(state.interfaces) ? state.interfaces : [];
}

/**
 * Merges a partial desired state over the current one, with nmstate's
 * meaning (see the package README/ADR for the rules). Pure: inputs are not
 * modified. Throws {@link PlannerError} `invalid-argument` when desired
 * contradicts itself or current.
 */
export function mergeStates(desiredInput: StateInput, currentInput: StateInput): MergedState {
  const desired = asStateDoc(desiredInput);
  const current = asStateDoc(currentInput);
  assertStateDoc(desired, 'desired');
  assertStateDoc(current, 'current');
  const interfaces = mergeInterfaces(getIfaces(desired), getIfaces(current));
  const routes = mergeRoutes(
    hasSectionKey(desired, 'routes', 'config') ? getSectionList(desired, 'routes', 'config') : undefined,
    getSectionList(current, 'routes', 'config'),
    interfaces,
  );
  const rules = mergeRules(
    hasSectionKey(desired, 'route-rules', 'config') ? getSectionList(desired, 'route-rules', 'config') : undefined,
    getSectionList(current, 'route-rules', 'config'),
  );
  return { desired, current, interfaces, routes, rules, dns: mergeDns(desired, current), hostname: mergeHostname(desired, current) };
}

/**
 * The whole state after applying `desired` over `current`: what a host
 * should show afterwards (absent interfaces gone, routes and rules merged).
 */
export function mergeState(desired: StateInput, current: StateInput): StateDoc {
  return toStateDoc(mergeStates(desired, current));
}

/** The merged state as a document. */
export function toStateDoc(merged: MergedState): StateDoc {
  const out: StateDoc = {};
  if (merged.hostname.merged) out['hostname'] = cloneJson(merged.hostname.merged);
  if (merged.dns.merged) out['dns-resolver'] = { config: cloneJson(merged.dns.merged) };
  if (merged.rules.merged.length > 0 || merged.rules.desired !== undefined || hasSectionKey(merged.current, 'route-rules', 'config')) {
    out['route-rules'] = { config: merged.rules.merged.map((r) => cloneJson(r)) };
  }
  if (merged.routes.merged.length > 0 || merged.routes.desired !== undefined || hasSectionKey(merged.current, 'routes', 'config')) {
    out['routes'] = { config: merged.routes.merged.map((r) => cloneJson(r)) };
  }
  out.interfaces = merged.interfaces.list.filter((i) => isPresent(i) || merged.interfaces.ignored.has(i.name)).map((i) => cloneJson(i.merged));
  for (const [key, value] of Object.entries(merged.current)) {
    if (!(key in out) && key !== 'interfaces' && isJsonObject(value)) out[key] = cloneJson(value as JsonObject);
  }
  return out;
}
