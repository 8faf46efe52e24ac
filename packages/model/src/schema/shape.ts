import { INVALID, isMapping, isTemplateString } from './validation-context.js';
import type { Invalid, ValidationContext } from './validation-context.js';
import { compareCodePoints } from '../yaml/compare-code-points.js';
import { YamlScalar, unwrapScalar } from '../yaml/yaml-scalar.js';

/**
 * A compiled validator and serializer for one kind of value in a state document.
 *
 * Shapes are built once, when the module loads, from the per-type files; validating a
 * document is then a single walk over it that calls these closures (no schema
 * interpretation in the hot path).
 */
export interface Shape<T> {
  /** What this shape accepts, for messages: `an unsigned 16-bit integer`. */
  readonly expected: string;
  /**
   * Whether `null` means "not set" (serde's plain `Option<T>`). Lenient nmstate fields
   * (`u32_or_string` and friends) reject `null`, so they set this to false.
   */
  readonly nullIsAbsent: boolean;
  /** Returns the normalized value, or {@link INVALID} after recording issues. */
  validate(value: unknown, ctx: ValidationContext): T | Invalid;
  /** The value as `nmstatectl format` prints it: keys in nmstate's order, hex fields as strings. */
  canonical(value: T): unknown;
  /**
   * Takes scalars as their text (serde_yaml `String` fields of the top-level sections):
   * the walker then passes unusual spellings (`0x10`, `True`) as written instead of
   * unwrapping them to their value.
   */
  readonly readsScalarText?: boolean;
}

/** The value a shape is given for `value`: unusual spellings unwrapped unless it reads text. */
function shapeInput(shape: Shape<unknown>, value: unknown): unknown {
  return shape.readsScalarText === true ? value : unwrapScalar(value);
}

/** How one key of a mapping is validated and printed. */
export interface Field<V> {
  readonly shape: Shape<V>;
  readonly required: boolean;
  /** Other spellings nmstate accepts (serde `alias`); the value is stored under the canonical key. */
  readonly aliases: readonly string[];
  /** Filled in when the key is absent (serde `default` on a field that is always printed). */
  readonly defaultValue?: V;
  /** Like `defaultValue`, for values that must not be shared between documents (lists). */
  readonly makeDefault?: () => V;
  /** Dropped when true (serde `skip_serializing_if`), e.g. empty strings nmstate never prints. */
  readonly skipIf?: (value: V) => boolean;
  /** Printed as `null` when absent (an `Option` without `skip_serializing_if`). */
  readonly printNullWhenAbsent: boolean;
  /** Accepted and dropped with a warning (nmstate ignores it), e.g. query-only data. */
  readonly ignoredWithWarning?: string;
}

export interface FieldOptions<V> {
  aliases?: readonly string[];
  defaultValue?: V;
  makeDefault?: () => V;
  skipIf?: (value: V) => boolean;
  printNullWhenAbsent?: boolean;
  ignoredWithWarning?: string;
}

/** An optional key. */
export function optional<V>(shape: Shape<V>, options: FieldOptions<V> = {}): Field<V> {
  return { shape, required: false, aliases: options.aliases ?? [], printNullWhenAbsent: false, ...options };
}

/** A key nmstate requires whenever its section is present. */
export function required<V>(shape: Shape<V>, options: FieldOptions<V> = {}): Field<V> {
  return { shape, required: true, aliases: options.aliases ?? [], printNullWhenAbsent: false, ...options };
}

/** The fields of a mapping type `T`: every property of `T` must have exactly one field. */
export type Fields<T> = { readonly [K in keyof T]-?: Field<NonNullable<T[K]>> };

export interface StructOptions<T> {
  /** Name of the section for messages, e.g. `link-aggregation`. */
  name: string;
  /**
   * `deny`: unknown keys are errors (serde `deny_unknown_fields`);
   * `ignore`: accepted and dropped with a warning, as nmstate silently does.
   */
  unknownKeys: 'deny' | 'ignore';
  /** Cross-field checks on an otherwise valid value; return false after recording issues. */
  refine?: (value: T, ctx: ValidationContext) => boolean;
  /** Keys accepted and dropped without a word, as nmstate does (query-only data such as LLDP neighbors). */
  droppedKeys?: readonly string[];
  /**
   * Whether `null` reads as "not given" (a serde `Option`). Sections nmstate reads with a
   * default instead (`routes`, `route-rules`, `ovn`) reject `null`.
   * @default true
   */
  nullIsAbsent?: boolean;
}

interface FieldEntry {
  readonly name: string;
  readonly field: Field<unknown>;
  /** All spellings, canonical first; more than one only when the field has aliases. */
  readonly keys: readonly string[];
}

