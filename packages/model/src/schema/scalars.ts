/**
 * Scalar shapes that mirror nmstate's serde rules, including its lenient forms
 * (`deserializer.rs`: `u32_or_string`, `bool_or_string`, `option_enum_string_or_integer`, ...).
 *
 * Two families of string fields exist because nmstate reads two ways: interfaces go
 * through a `serde_json::Value` first, so their strings must be YAML strings
 * ({@link str}); the other sections are read by serde_yaml directly, which hands any
 * scalar's text to a `String` field ({@link scalarText}).
 */
import { displayScalar } from './validation-context.js';
import type { Invalid, ValidationContext } from './validation-context.js';
import type { Shape } from './shape.js';
import { YamlScalar } from '../yaml/yaml-scalar.js';

/** The words nmstate's lenient boolean deserializers accept (case-insensitive). */
export const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  '1': true,
  true: true,
  yes: true,
  on: true,
  y: true,
  '0': false,
  false: false,
  no: false,
  off: false,
  n: false,
};
const BOOLEAN_EXPECTED = 'a boolean (or one of 1|0|true|false|yes|no|on|off|y|n)';

/** A YAML string; other scalars are type errors. */
export const str: Shape<string> = {
  expected: 'a string',
  nullIsAbsent: true,
  validate: (value, ctx) => (typeof value === 'string' ? value : ctx.mismatch(value, 'a string')),
  canonical: (value) => value,
};

/** Any scalar, as text (serde_yaml gives a `String` field the scalar's text, `8` → `"8"`). */
export const scalarText: Shape<string> = {
  expected: 'a string',
  nullIsAbsent: true,
  readsScalarText: true,
  validate(value, ctx) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (value instanceof YamlScalar) return value.text;
    return ctx.mismatch(value, 'a string');
  },
  canonical: (value) => value,
};

/** A YAML boolean, nothing else (plain serde `bool`). */
export const bool: Shape<boolean> = {
  expected: 'a boolean (true or false)',
  nullIsAbsent: true,
  validate: (value, ctx) => (typeof value === 'boolean' ? value : ctx.mismatch(value, 'a boolean (true or false)')),
  canonical: (value) => value,
};

/** nmstate's `bool_or_string`: booleans, `0`/`1`, and the words of {@link BOOLEAN_WORDS} in any case. */
export const boolOrString: Shape<boolean> = {
  expected: BOOLEAN_EXPECTED,
  nullIsAbsent: false,
  validate(value, ctx) {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const word = BOOLEAN_WORDS[value.toLowerCase()];
      if (word !== undefined) return word;
    } else if (value === 0 || value === 1) {
      return value === 1;
    }
    return ctx.mismatch(value, BOOLEAN_EXPECTED);
  },
  canonical: (value) => value,
};

export interface IntegerRange {
  min: number;
  max: number;
  /** Why the range is narrower than the integer type, appended to `expected` (e.g. `for a VLAN id`). */
  reason?: string;
}

const UNSIGNED_MAX = { 8: 0xff, 16: 0xffff, 32: 0xffffffff, 64: Number.MAX_SAFE_INTEGER } as const;
type Bits = keyof typeof UNSIGNED_MAX;

function rangeText(range: IntegerRange): string {
  let base: string;
  if (range.min === Number.MIN_SAFE_INTEGER && range.max === Number.MAX_SAFE_INTEGER) base = 'an integer';
  else if (range.min === 0 && range.max === Number.MAX_SAFE_INTEGER) base = 'a non-negative integer';
  else base = `an integer ${range.min}..${range.max}`;
  return range.reason === undefined ? base : `${base} ${range.reason}`;
}

/** Parses a decimal integer the way Rust's `FromStr` does: optional sign, ASCII digits only. */
function parseDecimal(text: string, allowMinus: boolean): number | undefined {
  const match = allowMinus ? /^[+-]?[0-9]+$/.exec(text) : /^\+?[0-9]+$/.exec(text);
  return match === null ? undefined : Number(text);
}

/** Parses the text after `0x` the way Rust's `from_str_radix(_, 16)` does. */
function parseHex(text: string): number | undefined {
  return /^\+?[0-9a-fA-F]+$/.test(text) ? Number.parseInt(text.replace('+', ''), 16) : undefined;
}

function checkRange(value: number, range: IntegerRange, ctx: ValidationContext, raw: unknown): number | Invalid {
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    return ctx.outOfRange(raw, rangeText(range));
  }
  return value;
}

function isYamlInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/**
 * nmstate's `uN_or_string`: a non-negative integer, or a string holding one in decimal
 * or `0x` hexadecimal (`"1500"`, `"0x5dc"`).
 */
export function uintOrString(bits: Bits, narrower?: IntegerRange): Shape<number> {
  const range = narrower ?? { min: 0, max: UNSIGNED_MAX[bits] };
  const expected = `${rangeText(range)}, or a string holding one (decimal or 0x-hex)`;
  return {
    expected,
    nullIsAbsent: false,
    validate(value, ctx) {
      if (isYamlInteger(value)) return value < 0 ? ctx.mismatch(value, expected) : checkRange(value, range, ctx, value);
      if (typeof value === 'bigint') return value < 0n ? ctx.mismatch(value, expected) : ctx.outOfRange(value, rangeText(range));
      if (typeof value === 'string') {
        const parsed = value.startsWith('0x') ? parseHex(value.slice(2)) : parseDecimal(value, false);
        if (parsed === undefined) return ctx.mismatch(value, expected);
        return checkRange(parsed, range, ctx, value);
      }
      return ctx.mismatch(value, expected);
    },
    canonical: (value) => value,
  };
}

/** A plain serde unsigned integer: numbers only, no strings. */
export function uint(bits: Bits, narrower?: IntegerRange): Shape<number> {
  const range = narrower ?? { min: 0, max: UNSIGNED_MAX[bits] };
  const expected = rangeText(range);
  return {
    expected,
    nullIsAbsent: true,
    validate(value, ctx) {
      if (isYamlInteger(value)) return value < 0 ? ctx.mismatch(value, expected) : checkRange(value, range, ctx, value);
      if (typeof value === 'bigint') return value < 0n ? ctx.mismatch(value, expected) : ctx.outOfRange(value, expected);
      return ctx.mismatch(value, expected);
    },
    canonical: (value) => value,
  };
}

const SIGNED_RANGE = {
  32: { min: -0x80000000, max: 0x7fffffff },
  64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
} as const;

/** nmstate's `iN_or_string`: an integer, or a string holding a decimal one (`"-1"`). */
export function intOrString(bits: 32 | 64, narrower?: IntegerRange): Shape<number> {
  const range = narrower ?? SIGNED_RANGE[bits];
  const expected = `${rangeText(range)}, or a string holding one`;
  return {
    expected,
    nullIsAbsent: false,
    validate(value, ctx) {
      if (isYamlInteger(value)) return checkRange(value, range, ctx, value);
      if (typeof value === 'bigint') return ctx.outOfRange(value, rangeText(range));
      if (typeof value === 'string') {
        const parsed = parseDecimal(value, true);
        if (parsed === undefined) return ctx.mismatch(value, expected);
        return checkRange(parsed, range, ctx, value);
      }
      return ctx.mismatch(value, expected);
    },
    canonical: (value) => value,
  };
}

/**
 * A serde enum of strings. `names` maps every accepted spelling (including serde aliases)
 * to the canonical one; the expected list shows canonical names only.
 */
export function enumOf<T extends string>(names: Readonly<Record<string, T>>, options: { lenient?: boolean } = {}): Shape<T> {
  const canonicalNames = [...new Set(Object.values(names))];
  const expected = `one of ${canonicalNames.join(', ')}`;
  return {
    expected,
    nullIsAbsent: !options.lenient,
    validate(value, ctx) {
      let key: string;
      if (typeof value === 'string') key = value;
      // `option_enum_string_or_integer` reads an integer as its decimal text (bond mode `1`).
      else if (options.lenient && isYamlInteger(value) && value >= 0) key = String(value);
      else return ctx.mismatch(value, expected);
      if (Object.hasOwn(names, key)) return names[key] as T;
      return ctx.error(`${ctx.subject()}: invalid value ${displayScalar(value)}: expected ${expected}`, expected);
    },
    canonical: (value) => value,
  };
}

/** Identity mapping of names to themselves, for {@link enumOf}. */
export function names<T extends string>(...values: T[]): Record<T, T> {
  const out = {} as Record<T, T>;
  for (const value of values) out[value] = value;
  return out;
}

/** Prints an integer as nmstate's hex serializers do: `0x30` (`{:#x}`) or zero-padded `0x80ff` (`{:#06x}`). */
export function withHexOutput(shape: Shape<number>, padTo = 0): Shape<number> {
  return {
    ...shape,
    canonical: (value) => `0x${value.toString(16).padStart(padTo, '0')}`,
  };
}
