/** An IP address as a bigint with its family, for subnet arithmetic. */
interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const withoutZone = text.split('%')[0] ?? '';
  const halves = withoutZone.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'));
  let head = toGroups(halves[0]);
  let tail = toGroups(halves[1]);
  // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  if (last?.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    const groups = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    if (halves.length === 2) tail = [...tail.slice(0, -1), ...groups];
    else head = [...head.slice(0, -1), ...groups];
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Parses an IPv4 or IPv6 address (no prefix), or undefined when it is neither. */
export function parseAddress(text: string): ParsedAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** Whether `address` lies in `network/prefixLength` (same family). */
export function isInSubnet(address: string, network: string, prefixLength: number): boolean {
  const a = parseAddress(address);
  const n = parseAddress(network);
  if (a === undefined || n === undefined || a.family !== n.family) return false;
  const bits = a.family === 4 ? 32 : 128;
  if (prefixLength < 0 || prefixLength > bits) return false;
  const shift = BigInt(bits - prefixLength);
  return a.value >> shift === n.value >> shift;
}