/** A mapping with a fixed set of keys: one nmstate struct. */
export interface StructShape<T> extends Shape<T> {
  readonly name: string;
  /** Canonical key order, as nmstate serializes the struct. */
  readonly keyOrder: readonly string[];
  readonly fields: Fields<T>;
  /** Validates the keys of `input` into `out`; used by interface shapes that add their own keys. */
  validateInto(input: Record<string, unknown>, out: Record<string, unknown>, ctx: ValidationContext): boolean;
  /** Looks up the field a key (or alias) belongs to. */
  lookup(key: string): { name: string; field: Field<unknown> } | undefined;
}

/** Builds the shape of an nmstate struct from its fields, in nmstate's serialization order. */
export function struct<T>(fields: Fields<T>, options: StructOptions<T>): StructShape<T> {
  const entries = new Map<string, FieldEntry>();
  const requiredEntries: FieldEntry[] = [];
  const defaulted: FieldEntry[] = [];
  const keyOrder = Object.keys(fields);
  for (const name of keyOrder) {
    const field = (fields as Record<string, Field<unknown>>)[name] as Field<unknown>;
    const entry: FieldEntry = { name, field, keys: [name, ...field.aliases] };
    for (const key of entry.keys) entries.set(key, entry);
    if (field.required) requiredEntries.push(entry);
    if (field.defaultValue !== undefined || field.makeDefault !== undefined) defaulted.push(entry);
  }
  const knownKeys = keyOrder.join(', ');
  const expected = `a mapping (${options.name})`;
  const dropped = new Set(options.droppedKeys ?? []);

  function validateInto(input: Record<string, unknown>, out: Record<string, unknown>, ctx: ValidationContext): boolean {
    let ok = true;
    let misspelt: string[] | undefined;
    for (const key in input) {
      const entry = entries.get(key);
      if (entry === undefined) {
        if (dropped.has(key)) continue;
        if (options.unknownKeys === 'deny') {
          const suggestion = suggestKey(key, keyOrder);
          if (suggestion !== undefined) (misspelt ??= []).push(suggestion);
          ctx.path.push(key);
          ctx.error(unknownKeyMessage(key, options.name, suggestion, knownKeys), `one of ${knownKeys}`, 'key');
          ctx.path.pop();
          ok = false;
        } else {
          ctx.path.push(key);
          ctx.warn(`unknown key "${key}" in ${options.name} is ignored (nmstate ignores it too)`, 'key');
          ctx.path.pop();
        }
        continue;
      }
      const value = input[key];
      if (entry.keys.length > 1 && isDuplicateSpelling(entry, key, input)) {
        ctx.path.push(key);
        ctx.error(
          `"${key}" and "${entry.keys.filter((k) => k !== key && k in input).join('", "')}" are the same key: give it once`,
          `one of ${entry.keys.join(', ')}`,
          'key',
        );
        ctx.path.pop();
        ok = false;
        continue;
      }
      const field = entry.field;
      if (field.ignoredWithWarning !== undefined) {
        ctx.path.push(key);
        ctx.warn(field.ignoredWithWarning, 'key');
        ctx.path.pop();
        continue;
      }
      if (value === null && field.shape.nullIsAbsent) continue;
      ctx.path.push(key);
      const result = ctx.templates && isTemplateString(value) ? value : field.shape.validate(shapeInput(field.shape, value), ctx);
      ctx.path.pop();
      if (result === INVALID) ok = false;
      else if (field.skipIf === undefined || !field.skipIf(result)) out[entry.name] = result;
    }
    for (const entry of requiredEntries) {
      // A misspelt key has been reported already ("did you mean ..."); its absence is the same problem.
      if (misspelt?.includes(entry.name)) continue;
      if (!entry.keys.some((key) => key in input && !(input[key] === null && entry.field.shape.nullIsAbsent))) {
        ctx.error(
          `missing required key "${entry.name}" in ${options.name}: expected ${entry.field.shape.expected}`,
          entry.field.shape.expected,
        );
        ok = false;
      }
    }
    for (const entry of defaulted) {
      if (!(entry.name in out) && !entry.keys.some((key) => key in input)) {
        out[entry.name] = entry.field.makeDefault !== undefined ? entry.field.makeDefault() : entry.field.defaultValue;
      }
    }
    return ok;
  }

  return {
    name: options.name,
    expected,
    nullIsAbsent: options.nullIsAbsent ?? true,
    keyOrder,
    fields,
    validateInto,
    lookup: (key) => entries.get(key),
    validate(value, ctx) {
      if (!isMapping(value)) return ctx.mismatch(value, expected);
      const out: Record<string, unknown> = {};
      if (!validateInto(value, out, ctx)) return INVALID;
      const result = out as T;
      if (options.refine !== undefined && !options.refine(result, ctx)) return INVALID;
      return result;
    },
    canonical(value) {
      return canonicalStruct(value as Record<string, unknown>, fields as Record<string, Field<unknown>>, keyOrder);
    },
  };
}

