/** A value that `JSON.stringify` writes as is. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// Deep enough for any event a caller means to log; deeper structures are
// almost always an accidental whole object graph.
const MAX_DEPTH = 8;

/**
 * Turns an error into `{ kind, name, message, cause?, errors?, stack?, …own fields }`.
 * `kind` is the error's own `kind` (every nmfleet package's errors carry one)
 * or else its class name, so log queries can branch on it. Only an error
 * without its own `kind` carries its `stack`: a kinded error is a failure the
 * code expects (a conflict, an unreachable server) and its stack is noise,
 * while an unkinded one is usually a bug, where the stack is what matters.
 */
export function serialiseError(error: Error): { [key: string]: JsonValue } {
  return errorToJson(error, new Set(), 0);
}

/**
 * Turns any value into JSON-safe data: errors as by {@link serialiseError},
 * bigints as strings, dates as ISO strings, maps as objects, sets as lists,
 * cycles as `"[Circular]"`; functions, symbols and `undefined` fields are dropped.
 */
export function toJsonValue(value: unknown): JsonValue | undefined {
  return convert(value, new Set(), 0);
}

function convert(value: unknown, ancestors: Set<object>, depth: number): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (ancestors.has(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? '[Array]' : '[Object]';
  if (object instanceof Error) return errorToJson(object, ancestors, depth);
  ancestors.add(object);
  try {
    if (Array.isArray(object) || object instanceof Set) {
      return [...(object as Iterable<unknown>)].map((item) => convert(item, ancestors, depth + 1) ?? null);
    }
    const entries = object instanceof Map ? [...object.entries()] : Object.entries(object);
    const result: { [key: string]: JsonValue } = {};
    for (const [key, item] of entries) {
      const converted = convert(item, ancestors, depth + 1);
      if (converted !== undefined) result[String(key)] = converted;
    }
    return result;
  } finally {
    ancestors.delete(object);
  }
}

function errorToJson(error: Error, ancestors: Set<object>, depth: number): { [key: string]: JsonValue } {
  ancestors.add(error);
  try {
    const ownKind = (error as { kind?: unknown }).kind;
    const hasKind = typeof ownKind === 'string' && ownKind !== '';
    const result: { [key: string]: JsonValue } = {
      kind: hasKind ? ownKind : error.name,
      name: error.name,
      message: error.message,
    };
    for (const [key, item] of Object.entries(error)) {
      if (key in result || key === 'cause' || key === 'errors' || key === 'stack') continue;
      const converted = convert(item, ancestors, depth + 1);
      if (converted !== undefined) result[key] = converted;
    }
    if (error.cause !== undefined) {
      result['cause'] = convert(error.cause, ancestors, depth + 1) ?? String(error.cause);
    }
    if (error instanceof AggregateError) {
      result['errors'] = error.errors.map((item: unknown) => convert(item, ancestors, depth + 1) ?? null);
    }
    if (!hasKind && typeof error.stack === 'string') result['stack'] = error.stack;
    return result;
  } finally {
    ancestors.delete(error);
  }
}
