import { cloneJson, isJsonEqual, isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

/**
 * Desired merged over current, as nmstate merges one interface: every key of
 * `desired` wins, objects merge recursively, arrays and scalars are replaced
 * whole, keys only in `current` are kept.
 */
export function mergeJson(current: JsonValue | undefined, desired: JsonValue | undefined): JsonValue | undefined {
  if (desired === undefined) return cloneJson(current);
  if (!isJsonObject(desired) || !isJsonObject(current)) return cloneJson(desired);
  // Each value is copied once: from desired where it sets the key, else from current.
  const out: JsonObject = {};
  for (const key in current) if (!(key in desired)) out[key] = cloneJson(current[key] as JsonValue);
  for (const key in desired) {
    const merged = mergeJson(current[key], desired[key] as JsonValue);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}

/**
 * The part of `desired` that differs from `current` (nmstate's
 * `gen_diff_json_value`): objects recurse, anything else is kept whole when
 * it differs; `undefined` when nothing differs.
 */
export function diffJson(desired: JsonValue, current: JsonValue | undefined): JsonValue | undefined {
  if (isJsonObject(desired)) {
    if (!isJsonObject(current)) return cloneJson(desired);
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(desired)) {
      const sub = key in current ? diffJson(value, current[key]) : cloneJson(value);
      if (sub !== undefined) out[key] = sub;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return isJsonEqual(desired, current) ? undefined : cloneJson(desired);
}

/**
 * The values of `current` at every key `desired` sets (nmstate's
 * `gen_revert_state`): what must be written back to undo `desired`. Keys that
 * `current` lacks are skipped, as upstream does.
 */
export function revertJson(desired: JsonObject, current: JsonObject, revert: JsonObject): void {
  for (const [key, value] of Object.entries(desired)) {
    if (!(key in current)) continue;
    const cur = current[key];
    if (isJsonObject(value)) {
      const sub: JsonObject = {};
      if (isJsonObject(cur)) revertJson(value, cur, sub);
      revert[key] = sub;
    } else if (cur !== undefined) {
      revert[key] = cloneJson(cur);
    }
  }
}

/** The key that identifies entries of a list of objects (`name` for ports, `id` for SR-IOV VFs), when every entry has one. */
function getEntryKey(list: readonly JsonValue[]): 'name' | 'id' | undefined {
  for (const key of ['name', 'id'] as const) {
    if (list.length > 0 && list.every((e) => isJsonObject(e) && (typeof e[key] === 'string' || typeof e[key] === 'number'))) return key;
  }
  return undefined;
}

/**
 * Whether every key `desired` sets has the same value in `current`, reporting
 * each mismatch to `onMismatch` with the path below the starting point.
 * Lists of named entries (bridge ports, SR-IOV VFs) must name the same
 * entries, each compared like an object (`[name=eth1]` in the path); other
 * lists are compared whole.
 */
export function compareJson(
  desired: JsonValue,
  current: JsonValue | undefined,
  path: readonly (string | number)[],
  onMismatch: (path: readonly (string | number)[], expected: JsonValue, actual: JsonValue | undefined) => void,
): void {
  // One path stack for the whole walk: large states would otherwise allocate an array per leaf.
  const stack = [...path];
  const walk = (des: JsonValue, cur: JsonValue | undefined): void => {
    if (isJsonObject(des) && isJsonObject(cur)) {
      for (const key in des) {
        stack.push(key);
        walk(des[key] as JsonValue, cur[key]);
        stack.pop();
      }
      return;
    }
    const entryKey = Array.isArray(des) && Array.isArray(cur) ? getEntryKey(des) : undefined;
    if (entryKey && Array.isArray(des) && Array.isArray(cur) && getEntryKey(cur) === entryKey) {
      const byKey = new Map(cur.map((e) => [String((e as JsonObject)[entryKey]), e]));
      const desKeys = des.map((e) => String((e as JsonObject)[entryKey])).sort();
      const curKeys = [...byKey.keys()].sort();
      if (desKeys.join('\u0000') !== curKeys.join('\u0000')) {
        onMismatch([...stack], des, cur);
        return;
      }
      for (const e of des) {
        const id = String((e as JsonObject)[entryKey]);
        stack.push(`[${entryKey}=${id}]`);
        walk(e, byKey.get(id));
        stack.pop();
      }
      return;
    }
    if (!isJsonEqual(des, cur)) onMismatch([...stack], des, cur);
  };
  walk(desired, current);
}
