import { list, optional, struct } from './schema/shape.js';
import { enumOf, intOrString, names, scalarText, uint, uintOrString, withHexOutput } from './schema/scalars.js';
import { ipPrefixText } from './schema/network-scalars.js';
import { parseIpPrefix } from './ip-address.js';

/**
 * One routing policy rule (`ip rule`).
 *
 * ```yaml
 * - ip-from: 198.51.100.0/24
 *   ip-to: 192.0.2.0/24
 *   priority: 100
 *   route-table: 254
 * ```
 */
export interface RouteRuleEntry {
  family?: 'ipv4' | 'ipv6';
  state?: 'absent';
  'ip-from'?: string;
  'ip-to'?: string;
  priority?: number;
  'route-table'?: number;
  /** Printed in hex (`'0x30'`), as nmstate does. */
  fwmark?: number;
  /** Printed in hex. */
  fwmask?: number;
  action?: 'blackhole' | 'unreachable' | 'prohibit';
  /** Incoming interface. */
  iif?: string;
  /** Also read from `suppress_prefixlength`. */
  'suppress-prefix-length'?: number;
}

/** The `route-rules` section. */
export interface RouteRules {
  config?: RouteRuleEntry[];
}

export const routeRuleEntry = struct<RouteRuleEntry>(
  {
    family: optional(enumOf(names<'ipv4' | 'ipv6'>('ipv4', 'ipv6'))),
    state: optional(enumOf(names('absent'))),
    'ip-from': optional(ipPrefixText),
    'ip-to': optional(ipPrefixText),
    priority: optional(intOrString(64)),
    'route-table': optional(uintOrString(32)),
    fwmark: optional(withHexOutput(uintOrString(32))),
    fwmask: optional(withHexOutput(uintOrString(32))),
    action: optional(enumOf(names('blackhole', 'unreachable', 'prohibit'))),
    iif: optional(scalarText),
    'suppress-prefix-length': optional(uint(32), { aliases: ['suppress_prefixlength'] }),
  },
  {
    name: 'route rule',
    unknownKeys: 'deny',
    refine(rule, ctx) {
      let ok = true;
      for (const key of ['ip-from', 'ip-to'] as const) {
        const text = rule[key];
        if (rule.family === undefined || text === undefined || text === '') continue;
        const prefix = parseIpPrefix(text);
        if (prefix !== undefined && `ipv${prefix.family}` !== rule.family) {
          ctx.path.push(key);
          ctx.error(`${key} ${JSON.stringify(text)} does not match family ${rule.family}: expected an ${rule.family === 'ipv4' ? 'IPv4' : 'IPv6'} network`, `an ${rule.family} network`);
          ctx.path.pop();
          ok = false;
        }
      }
      if (rule.fwmask !== undefined && rule.fwmark === undefined) {
        ctx.path.push('fwmask');
        ctx.error('fwmask needs fwmark: expected fwmark to be set as well', 'fwmark set together with fwmask');
        ctx.path.pop();
        ok = false;
      }
      return ok;
    },
  },
);

export const routeRulesShape = struct<RouteRules>(
  { config: optional(list(routeRuleEntry)) },
  { name: 'route-rules', unknownKeys: 'deny', nullIsAbsent: false },
);
