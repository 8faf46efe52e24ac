import { PlannerError } from '../errors.js';

/** Whether an address or network is IPv6 (nmstate decides by the presence of `:`). */
export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** The 4 octets of a dotted-quad IPv4 address, or undefined when it is not one. */
function parseIpv4(text: string): number[] | undefined {
  const out: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a virtual '.' ends the last octet
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (c === 46 && digits > 0) {
      out.push(value);
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return out.length === 4 ? out : undefined;
}

/** The 8 16-bit groups of an IPv6 address, or undefined when it is not one. */
function parseIpv6(text: string): number[] | undefined {
  let head = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    const v4 = parseIpv4(tail);
    if (!v4) return undefined;
    const hi = (((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16);
    const lo = (((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16);
    head = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const wanted = 8;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const left = parseGroups(halves[0] ?? '');
  const right = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  if (halves.length === 1) return left.length === wanted ? left : undefined;
  const fill = wanted - left.length - right.length;
  if (fill < 1) return undefined;
  return [...left, ...new Array<number>(fill).fill(0), ...right];
}

/** RFC 5952 text of 8 groups: lowercase, longest zero run (≥2) compressed, IPv4-mapped tail dotted (as Rust prints it). */
function formatIpv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return `::ffff:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
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

/** The canonical text of an IP address (IPv6 compressed and lowercased), or an error naming the field. */
export function canonicalizeIp(address: string, what = 'IP address'): string {
  const cached = canonicalCache.get(`ip\u0000${address}`);
  if (cached !== undefined) return cached;
  return remember(`ip\u0000${address}`, computeCanonicalIp(address, what));
}

function computeCanonicalIp(address: string, what: string): string {
  if (isIpv6(address)) {
    const groups = parseIpv6(address);
    if (!groups) throw new PlannerError('invalid-argument', `Invalid ${what} '${address}': expected an IPv6 address`);
    return formatIpv6(groups);
  }
  const octets = parseIpv4(address);
  if (!octets) throw new PlannerError('invalid-argument', `Invalid ${what} '${address}': expected an IPv4 address`);
  return octets.join('.');
}

/**
 * The canonical text of a network `addr/prefix` as nmstate sanitizes route
 * destinations and rule selectors: host bits cleared, prefix added when missing.
 */
export function canonicalizeNetwork(network: string, what = 'network'): string {
  const cached = canonicalCache.get(`net\u0000${network}`);
  if (cached !== undefined) return cached;
  return remember(`net\u0000${network}`, computeCanonicalNetwork(network, what));
}

function computeCanonicalNetwork(network: string, what: string): string {
  const [addr = '', prefixText] = network.split('/');
  const v6 = isIpv6(addr);
  const max = v6 ? 128 : 32;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new PlannerError('invalid-argument', `Invalid ${what} '${network}': prefix must be an integer 0..${max}`);
  }
  if (v6) {
    const groups = parseIpv6(addr);
    if (!groups) throw new PlannerError('invalid-argument', `Invalid ${what} '${network}': expected an IPv6 network`);
    const masked = groups.map((g, i) => {
      const bits = Math.max(0, Math.min(16, prefix - i * 16));
      return bits === 16 ? g : bits === 0 ? 0 : g & (0xffff << (16 - bits)) & 0xffff;
    });
    return `${formatIpv6(masked)}/${prefix}`;
  }
  const octets = parseIpv4(addr);
  if (!octets) throw new PlannerError('invalid-argument', `Invalid ${what} '${network}': expected an IPv4 network`);
  const masked = octets.map((o, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return bits === 8 ? o : bits === 0 ? 0 : o & (0xff << (8 - bits)) & 0xff;
  });
  return `${masked.join('.')}/${prefix}`;
}

/** Whether an IPv6 address is unicast link-local (fe80::/10), which nmstate never configures or verifies. */
export function isIpv6LinkLocal(address: string): boolean {
  const groups = isIpv6(address) ? parseIpv6(address) : undefined;
  return groups !== undefined && ((groups[0] ?? 0) & 0xffc0) === 0xfe80;
}

/** Whether `text` parses as an IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return isIpv6(text) ? parseIpv6(text) !== undefined : parseIpv4(text) !== undefined;
}
