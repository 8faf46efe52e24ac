/** Shapes for addresses: IP addresses, IP networks, MAC and PCI addresses. */
import { INVALID } from './validation-context.js';
import type { Shape } from './shape.js';
import { scalarText } from './scalars.js';
import { ipFamilyOf, normalizeIp, parseIpPrefix } from '../ip-address.js';
import type { IpFamily } from '../ip-address.js';
import { isMacAddress } from '../mac-address.js';

function familyText(family: IpFamily | 'any'): string {
  return family === 'any' ? 'an IP address' : `an IPv${family} address`;
}

/**
 * An IP address field that nmstate parses into Rust's `IpAddr` (interface addresses,
 * VXLAN endpoints): stored in nmstate's canonical text (`2001:DB8::A` → `2001:db8::a`).
 */
export function ipAddress(family: IpFamily | 'any', context = ''): Shape<string> {
  const expected = familyText(family) + context;
  return {
    expected,
    nullIsAbsent: true,
    validate(value, ctx) {
      if (typeof value !== 'string') return ctx.mismatch(value, expected);
      const actual = ipFamilyOf(value);
      if (actual === undefined) {
        return ctx.error(`${ctx.subject()}: invalid IP address ${JSON.stringify(value)}: expected ${expected}`, expected);
      }
      if (family !== 'any' && actual !== family) {
        return ctx.error(`${ctx.subject()}: ${JSON.stringify(value)} is an IPv${actual} address: expected ${expected}`, expected);
      }
      return normalizeIp(value) as string;
    },
    canonical: (value) => value,
  };
}

/**
 * An IP address kept as written (nmstate stores route gateways and sources as strings and
 * only checks them when applying); we check them when reading. `''` means unset.
 */
export const ipAddressText: Shape<string> = {
  expected: 'an IP address',
  nullIsAbsent: true,
  readsScalarText: true,
  validate(value, ctx) {
    const text = scalarText.validate(value, ctx);
    if (text === INVALID) return INVALID;
    if (ipFamilyOf(text) === undefined) {
      return ctx.error(`${ctx.subject()}: invalid IP address ${JSON.stringify(text)}: expected an IP address`, 'an IP address');
    }
    return text;
  },
  canonical: (value) => value,
};

const PREFIX_EXPECTED = 'an IP network like 192.0.2.0/24 or 2001:db8::/64 (or a bare address for a host)';

/** A route destination or rule selector: `ADDRESS[/LENGTH]`, kept as written; `''` means unset. */
export const ipPrefixText: Shape<string> = {
  expected: PREFIX_EXPECTED,
  nullIsAbsent: true,
  readsScalarText: true,
  validate(value, ctx) {
    const text = scalarText.validate(value, ctx);
    if (text === INVALID || text === '') return text;
    if (parseIpPrefix(text) !== undefined) return text;
    const slash = text.indexOf('/');
    const family = ipFamilyOf(slash < 0 ? text : text.slice(0, slash));
    if (family !== undefined) {
      const expected = `a prefix length 0..${family === 4 ? 32 : 128} for IPv${family}`;
      return ctx.error(`${ctx.subject()}: invalid prefix length in ${JSON.stringify(text)}: expected ${expected}`, expected);
    }
    return ctx.error(`${ctx.subject()}: invalid IP network ${JSON.stringify(text)}: expected ${PREFIX_EXPECTED}`, PREFIX_EXPECTED);
  },
  canonical: (value) => value,
};

/** A MAC address, kept as written (nmstate compares case-insensitively). */
export function macAddress(octets: 6 | 20 | 'any'): Shape<string> {
  const expected =
    octets === 'any'
      ? 'a MAC address (hex octets separated by ":")'
      : `a MAC address (${octets} hex octets separated by ":", e.g. ${octets === 6 ? '02:00:00:00:00:01' : '80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:01:02:03'})`;
  return {
    expected,
    nullIsAbsent: true,
    validate(value, ctx) {
      if (typeof value !== 'string') return ctx.mismatch(value, expected);
      if (isMacAddress(value, octets)) return value;
      return ctx.error(`${ctx.subject()}: invalid MAC address ${JSON.stringify(value)}: expected ${expected}`, expected);
    },
    canonical: (value) => value,
  };
}

const PCI_EXPECTED = 'a PCI address like 0000:07:00.1 or 00:1b.0';

/** A PCI address, stored as nmstate prints it (`0:1b.0` → `0000:00:1b.0`). */
export const pciAddress: Shape<string> = {
  expected: PCI_EXPECTED,
  nullIsAbsent: true,
  validate(value, ctx) {
    if (typeof value !== 'string') return ctx.mismatch(value, PCI_EXPECTED);
    const canonical = normalizePciAddress(value);
    if (canonical === undefined) {
      return ctx.error(`${ctx.subject()}: invalid PCI address ${JSON.stringify(value)}: expected ${PCI_EXPECTED}`, PCI_EXPECTED);
    }
    return canonical;
  },
  canonical: (value) => value,
};

/** nmstate's PCI address parser (`[domain:]bus:slot.function`, hex except the function). */
export function normalizePciAddress(text: string): string | undefined {
  const items = text.split(':');
  if (items.length !== 2 && items.length !== 3) return undefined;
  const slotFunction = (items.pop() as string).split('.');
  if (slotFunction.length !== 2) return undefined;
  const slot = parseRadix(slotFunction[0] as string, 16, 0xff);
  const fn = parseRadix(slotFunction[1] as string, 10, 0xff);
  const bus = parseRadix(items.pop() as string, 16, 0xff);
  const domainText = items.pop();
  const domain = domainText === undefined ? 0 : parseRadix(domainText, 16, 0xffffffff);
  if (slot === undefined || fn === undefined || bus === undefined || domain === undefined) return undefined;
  const domainHex = domain > 0xffff ? domain.toString(16).padStart(8, '0') : domain.toString(16).padStart(4, '0');
  return `${domainHex}:${bus.toString(16).padStart(2, '0')}:${slot.toString(16).padStart(2, '0')}.${fn}`;
}

function parseRadix(text: string, radix: 10 | 16, max: number): number | undefined {
  const pattern = radix === 16 ? /^\+?[0-9a-fA-F]+$/ : /^\+?[0-9]+$/;
  if (!pattern.test(text)) return undefined;
  const value = Number.parseInt(text.replace('+', ''), radix);
  return value <= max ? value : undefined;
}

/** A key nmstate refuses in this place (e.g. `autoconf` under `ipv4`), with its reason. */
export function forbidden<T>(reason: string): Shape<T> {
  return {
    expected: 'nothing (the key is not allowed here)',
    nullIsAbsent: false,
    validate: (_value, ctx) => ctx.error(reason, 'nothing (the key is not allowed here)', 'key'),
    canonical: (value) => value,
  };
}

