import { ipToBytes, networkAddress, normalizeIp } from '@nmfleet/model';
import { PlannerError } from '../errors.js';

/** Whether an address or network is IPv6 (nmstate decides by the presence of `:`). */
export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/**
 * Canonical forms already computed, so that hosts with thousands of addresses
 * (seen again in desired, current and every re-verification) parse each once.
 * A pure memo: bounded, and emptied when full.
 */
const CANONICAL_CACHE_MAX_ENTRIES = 8192;
const canonicalCache = new Map<string, string>();

function remember(key: string, value: string): string {
  if (canonicalCache.size >= CANONICAL_CACHE_MAX_ENTRIES) canonicalCache.clear();
  canonicalCache.set(key, value);
  return value;
}

function familyName(address: string): string {
  return isIpv6(address) ? 'IPv6' : 'IPv4';
}

/** The canonical text of an IP address (IPv6 compressed and lowercased), or an error naming the field. */
export function canonicalizeIp(address: string, what = 'IP address'): string {
  const key = `ip\u0000${address}`;
  const cached = canonicalCache.get(key);
  if (cached !== undefined) return cached;
  const canonical = normalizeIp(address);
  if (canonical === undefined || isIpv6(canonical) !== isIpv6(address)) {
    throw new PlannerError('invalid-argument', `Invalid ${what} '${address}': expected an ${familyName(address)} address`);
  }
  return remember(key, canonical);
}

/**
 * The canonical text of a network `addr/prefix` as nmstate sanitizes route
 * destinations and rule selectors: host bits cleared, prefix added when missing.
 */
export function canonicalizeNetwork(network: string, what = 'network'): string {
  const key = `net\u0000${network}`;
  const cached = canonicalCache.get(key);
  if (cached !== undefined) return cached;
  const [address = '', prefixText] = network.split('/');
  const max = isIpv6(address) ? 128 : 32;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new PlannerError('invalid-argument', `Invalid ${what} '${network}': prefix must be an integer 0..${max}`);
  }
  const masked = networkAddress(address, prefix);
  if (masked === undefined || isIpv6(masked) !== isIpv6(address)) {
    throw new PlannerError('invalid-argument', `Invalid ${what} '${network}': expected an ${familyName(address)} network`);
  }
  return remember(key, `${masked}/${prefix}`);
}

/** Whether an IPv6 address is unicast link-local (fe80::/10), which nmstate never configures or verifies. */
export function isIpv6LinkLocal(address: string): boolean {
  const bytes = isIpv6(address) ? ipToBytes(address) : undefined;
  return bytes !== undefined && bytes[0] === 0xfe && ((bytes[1] as number) & 0xc0) === 0x80;
}

/** Whether `text` parses as an IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return normalizeIp(text) !== undefined;
}
