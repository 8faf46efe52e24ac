import type { NmSetting, NmSettings } from './nm-settings.js';
import type { NmDict } from './nm-value.js';

/*
 * Typed reads of a profile's properties: each returns undefined when the
 * property is missing or of another D-Bus type, so readers of profiles written
 * by other tools never throw on an odd value.
 */

function get(settings: NmSettings | NmSetting | NmDict, section: string | undefined, key: string) {
  const holder = section === undefined ? (settings as NmSetting) : (settings as NmSettings)[section];
  return holder?.[key];
}

/** A string property (`s`). */
export function readString(settings: NmSettings, section: string, key: string): string | undefined {
  const v = get(settings, section, key);
  return v?.type === 's' ? v.value : undefined;
}

/** Any integer property (`y`, `q`, `i`, `u`, `x`, `t`). */
export function readNumber(settings: NmSettings, section: string, key: string): number | undefined {
  const v = get(settings, section, key);
  return v !== undefined && typeof v.value === 'number' ? v.value : undefined;
}

/** A boolean property (`b`). */
export function readBool(settings: NmSettings, section: string, key: string): boolean | undefined {
  const v = get(settings, section, key);
  return v?.type === 'b' ? v.value : undefined;
}

/** A string list property (`as`). */
export function readStringList(settings: NmSettings, section: string, key: string): readonly string[] | undefined {
  const v = get(settings, section, key);
  return v?.type === 'as' ? v.value : undefined;
}

/** A string map property (`a{ss}`). */
export function readStringDict(settings: NmSettings, section: string, key: string): Readonly<Record<string, string>> | undefined {
  const v = get(settings, section, key);
  return v?.type === 'a{ss}' ? v.value : undefined;
}

/** A list of dictionaries (`aa{sv}`: addresses, routes, VLAN ranges…). */
export function readDictList(settings: NmSettings, section: string, key: string): readonly NmDict[] | undefined {
  const v = get(settings, section, key);
  return v?.type === 'aa{sv}' ? v.value : undefined;
}

/** A byte array property (`ay`). */
export function readBytes(settings: NmSettings, section: string, key: string): Uint8Array | undefined {
  const v = get(settings, section, key);
  return v?.type === 'ay' ? v.value : undefined;
}

/** A string in a dictionary entry. */
export function dictString(dict: NmDict, key: string): string | undefined {
  const v = dict[key];
  return v?.type === 's' ? v.value : undefined;
}

/** An integer in a dictionary entry. */
export function dictNumber(dict: NmDict, key: string): number | undefined {
  const v = dict[key];
  return v !== undefined && typeof v.value === 'number' ? v.value : undefined;
}

/** A boolean in a dictionary entry. */
export function dictBool(dict: NmDict, key: string): boolean | undefined {
  const v = dict[key];
  return v?.type === 'b' ? v.value : undefined;
}
