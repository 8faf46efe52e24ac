import { custom, list, optional, required, struct } from './schema/shape.js';
import type { Field, Fields, Shape } from './schema/shape.js';
import { bool, boolOrString, enumOf, intOrString, names, str, uintOrString } from './schema/scalars.js';
import { forbidden, ipAddress } from './schema/network-scalars.js';
import type { IpFamily } from './ip-address.js';

/** MPTCP flags of an address or interface (`mptcp.address-flags`). */
export type MptcpAddressFlag = 'signal' | 'subflow' | 'backup' | 'fullmesh';

export const mptcpAddressFlag = enumOf(names<MptcpAddressFlag>('signal', 'subflow', 'backup', 'fullmesh'));

/**
 * One static IP address of an interface.
 *
 * ```yaml
 * - ip: 192.0.2.251
 *   prefix-length: 24
 * ```
 */
export interface IpAddress {
  /** The address in nmstate's canonical text (IPv6 compressed, lower case). */
  ip: string;
  /** 0..32 for IPv4, 0..128 for IPv6. Strings like `"24"` are accepted and stored as numbers. */
  'prefix-length': number;
  /** Query only; ignored when applying. Empty lists are dropped. */
  'mptcp-flags'?: MptcpAddressFlag[];
  /** Query only (`32sec`, `forever`); also read from `valid-lft`/`valid-left`. */
  'valid-life-time'?: string;
  /** Query only; also read from `preferred-lft`/`preferred-left`. */
  'preferred-life-time'?: string;
  /** Kernel address protocol: `lo`, `ra`, `kernel_ll` or a hex number like `0x11`. */
  protocol?: string;
}

/**
 * The `ipv4` or `ipv6` section of an interface (nmstate's `InterfaceIp`).
 *
 * Some keys belong to one family only: `autoconf`, `dhcp-duid`, `addr-gen-mode` and
 * `token` to IPv6; `dhcp-client-id`, `forwarding` and `prefix-route-metric` to IPv4.
 *
 * ```yaml
 * ipv4:
 *   enabled: true
 *   dhcp: false
 *   address:
 *   - ip: 192.0.2.10
 *     prefix-length: 24
 * ```
 */
export interface IpConfig {
  enabled?: boolean;
  dhcp?: boolean;
  /** IPv6 only: router advertisement autoconfiguration. */
  autoconf?: boolean;
  /** IPv4 only: `ll`, `iaid+duid`, or a custom hex string. */
  'dhcp-client-id'?: string;
  /** IPv6 only: `llt`, `en`, `ll`, `uuid`, or a custom hex string. */
  'dhcp-duid'?: string;
  /** Static addresses; an empty list removes all. */
  address?: IpAddress[];
  'auto-dns'?: boolean;
  'auto-gateway'?: boolean;
  'auto-routes'?: boolean;
  'auto-route-table-id'?: number;
  'auto-route-metric'?: number;
  /** IPv6 only: `eui64`, `stable-privacy` or another NetworkManager mode. */
  'addr-gen-mode'?: string;
  'allow-extra-address'?: boolean;
  /** IPv6 only: interface identifier token, e.g. `::fac1`. */
  token?: string;
  'dhcp-send-hostname'?: boolean;
  'dhcp-custom-hostname'?: string;
  /** IPv4 only: per-interface forwarding. */
  forwarding?: boolean;
  /** IPv4 only: metric of the prefix route of static addresses. */
  'prefix-route-metric'?: number;
}

const ADDRESS_PROTOCOL_EXPECTED = 'lo, ra, kernel_ll or an integer 0..255 (decimal or 0x hex)';
const KERNEL_PROTOCOLS: Readonly<Record<number, string>> = { 1: 'lo', 2: 'ra', 3: 'kernel_ll' };

/** nmstate's `AddressProtocol`: names or numbers in, names or `0x..` hex out. */
const addressProtocol: Shape<string> = custom(
  ADDRESS_PROTOCOL_EXPECTED,
  (value, ctx) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) text = String(value);
    else return ctx.mismatch(value, ADDRESS_PROTOCOL_EXPECTED);
    if (text === 'lo' || text === 'ra' || text === 'kernel_ll') return text;
    const hex = text.startsWith('0x');
    const digits = hex ? text.slice(2) : text;
    if (!(hex ? /^\+?[0-9a-fA-F]+$/ : /^\+?[0-9]+$/).test(digits)) {
      return ctx.error(`${ctx.subject()}: invalid address protocol ${JSON.stringify(text)}: expected ${ADDRESS_PROTOCOL_EXPECTED}`, ADDRESS_PROTOCOL_EXPECTED);
    }
    const number = Number.parseInt(digits.replace('+', ''), hex ? 16 : 10);
    if (number > 255) return ctx.outOfRange(value, ADDRESS_PROTOCOL_EXPECTED);
    return KERNEL_PROTOCOLS[number] ?? `0x${number.toString(16)}`;
  },
  { nullIsAbsent: false },
);

