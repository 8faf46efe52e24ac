/*
 * NetworkManager's D-Bus API still carries IPv4 DNS servers as a `u32` in network
 * byte order (the first octet in the lowest byte). Everything else about IP text and
 * bytes comes from the model (`ipToBytes`, `bytesToIp`, `networkAddress`, …).
 */
import { bytesToIp, ipToBytes, normalizeIp, parseIpv4Octets } from '@nmfleet/model';

/** IPv4 text to NetworkManager's `u32` form; undefined when it is not IPv4. */
export function ipv4ToNetworkUint32(text: string): number | undefined {
  const o = parseIpv4Octets(text);
  if (!o) return undefined;
  return ((o[0] ?? 0) + (o[1] ?? 0) * 0x100 + (o[2] ?? 0) * 0x10000 + (o[3] ?? 0) * 0x1000000) >>> 0;
}

/** NetworkManager's `u32` form of an IPv4 address back to dotted-quad text. */
export function networkUint32ToIpv4(value: number): string {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff].join('.');
}

/** IPv6 text to its 16 bytes; undefined when it is not IPv6. */
export function ipv6ToBytes(text: string): Uint8Array | undefined {
  const bytes = ipToBytes(text);
  return bytes?.length === 16 ? bytes : undefined;
}

/** 16 bytes to the canonical IPv6 text nmstate prints. */
export function bytesToIpv6(bytes: Uint8Array): string {
  return bytesToIp(bytes);
}

/** Canonical spelling of an IPv6 address text; the input unchanged when it is not IPv6. */
export function canonicalizeIpv6(text: string): string {
  return ipv6ToBytes(text) === undefined ? text : (normalizeIp(text) as string);
}
