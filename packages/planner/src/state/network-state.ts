import type { NetworkState } from '@nmfleet/model';
import type { JsonObject, JsonValue } from '../json/json-value.js';

/*
 * The planner works on plain JSON documents in nmstate's key spelling, as
 * `@nmfleet/model` parses them. These aliases name the parts it reads; every
 * field not named here is carried through untouched by the generic tree code.
 */

/** `up` (default), `down`, `absent` or `ignore`. */
export type InterfaceStateValue = 'up' | 'down' | 'absent' | 'ignore';

/** One entry of `interfaces`: `name` is required, `type` may be omitted in desired state. */
export interface InterfaceDoc extends JsonObject {
  name: string;
}

/** One entry of `routes.config` / `routes.running`. */
export type RouteDoc = JsonObject;
/** One entry of `route-rules.config`. */
export type RouteRuleDoc = JsonObject;

/** A whole state document: `interfaces`, `routes`, `route-rules`, `dns-resolver`, `hostname`, …. */
export interface StateDoc {
  [key: string]: JsonValue | undefined;
  interfaces?: InterfaceDoc[];
}

/**
 * What the public functions accept: a model `NetworkState` (as `parseState`
 * returns it) or the same document as plain JSON.
 */
export type StateInput = StateDoc | NetworkState;

/** The planner's view of a state input (both are the same JSON at run time). */
export function asStateDoc(state: StateInput): StateDoc {
  return state as StateDoc;
}

/** Any JSON-like record the accessors below read (a state document or a part of it). */
export type JsonRecord = { readonly [key: string]: JsonValue | undefined };

/** The state of an interface, defaulting to `up` as nmstate does. */
export function getIfaceState(iface: JsonObject): InterfaceStateValue {
  const state = iface['state'];
  return state === 'down' || state === 'absent' || state === 'ignore' ? state : 'up';
}

/**
 * The type of an interface, or undefined when the document does not say.
 * `unknown` counts as not saying: nmstate reads a missing type as `unknown`
 * and then takes the type of the current interface of that name.
 */
export function getIfaceType(iface: JsonObject): string | undefined {
  const t = iface['type'];
  return typeof t === 'string' && t !== '' && t !== 'unknown' ? t : undefined;
}

/** The list under `key` of a state section (`routes.config`), or an empty list. */
export function getSectionList(state: JsonRecord, section: string, key: string): JsonObject[] {
  const s = state[section];
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return [];
  const list = (s as JsonObject)[key];
  return Array.isArray(list) ? (list.filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) as JsonObject[]) : [];
}

/** Whether a state section (`routes`) has the given key (`config`), even when empty. */
export function hasSectionKey(state: JsonRecord, section: string, key: string): boolean {
  const s = state[section];
  return typeof s === 'object' && s !== null && !Array.isArray(s) && key in s;
}

/** A JSON string field, or undefined. */
export function getString(obj: JsonRecord | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** A nested JSON object field, or undefined. */
export function getObject(obj: JsonRecord | undefined, key: string): JsonObject | undefined {
  const v: JsonValue | undefined = obj?.[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}
