import type { Variant } from 'dbus-next';
import type { NmSettings } from '../settings/nm-settings.js';
import type { NmDict, NmValue } from '../settings/nm-value.js';

/** Values of a profile that {@link NmValue} does not model, kept as NetworkManager sent them. */
export type PassthroughSettings = Record<string, Record<string, Variant>>;

/** A profile read from NetworkManager: the modelled values, plus the rest untouched. */
export interface NmProfileSettings {
  settings: NmSettings;
  passthrough: PassthroughSettings;
}

/**
 * Keys NetworkManager still returns for old clients. Sending them back would
 * make it ignore `address-data`/`route-data`/`gateway` (its documented rule),
 * so they are dropped on every write.
 */
const DEPRECATED_KEYS: Record<string, ReadonlySet<string>> = {
  ipv4: new Set(['addresses', 'routes']),
  ipv6: new Set(['addresses', 'routes']),
};

function isDeprecated(setting: string, key: string): boolean {
  return DEPRECATED_KEYS[setting]?.has(key) ?? false;
}

/** dbus-next's Variant class: the bus connection hands it over once dbus-next is loaded. */
export type VariantClass = typeof Variant;

/** Reads GetSettings' `a{sa{sv}}` reply into modelled values and passthrough variants. */
export function fromDbusSettings(raw: Record<string, Record<string, Variant>>): NmProfileSettings {
  const settings: NmSettings = {};
  const passthrough: PassthroughSettings = {};
  for (const [settingName, keys] of Object.entries(raw)) {
    for (const [key, variant] of Object.entries(keys)) {
      if (isDeprecated(settingName, key)) continue;
      const value = fromVariant(variant.signature, variant.value);
      if (value) (settings[settingName] ??= {})[key] = value;
      else (passthrough[settingName] ??= {})[key] = variant;
    }
  }
  return { settings, passthrough };
}

/** The `a{sa{sv}}` body NetworkManager expects, passthrough values included where `settings` does not set the key. */
export function toDbusSettings(VariantOf: VariantClass, settings: NmSettings, passthrough: PassthroughSettings = {}): Record<string, Record<string, Variant>> {
  const out: Record<string, Record<string, Variant>> = {};
  for (const [settingName, keys] of Object.entries(passthrough)) {
    // A setting the new profile drops entirely (e.g. `bridge-port` after leaving a bridge) must not come back.
    if (!(settingName in settings)) continue;
    out[settingName] = { ...keys };
  }
  for (const [settingName, keys] of Object.entries(settings)) {
    const target = (out[settingName] ??= {});
    for (const [key, value] of Object.entries(keys)) {
      if (!isDeprecated(settingName, key)) target[key] = toVariant(VariantOf, value);
    }
  }
  return out;
}

/** One modelled value as a typed variant. */
export function toVariant(VariantOf: VariantClass, value: NmValue): Variant {
  switch (value.type) {
    case 'x':
    case 't':
      return new VariantOf(value.type, BigInt(value.value));
    case 'ay':
      return new VariantOf('ay', Buffer.from(value.value));
    case 'aay':
      return new VariantOf('aay', value.value.map((v) => Buffer.from(v)));
    case 'a{sv}':
      return new VariantOf('a{sv}', toVariantDict(VariantOf, value.value));
    case 'aa{sv}':
      return new VariantOf('aa{sv}', value.value.map((d) => toVariantDict(VariantOf, d)));
    case 'as':
    case 'au':
      return new VariantOf(value.type, [...value.value]);
    case 'a{ss}':
      return new VariantOf('a{ss}', { ...value.value });
    default:
      return new VariantOf(value.type, value.value);
  }
}

function toVariantDict(VariantOf: VariantClass, dict: NmDict): Record<string, Variant> {
  return Object.fromEntries(Object.entries(dict).map(([k, v]) => [k, toVariant(VariantOf, v)]));
}

/** A variant's value as an {@link NmValue}, or undefined when its signature is not modelled. */
export function fromVariant(signature: string, value: unknown): NmValue | undefined {
  switch (signature) {
    case 'b':
      return { type: 'b', value: Boolean(value) };
    case 'y':
    case 'q':
    case 'i':
    case 'u':
      return { type: signature, value: Number(value) };
    case 'x':
    case 't':
      return { type: signature, value: Number(value as bigint) };
    case 's':
      return { type: 's', value: String(value) };
    case 'as':
      return { type: 'as', value: (value as string[]).map(String) };
    case 'au':
      return { type: 'au', value: (value as number[]).map(Number) };
    case 'ay':
      return { type: 'ay', value: Uint8Array.from(value as Buffer) };
    case 'aay':
      return { type: 'aay', value: (value as Buffer[]).map((b) => Uint8Array.from(b)) };
    case 'a{ss}':
      return { type: 'a{ss}', value: { ...(value as Record<string, string>) } };
    case 'a{sv}': {
      const dict = fromVariantDict(value as Record<string, Variant>);
      return dict && { type: 'a{sv}', value: dict };
    }
    case 'aa{sv}': {
      const list = (value as Record<string, Variant>[]).map(fromVariantDict);
      return list.every((d): d is NmDict => d !== undefined) ? { type: 'aa{sv}', value: list } : undefined;
    }
    default:
      return undefined;
  }
}

function fromVariantDict(raw: Record<string, Variant>): NmDict | undefined {
  const out: Record<string, NmValue> = {};
  for (const [key, variant] of Object.entries(raw)) {
    const value = fromVariant(variant.signature, variant.value);
    if (!value) return undefined;
    out[key] = value;
  }
  return out;
}