function ipAddressShape(family: IpFamily) {
  const max = family === 4 ? 32 : 128;
  const rangeExpected = `an integer 0..${max} for IPv${family}`;
  // The range is checked once the address is known to be of this family, so that an
  // address of the wrong family yields one issue, not two.
  const prefixLength = { ...uintOrString(8), expected: `${rangeExpected}, or a string holding one` };
  return struct<IpAddress>(
    {
      ip: required(ipAddress(family, ` (this is the ipv${family} section)`)),
      'prefix-length': required(prefixLength),
      'mptcp-flags': optional(list(mptcpAddressFlag), { skipIf: (flags) => flags.length === 0 }),
      'valid-life-time': optional(str, { aliases: ['valid-left', 'valid-lft'] }),
      'preferred-life-time': optional(str, { aliases: ['preferred-left', 'preferred-lft'] }),
      protocol: optional(addressProtocol),
    },
    {
      name: 'address',
      unknownKeys: 'deny',
      refine(address, ctx) {
        if (address['prefix-length'] <= max) return true;
        ctx.path.push('prefix-length');
        ctx.outOfRange(address['prefix-length'], rangeExpected);
        ctx.path.pop();
        return false;
      },
    },
  );
}

/** Accepts a key nmstate reads and then drops for this family, with a warning. */
function droppedFor<V>(shape: Shape<V>, family: IpFamily, key: string): Field<V> {
  return optional(shape, { ignoredWithWarning: `${key} does not apply to IPv${family}: nmstate ignores it` });
}

/**
 * An enum with an untagged `Other(String)` variant: known spellings (and their upper-case
 * aliases) are normalized, any other string is kept as written.
 */
function openEnum(spellings: Readonly<Record<string, string>>): Shape<string> {
  const examples = [...new Set(Object.values(spellings))].join(', ');
  const expected = `a string (e.g. ${examples})`;
  return custom(expected, (value, ctx) =>
    typeof value === 'string' ? (Object.hasOwn(spellings, value) ? (spellings[value] as string) : value) : ctx.mismatch(value, expected),
  );
}

const dhcpClientId = openEnum({ ll: 'll', LL: 'll', 'iaid+duid': 'iaid+duid', 'IAID+DUID': 'iaid+duid' });
const dhcpDuid = openEnum({ llt: 'llt', LLT: 'llt', en: 'en', EN: 'en', ll: 'll', LL: 'll', uuid: 'uuid', UUID: 'uuid' });
const addrGenMode = openEnum({
  eui64: 'eui64',
  EUI64: 'eui64',
  'stable-privacy': 'stable-privacy',
  'STABLE-PRIVACY': 'stable-privacy',
});

function ipFields(family: IpFamily): Fields<IpConfig> {
  const v4 = family === 4;
  return {
    enabled: optional(boolOrString),
    dhcp: optional(boolOrString),
    autoconf: v4 ? optional(forbidden<boolean>('autoconf is not allowed for IPv4: expected it under ipv6 (router advertisements are IPv6-only)')) : optional(boolOrString),
    'dhcp-client-id': v4 ? optional(dhcpClientId) : droppedFor(str, 6, 'dhcp-client-id'),
    'dhcp-duid': v4 ? droppedFor(str, 4, 'dhcp-duid') : optional(dhcpDuid),
    address: optional(list(ipAddressShape(family))),
    'auto-dns': optional(boolOrString),
    'auto-gateway': optional(boolOrString),
    'auto-routes': optional(boolOrString),
    'auto-route-table-id': optional(uintOrString(32)),
    'auto-route-metric': optional(intOrString(64, { min: -1, max: 0xffffffff, reason: '(-1 means the default)' })),
    'addr-gen-mode': v4 ? droppedFor(str, 4, 'addr-gen-mode') : optional(addrGenMode),
    'allow-extra-address': optional(bool),
    token: v4 ? droppedFor(str, 4, 'token') : optional(str),
    'dhcp-send-hostname': optional(bool),
    'dhcp-custom-hostname': optional(str),
    forwarding: v4 ? optional(bool) : optional(forbidden<boolean>('forwarding is not supported for IPv6: nmstate sets it for IPv4 only')),
    'prefix-route-metric': v4
      ? optional(intOrString(64, { min: -1, max: 0xffffffff, reason: '(-1 means the default)' }))
      : optional(forbidden<number>('prefix-route-metric is not allowed for IPv6: nmstate sets it for IPv4 only')),
  };
}

/** The `ipv4` section of an interface. */
export const ipv4Config = struct<IpConfig>(ipFields(4), { name: 'ipv4', unknownKeys: 'deny' });
/** The `ipv6` section of an interface. */
export const ipv6Config = struct<IpConfig>(ipFields(6), { name: 'ipv6', unknownKeys: 'deny' });