/** Orders the present keys of a struct value as nmstate serializes them. */
export function canonicalStruct(
  value: Record<string, unknown>,
  fields: Record<string, Field<unknown>>,
  keyOrder: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of keyOrder) {
    const field = fields[name] as Field<unknown>;
    const item = value[name];
    if (item === undefined) {
      if (field.printNullWhenAbsent) out[name] = null;
      continue;
    }
    if (field.skipIf !== undefined && field.skipIf(item)) continue;
    out[name] = isTemplateString(item) ? item : field.shape.canonical(item);
  }
  return out;
}

function isDuplicateSpelling(entry: FieldEntry, key: string, input: Record<string, unknown>): boolean {
  // Report on the later spelling only, so each duplicate yields one issue.
  let seenOther = false;
  for (const k in input) {
    if (k === key) return seenOther;
    if (entry.keys.includes(k)) seenOther = true;
  }
  return false;
}

function unknownKeyMessage(key: string, section: string, suggestion: string | undefined, knownText: string): string {
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown key "${key}" in ${section}${hint}: expected one of ${knownText}`;
}

/** The known key closest to a misspelt one, when it is close enough to be a likely typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** A YAML list of one kind of item. */
export function list<T>(item: Shape<T>, options: { expected?: string } = {}): Shape<T[]> {
  const expected = options.expected ?? `a list of ${stripArticle(item.expected)}`;
  return {
    expected,
    nullIsAbsent: true,
    validate(value, ctx) {
      if (!Array.isArray(value)) return ctx.mismatch(value, expected);
      const out: T[] = new Array(value.length);
      let ok = true;
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        ctx.path.push(i);
        const result = ctx.templates && isTemplateString(element) ? (element as T) : item.validate(shapeInput(item as Shape<unknown>, element), ctx);
        ctx.path.pop();
        if (result === INVALID) ok = false;
        else out[i] = result;
      }
      return ok ? out : INVALID;
    },
    canonical(value) {
      return value.map((element) => (isTemplateString(element) ? element : item.canonical(element)));
    },
  };
}

function stripArticle(text: string): string {
  return text.replace(/^(an?|the) /, '');
}

/**
 * A mapping from user-chosen keys to values of one shape (OVS `external_ids`, ethtool
 * features). `sorted` prints keys in byte order, as nmstate's `BTreeMap`s do.
 */
export function stringMap<V>(value: Shape<V>, options: { expected: string; sorted: boolean }): Shape<Record<string, V>> {
  return {
    expected: options.expected,
    nullIsAbsent: true,
    validate(input, ctx) {
      if (!isMapping(input)) return ctx.mismatch(input, options.expected);
      const out: Record<string, V> = {};
      let ok = true;
      for (const key in input) {
        ctx.path.push(key);
        const result = value.validate(shapeInput(value as Shape<unknown>, input[key]), ctx);
        ctx.path.pop();
        if (result === INVALID) ok = false;
        else out[key] = result;
      }
      return ok ? out : INVALID;
    },
    canonical(input) {
      const keys = Object.keys(input);
      if (options.sorted) keys.sort(compareCodePoints);
      const out: Record<string, unknown> = {};
      for (const key of keys) out[key] = value.canonical(input[key] as V);
      return out;
    },
  };
}

/** Converts loader-specific scalars (`YamlFloat`, `bigint`) to plain JSON values, deeply. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? Number(value) : value;
  }
  if (value instanceof YamlScalar) return typeof value.value === 'bigint' ? Number(value.value) : value.value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = toJsonValue((value as Record<string, unknown>)[key]);
  return out;
}

/** A shape defined by two functions, for values with bespoke nmstate rules. */
export function custom<T>(
  expected: string,
  validate: (value: unknown, ctx: ValidationContext) => T | Invalid,
  options: { nullIsAbsent?: boolean; canonical?: (value: T) => unknown; readsScalarText?: boolean } = {},
): Shape<T> {
  return {
    expected,
    nullIsAbsent: options.nullIsAbsent ?? true,
    validate,
    canonical: options.canonical ?? ((value) => value),
    readsScalarText: options.readsScalarText ?? false,
  };
}
