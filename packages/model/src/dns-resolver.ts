import { custom, list, optional, struct } from './schema/shape.js';
import { INVALID } from './schema/validation-context.js';
import { scalarText } from './schema/scalars.js';
import { isIpv4Address, isIpv6Address } from './ip-address.js';

/** DNS client settings: name servers, search domains and resolver options. */
export interface DnsClientState {
  /** IPv4 or IPv6 addresses; link-local IPv6 may carry a scope: `fe80::1%eth1`. */
  server?: string[];
  search?: string[];
  /** Resolver options such as `rotate` or `ndots:2`. */
  options?: string[];
}

/**
 * The `dns-resolver` section: `config` is what to apply, `running` what a query saw.
 * An empty `config: {}` removes all static DNS settings.
 */
export interface DnsResolver {
  running?: DnsClientState;
  config?: DnsClientState;
}

const SERVER_EXPECTED = 'an IPv4 or IPv6 address (link-local IPv6 may end with %INTERFACE)';

// As nmstate checks servers when applying; we also refuse scoped addresses it would drop.
const dnsServer = custom<string>(SERVER_EXPECTED, (value, ctx) => {
  const text = scalarText.validate(value, ctx);
  if (text === INVALID) return INVALID;
  const percent = text.indexOf('%');
  const valid =
    percent < 0
      ? isIpv4Address(text) || isIpv6Address(text)
      : isIpv6Address(text.slice(0, percent)) && percent < text.length - 1 && !text.slice(percent + 1).includes('%');
  if (valid) return text;
  return ctx.error(`${ctx.subject()}: invalid DNS server ${JSON.stringify(text)}: expected ${SERVER_EXPECTED}`, SERVER_EXPECTED);
}, { readsScalarText: true });

/** The resolver options nmstate supports (resolv.conf(5)); the last three take `:n`. */
export const DNS_OPTIONS_WITHOUT_VALUE: readonly string[] = [
  'debug',
  'edns0',
  'inet6',
  'ip6-bytestring',
  'ip6-dotint',
  'no-aaaa',
  'no-check-names',
  'no-ip6-dotint',
  'no-reload',
  'no-tld-query',
  'rotate',
  'single-request',
  'single-request-reopen',
  'trust-ad',
  'use-vc',
];
export const DNS_OPTIONS_WITH_VALUE: readonly string[] = ['ndots', 'timeout', 'attempts'];

const OPTION_EXPECTED = `one of ${DNS_OPTIONS_WITHOUT_VALUE.join(', ')}, or ${DNS_OPTIONS_WITH_VALUE.map((o) => `${o}:n`).join(', ')}`;

const dnsOption = custom<string>(OPTION_EXPECTED, (value, ctx) => {
  const text = scalarText.validate(value, ctx);
  if (text === INVALID) return INVALID;
  const colon = text.indexOf(':');
  const valid = colon < 0 ? DNS_OPTIONS_WITHOUT_VALUE.includes(text) : DNS_OPTIONS_WITH_VALUE.includes(text.slice(0, colon));
  if (valid) return text;
  return ctx.error(`${ctx.subject()}: unsupported DNS option ${JSON.stringify(text)}: expected ${OPTION_EXPECTED}`, OPTION_EXPECTED);
}, { readsScalarText: true });

const dnsConfig = struct<DnsClientState>(
  { server: optional(list(dnsServer)), search: optional(list(scalarText)), options: optional(list(dnsOption)) },
  { name: 'dns-resolver config', unknownKeys: 'deny' },
);

// Reported state is not checked: a query shows whatever the host has.
const dnsRunning = struct<DnsClientState>(
  { server: optional(list(scalarText)), search: optional(list(scalarText)), options: optional(list(scalarText)) },
  { name: 'dns-resolver running', unknownKeys: 'deny' },
);

export const dnsResolverShape = struct<DnsResolver>(
  { running: optional(dnsRunning), config: optional(dnsConfig) },
  { name: 'dns-resolver', unknownKeys: 'deny' },
);
