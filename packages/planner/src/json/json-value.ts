/** A JSON value as the planner handles state documents: plain data, no classes. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object with nmstate's key spelling. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of a JSON value (plain objects, arrays and primitives; an own key whose
 * value is `undefined` is kept). Several times faster than `structuredClone` on state
 * documents, which matters where hundreds of simulated hosts copy states per apply.
 */
export function cloneJson<T extends JsonValue | undefined>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneValue(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneValue((value as Record<string, unknown>)[key]);
  return out;
}

/** Structural equality of two JSON values (key order of objects does not matter). */
export function isJsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!isJsonEqual(a[i], b[i])) return false;
    return true;
  }
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) if (!(k in b) || !isJsonEqual(a[k], b[k])) return false;
  return true;
}
