import type { Ieee8021xConfig } from '@nmfleet/model';
import type { NmSetting } from './nm-settings.js';
import { nmValue } from './nm-value.js';

/** What `show` prints instead of a secret; applying it keeps the secret already stored. */
export const HIDDEN_PASSWORD = '<_password_hid_by_nmstate>';
const GLIB_FILE_URI_PREFIX = 'file://';

/** Keys of `802-1x` nmfleet writes. */
export const MODELLED_IEEE8021X_KEYS: readonly string[] = ['identity', 'eap', 'private-key', 'client-cert', 'ca-cert', 'private-key-password', 'phase2-auth', 'password'];

/** A certificate or key path as NetworkManager's "blob or path" bytes (`file://PATH` and a NUL). */
export function pathToGlibBytes(path: string): Uint8Array {
  return new TextEncoder().encode(`${GLIB_FILE_URI_PREFIX}${path}\0`);
}

/** The path in NetworkManager's `file://` bytes, or undefined when they hold a blob. */
export function glibBytesToPath(bytes: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(bytes).replace(/\0+$/, '');
  return text.startsWith(GLIB_FILE_URI_PREFIX) ? text.slice(GLIB_FILE_URI_PREFIX.length) : undefined;
}

/**
 * The `802-1x` setting, replacing the existing one; a hidden password
 * (`<_password_hid_by_nmstate>`) keeps the stored secret. Undefined (keep the
 * existing setting) when the interface has no `802.1x` section.
 */
export function toNm8021xSetting(conf: Ieee8021xConfig | undefined, existing: NmSetting | undefined): NmSetting | undefined {
  if (conf === undefined) return existing;
  const setting: NmSetting = {};
  if (conf.identity !== undefined) setting['identity'] = nmValue.string(conf.identity);
  if (conf['eap-methods'] !== undefined) setting['eap'] = nmValue.stringList(conf['eap-methods']);
  for (const key of ['private-key', 'client-cert', 'ca-cert'] as const) {
    const path = conf[key];
    if (path !== undefined) setting[key] = nmValue.bytes(pathToGlibBytes(path));
  }
  for (const key of ['private-key-password', 'password'] as const) {
    const value = conf[key];
    if (value === HIDDEN_PASSWORD) {
      const kept = existing?.[key];
      if (kept !== undefined) setting[key] = kept;
    } else if (value !== undefined) {
      setting[key] = nmValue.string(value);
    }
  }
  if (conf['phase2-auth'] !== undefined) setting['phase2-auth'] = nmValue.string(conf['phase2-auth']);
  return setting;
}
