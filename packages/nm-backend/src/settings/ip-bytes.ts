/*
 * Binary forms of IP addresses that NetworkManager's D-Bus API still uses for
 * DNS servers: IPv4 as a `u32` in network byte order (the first octet in the
 * lowest byte), IPv6 as 16 bytes.
 */

/** Parses dotted-quad IPv4 text; undefined when it is not one. */
export function parseIpv4Octets(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

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

/** IPv6 text (any valid spelling, embedded IPv4 allowed) to 16 bytes; undefined when invalid. */
export function ipv6ToBytes(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const items = part.split(':');
    for (const [i, item] of items.entries()) {
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4Octets(item);
        if (!v4) return undefined;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        groups.push(parseInt(item, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * 16 bytes to canonical IPv6 text (RFC 5952: lowercase, the longest run of
 * two or more zero groups compressed), with IPv4-mapped addresses written as
 * `::ffff:a.b.c.d` — the spelling nmstate (Rust's `Ipv6Addr`) prints.
 */
export function bytesToIpv6(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Canonical spelling of an IPv6 address text; the input unchanged when it is not IPv6. */
export function canonicalizeIpv6(text: string): string {
  const bytes = ipv6ToBytes(text);
  return bytes ? bytesToIpv6(bytes) : text;
}

/** The network address of `ip/prefix` (host bits cleared), in canonical text; `ip` unchanged when it is not an address. */
export function clearHostBits(ip: string, prefix: number): string {
  const v4 = parseIpv4Octets(ip);
  const bytes = v4 ? Uint8Array.from(v4) : ipv6ToBytes(ip);
  if (!bytes) return ip;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return v4 ? [...bytes].join('.') : bytesToIpv6(bytes);
}
