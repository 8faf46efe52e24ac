/**
 * IP address helpers that accept exactly what nmstate's Rust `std::net` parsers accept
 * and print addresses as nmstate prints them.
 */

/** The IP family of an address: 4 or 6. */
export type IpFamily = 4 | 6;

/** An IP network (`192.0.2.0/24`) or host (`2001:db8::1`, read as `/128`). */
export interface IpPrefix {
  family: IpFamily;
  /** The address as written in canonical form (host bits are kept). */
  ip: string;
  prefixLength: number;
}

/** Whether `text` is a dotted-quad IPv4 address (no leading zeros, as Rust requires). */
export function isIpv4Address(text: string): boolean {
  return parseIpv4Octets(text) !== undefined;
}

/** Whether `text` is an IPv6 address (RFC 4291 text forms, no zone index). */
export function isIpv6Address(text: string): boolean {
  return parseIpv6Groups(text) !== undefined;
}

/** Whether `text` is an IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return isIpv4Address(text) || isIpv6Address(text);
}

/**
 * The canonical text of an IP address as nmstate prints it (Rust's `Display`):
 * IPv6 in lower case with the longest run (first on ties) of two or more zero groups
 * compressed, IPv4-mapped addresses as `::ffff:a.b.c.d`.
 * Returns `undefined` when `text` is not an IP address.
 *
 * @example normalizeIp('2001:DB8:0:0:0:0:0:A') // '2001:db8::a'
 */
export function normalizeIp(text: string): string | undefined {
  const v4 = parseIpv4Octets(text);
  if (v4 !== undefined) return v4.join('.');
  const v6 = parseIpv6Groups(text);
  return v6 === undefined ? undefined : formatIpv6Groups(v6);
}

/** The family of an IP address, or `undefined` when `text` is not one. */
export function ipFamilyOf(text: string): IpFamily | undefined {
  if (parseIpv4Octets(text) !== undefined) return 4;
  if (parseIpv6Groups(text) !== undefined) return 6;
  return undefined;
}

/**
 * Parses `ADDRESS` or `ADDRESS/PREFIX-LENGTH` as nmstate does for route destinations and
 * rule selectors (a bare address is a host route: /32 or /128).
 * Returns `undefined` when the text is not such a prefix or the length is out of range.
 */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = ipFamilyOf(address);
  if (family === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  let prefixLength = max;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!/^\+?[0-9]+$/.test(lengthText)) return undefined;
    prefixLength = Number(lengthText);
    if (prefixLength > max) return undefined;
  }
  return { family, ip: normalizeIp(address) as string, prefixLength };
}

/** The four octets of a dotted-quad IPv4 address (Rust's rules: no leading zeros), or `undefined`. */
export function parseIpv4Octets(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    // Rust rejects leading zeros ("010" is ambiguous with octal) and more than three digits.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The eight 16-bit groups of an IPv6 address (any RFC 4291 text form), or `undefined`. */
export function parseIpv6Groups(text: string): number[] | undefined {
  if (text.length < 2) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== text.lastIndexOf('::')) return undefined;
  let head: string[];
  let tail: string[];
  if (doubleColon < 0) {
    head = text.split(':');
    tail = [];
  } else {
    const before = text.slice(0, doubleColon);
    const after = text.slice(doubleColon + 2);
    head = before === '' ? [] : before.split(':');
    tail = after === '' ? [] : after.split(':');
  }
  // An embedded IPv4 address ends the address: it may not come before `::`.
  const headGroups = parseGroups(head, doubleColon < 0);
  const tailGroups = parseGroups(tail, true);
  if (headGroups === undefined || tailGroups === undefined) return undefined;
  const total = headGroups.length + tailGroups.length;
  if (doubleColon < 0) return total === 8 ? headGroups : undefined;
  // `::` stands for at least one group of zeros.
  if (total > 7) return undefined;
  return [...headGroups, ...new Array<number>(8 - total).fill(0), ...tailGroups];
}

function parseGroups(parts: string[], mayEndWithIpv4: boolean): number[] | undefined {
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && mayEndWithIpv4 && part.includes('.')) {
      const v4 = parseIpv4Octets(part);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      continue;
    }
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

/**
 * The text nmstate (Rust's `Ipv6Addr` `Display`) prints for eight 16-bit groups: lower
 * case, the longest run (first on ties) of two or more zero groups compressed,
 * IPv4-mapped addresses as `::ffff:a.b.c.d`.
 */
export function formatIpv6Groups(groups: readonly number[]): string {
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) {
    const hi = groups[6] as number;
    const lo = groups[7] as number;
    return `::ffff:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  let bestStart = 0;
  let bestLength = 0;
  let start = 0;
  let length = 0;
  for (let i = 0; i < 8; i++) {
    if (groups[i] === 0) {
      if (length === 0) start = i;
      length++;
      if (length > bestLength) {
        bestStart = start;
        bestLength = length;
      }
    } else {
      length = 0;
    }
  }
  const hex = (part: readonly number[]) => part.map((g) => g.toString(16)).join(':');
  if (bestLength > 1) {
    return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
  }
  return hex(groups);
}

/** The bytes of an IP address in network order: 4 for IPv4, 16 for IPv6; `undefined` when `text` is not one. */
export function ipToBytes(text: string): Uint8Array | undefined {
  const v4 = parseIpv4Octets(text);
  if (v4 !== undefined) return Uint8Array.from(v4);
  const groups = parseIpv6Groups(text);
  if (groups === undefined) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** The canonical text of an address given as 4 (IPv4) or 16 (IPv6) bytes in network order. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  return formatIpv6Groups(Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] as number) << 8) | (bytes[i * 2 + 1] as number)));
}

/**
 * The network address of `ip/prefixLength` in canonical text: the host bits cleared, as
 * nmstate sanitizes route destinations and rule selectors. `undefined` when `ip` is not
 * an address or the length is out of range for its family.
 */
export function networkAddress(ip: string, prefixLength: number): string | undefined {
  const bytes = ipToBytes(ip);
  if (bytes === undefined || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bytes.length * 8) return undefined;
  for (let i = 0; i < bytes.length; i++) {
    const kept = Math.max(0, Math.min(8, prefixLength - i * 8));
    bytes[i] = (bytes[i] as number) & ((0xff << (8 - kept)) & 0xff);
  }
  return bytesToIp(bytes);
}
