import yaml from 'js-yaml';
import { YamlScalar } from './yaml-scalar.js';

/**
 * Resolves a plain (unquoted) YAML scalar exactly as serde_yaml 0.9 does when nmstate
 * reads a document, which differs from js-yaml's core schema in ways that matter here:
 * digits with a leading zero stay strings (`0123`), only `true`/`false` in three
 * spellings are booleans, `1e3`-style floats exist, and there are no timestamps.
 *
 * Returns `undefined` when the scalar is a string; floats come back as {@link YamlScalar}.
 */
export function resolvePlainScalar(text: string): unknown {
  const first = text.charCodeAt(0);
  // Most scalars are names and keys; decide from the first character before anything else.
  if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) return resolveNumber(text);
  switch (text) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    default:
      return undefined;
  }
}

const DECIMAL = /^[0-9]+$/;
const FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** YAML 1.2 treats `0123` (leading zero, digits only) as a string; so does serde_yaml. */
function isDigitsButNotNumber(text: string): boolean {
  const unsigned = text.charCodeAt(0) === 0x2b || text.charCodeAt(0) === 0x2d ? text.slice(1) : text;
  return unsigned.length > 1 && unsigned.charCodeAt(0) === 0x30 && DECIMAL.test(unsigned);
}

function toInteger(negative: boolean, digits: string, radix: number): number | bigint {
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const big = BigInt(prefix + digits);
  const value = negative ? -big : big;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

const RADIX_DIGITS: Readonly<Record<string, { radix: number; pattern: RegExp }>> = {
  '0x': { radix: 16, pattern: /^[0-9a-fA-F]+$/ },
  '0o': { radix: 8, pattern: /^[0-7]+$/ },
  '0b': { radix: 2, pattern: /^[01]+$/ },
};

function resolveNumber(text: string): unknown {
  if (DECIMAL.test(text)) {
    if (text.length > 1 && text.charCodeAt(0) === 0x30) return undefined;
    return text.length < 16 ? Number(text) : toInteger(false, text, 10);
  }
  let negative = false;
  let unsigned = text;
  if (text.startsWith('+')) unsigned = text.slice(1);
  else if (text.startsWith('-')) {
    negative = true;
    unsigned = text.slice(1);
  }
  if (unsigned.startsWith('+') || unsigned.startsWith('-')) return undefined;
  const radix = RADIX_DIGITS[unsigned.slice(0, 2)];
  if (radix !== undefined && radix.pattern.test(unsigned.slice(2))) {
    return toInteger(negative, unsigned.slice(2), radix.radix);
  }
  if (isDigitsButNotNumber(text)) return undefined;
  if (DECIMAL.test(unsigned)) {
    const value = toInteger(negative, unsigned, 10);
    return value === 0 ? 0 : value;
  }
  return resolveFloat(text);
}

function resolveFloat(text: string): unknown {
  const unsigned = text.startsWith('+') ? text.slice(1) : text;
  switch (unsigned) {
    case '.inf':
    case '.Inf':
    case '.INF':
      return new YamlScalar(Infinity, text, 'float');
  }
  switch (text) {
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return new YamlScalar(-Infinity, text, 'float');
    case '.nan':
    case '.NaN':
    case '.NAN':
      return new YamlScalar(Number.NaN, text, 'float');
  }
  if (!FLOAT.test(unsigned)) return undefined;
  const value = Number(unsigned);
  // Rust refuses floats that overflow to infinity; the scalar is then a string.
  if (!Number.isFinite(value)) return undefined;
  return new YamlScalar(value, text, 'float');
}

let resolved: unknown;

/**
 * The value the loader stores: plain JavaScript values when nothing is lost, a
 * {@link YamlScalar} keeping the text when a number or boolean is spelled unusually
 * (or is a float that looks like an integer).
 */
function toLoadedValue(value: unknown, text: string): unknown {
  if (value instanceof YamlScalar) {
    const float = value.value as number;
    return Number.isFinite(float) && !Number.isInteger(float) && String(float) === text ? float : value;
  }
  if (typeof value === 'boolean') return text === 'true' || text === 'false' ? value : new YamlScalar(value, text, 'bool');
  if (typeof value === 'number' || typeof value === 'bigint') {
    return String(value) === text ? value : new YamlScalar(value, text, 'int');
  }
  return value;
}

/** One implicit type that stands for null, bool, int and float together (one call per scalar). */
const serdeScalar = new yaml.Type('tag:yaml.org,2002:serde-scalar', {
  kind: 'scalar',
  resolve(text: string) {
    resolved = resolvePlainScalar(text);
    if (resolved === undefined) return false;
    resolved = toLoadedValue(resolved, text);
    return true;
  },
  construct: () => resolved,
});

/** A js-yaml schema whose plain scalars resolve as serde_yaml resolves them. */
export const SERDE_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [serdeScalar] });

/** Parses YAML text with {@link SERDE_YAML_SCHEMA}; throws js-yaml's `YAMLException` on syntax errors. */
export function loadYaml(text: string): unknown {
  return yaml.load(text, { schema: SERDE_YAML_SCHEMA });
}
