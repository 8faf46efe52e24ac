/**
 * One value of a NetworkManager connection setting, tagged with its D-Bus
 * signature, so that the D-Bus backend can build the `Variant` NetworkManager
 * expects (`a{sa{sv}}`) and the keyfile writer knows how to print it.
 *
 * 64-bit integers (`x`, `t`) are carried as JavaScript numbers: every value
 * NetworkManager settings use (route metrics, bridge intervals, timestamps)
 * is far below 2^53.
 */
export type NmValue =
  | { readonly type: 'b'; readonly value: boolean }
  | { readonly type: 'y'; readonly value: number }
  | { readonly type: 'q'; readonly value: number }
  | { readonly type: 'i'; readonly value: number }
  | { readonly type: 'u'; readonly value: number }
  | { readonly type: 'x'; readonly value: number }
  | { readonly type: 't'; readonly value: number }
  | { readonly type: 's'; readonly value: string }
  | { readonly type: 'as'; readonly value: readonly string[] }
  | { readonly type: 'au'; readonly value: readonly number[] }
  | { readonly type: 'ay'; readonly value: Uint8Array }
  | { readonly type: 'aay'; readonly value: readonly Uint8Array[] }
  | { readonly type: 'a{ss}'; readonly value: Readonly<Record<string, string>> }
  | { readonly type: 'a{sv}'; readonly value: NmDict }
  | { readonly type: 'aa{sv}'; readonly value: readonly NmDict[] };

/** A D-Bus `a{sv}` dictionary: an address, a route, a VLAN range… */
export type NmDict = Readonly<Record<string, NmValue>>;

/** The D-Bus signature of an {@link NmValue}. */
export type NmSignature = NmValue['type'];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

function checkInteger(value: number, min: number, max: number, signature: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`expected an integer in [${min}, ${max}] for D-Bus type '${signature}', got ${value}`);
  }
  return value;
}

/**
 * Constructors of {@link NmValue}s, named after the D-Bus types. They check
 * integer ranges, so an out-of-range number fails where it is produced rather
 * than inside NetworkManager.
 */
export const nmValue = {
  bool: (value: boolean): NmValue => ({ type: 'b', value }),
  byte: (value: number): NmValue => ({ type: 'y', value: checkInteger(value, 0, 255, 'y') }),
  uint16: (value: number): NmValue => ({ type: 'q', value: checkInteger(value, 0, 65_535, 'q') }),
  int32: (value: number): NmValue => ({ type: 'i', value: checkInteger(value, INT32_MIN, INT32_MAX, 'i') }),
  uint32: (value: number): NmValue => ({ type: 'u', value: checkInteger(value, 0, UINT32_MAX, 'u') }),
  int64: (value: number): NmValue => ({ type: 'x', value: checkInteger(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'x') }),
  uint64: (value: number): NmValue => ({ type: 't', value: checkInteger(value, 0, Number.MAX_SAFE_INTEGER, 't') }),
  string: (value: string): NmValue => ({ type: 's', value }),
  stringList: (value: readonly string[]): NmValue => ({ type: 'as', value: [...value] }),
  uint32List: (value: readonly number[]): NmValue => ({ type: 'au', value: value.map((v) => checkInteger(v, 0, UINT32_MAX, 'u')) }),
  bytes: (value: Uint8Array | readonly number[]): NmValue => ({ type: 'ay', value: Uint8Array.from(value) }),
  bytesList: (value: readonly (Uint8Array | readonly number[])[]): NmValue => ({ type: 'aay', value: value.map((v) => Uint8Array.from(v)) }),
  stringDict: (value: Readonly<Record<string, string>>): NmValue => ({ type: 'a{ss}', value: { ...value } }),
  dict: (value: NmDict): NmValue => ({ type: 'a{sv}', value: { ...value } }),
  dictList: (value: readonly NmDict[]): NmValue => ({ type: 'aa{sv}', value: value.map((d) => ({ ...d })) }),
} as const;

function areBytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function areDictsEqual(a: NmDict, b: NmDict): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const bv = b[k];
    const av = a[k];
    return av !== undefined && bv !== undefined && areNmValuesEqual(av, bv);
  });
}

/** Deep equality of two values, signature included (`u` 1 is not `i` 1). */
export function areNmValuesEqual(a: NmValue, b: NmValue): boolean {
  switch (a.type) {
    case 'b':
    case 'y':
    case 'q':
    case 'i':
    case 'u':
    case 'x':
    case 't':
    case 's':
      return b.type === a.type && b.value === a.value;
    case 'as':
      return b.type === 'as' && a.value.length === b.value.length && a.value.every((v, i) => v === b.value[i]);
    case 'au':
      return b.type === 'au' && a.value.length === b.value.length && a.value.every((v, i) => v === b.value[i]);
    case 'ay':
      return b.type === 'ay' && areBytesEqual(a.value, b.value);
    case 'aay':
      return b.type === 'aay' && a.value.length === b.value.length && a.value.every((v, i) => areBytesEqual(v, b.value[i] ?? new Uint8Array()));
    case 'a{ss}': {
      if (b.type !== 'a{ss}') return false;
      const keys = Object.keys(a.value);
      return keys.length === Object.keys(b.value).length && keys.every((k) => a.value[k] === b.value[k]);
    }
    case 'a{sv}':
      return b.type === 'a{sv}' && areDictsEqual(a.value, b.value);
    case 'aa{sv}':
      return b.type === 'aa{sv}' && a.value.length === b.value.length && a.value.every((d, i) => areDictsEqual(d, b.value[i] ?? {}));
  }
}

/** The value as plain JSON-friendly data (bytes as number arrays), for logs, fixtures and diffs. */
export function toPlainValue(value: NmValue): unknown {
  switch (value.type) {
    case 'ay':
      return [...value.value];
    case 'aay':
      return value.value.map((v) => [...v]);
    case 'a{sv}':
      return Object.fromEntries(Object.entries(value.value).map(([k, v]) => [k, toPlainValue(v)]));
    case 'aa{sv}':
      return value.value.map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, toPlainValue(v)])));
    default:
      return value.value;
  }
}
