import type { BaseInterface, EthernetConfig } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import type { NmSetting } from './nm-settings.js';
import { nmValue } from './nm-value.js';

/** Keys of `802-3-ethernet` that nmfleet writes. */
export const MODELLED_WIRED_KEYS: readonly string[] = ['mac-address', 'cloned-mac-address', 'mtu', 'accept-all-mac-addresses', 'speed', 'duplex', 'auto-negotiate'];

/** `AA:BB:…` (any length) to bytes; fails naming the address when it is not hex pairs. */
export function macToBytes(mac: string, where: string): Uint8Array {
  const parts = mac.split(':');
  if (parts.length < 2 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new BackendError('invalid-state', `${where}: '${mac}' is not a MAC address (expected hex pairs like 02:00:00:00:00:01)`);
  }
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** Bytes to `AA:BB:…` (upper case, as nmstate prints MAC addresses). */
export function bytesToMac(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/**
 * The `802-3-ethernet` setting (MAC address, MTU, speed/duplex/autoneg,
 * accept-all-mac-addresses), or undefined when the interface sets none of
 * them and there is no existing one. A MAC address is matched on
 * (`mac-address`) with `identifier: mac-address`, otherwise set
 * (`cloned-mac-address`).
 */
export function toNmWiredSetting(base: BaseInterface, ethernet: EthernetConfig | undefined, existing: NmSetting | undefined): NmSetting | undefined {
  const setting: NmSetting = { ...(existing ?? {}) };
  let needed = false;
  const mac = base['mac-address'];
  if (mac !== undefined) {
    const bytes = macToBytes(mac, `${base.name}.mac-address`);
    setting[base.identifier === 'mac-address' ? 'mac-address' : 'cloned-mac-address'] = nmValue.bytes(bytes);
    needed = true;
  }
  if (base.mtu !== undefined) {
    setting['mtu'] = nmValue.uint32(base.mtu);
    needed = true;
  }
  const autoNeg = ethernet?.['auto-negotiation'];
  if (autoNeg === true) {
    setting['auto-negotiate'] = nmValue.bool(true);
    delete setting['speed'];
    delete setting['duplex'];
    needed = true;
  } else if (autoNeg === false) {
    setting['auto-negotiate'] = nmValue.bool(false);
    if (ethernet?.speed !== undefined) setting['speed'] = nmValue.uint32(ethernet.speed);
    if (ethernet?.duplex !== undefined) setting['duplex'] = nmValue.string(ethernet.duplex);
    needed = true;
  }
  const acceptAll = base['accept-all-mac-addresses'];
  if (acceptAll !== undefined) {
    setting['accept-all-mac-addresses'] = nmValue.int32(acceptAll ? 1 : 0);
    needed = true;
  }
  return needed ? setting : existing;
}
