import { list, optional, struct } from './schema/shape.js';
import { boolOrString, enumOf, intOrString, names, scalarText, uintOrString } from './schema/scalars.js';
import { ipAddressText, ipPrefixText } from './schema/network-scalars.js';

/**
 * One route. In desired state, `state: absent` removes every route matching the other
 * keys given (e.g. all routes via `next-hop-interface: eth1`).
 *
 * ```yaml
 * - destination: 198.51.100.0/24
 *   next-hop-interface: eth1
 *   next-hop-address: 192.0.2.1
 *   metric: 150
 *   table-id: 254
 * ```
 */
export interface RouteEntry {
  state?: 'absent' | 'ignore';
  /** `ADDRESS/LENGTH` as written (a bare address is a host route). */
  destination?: string;
  'next-hop-interface'?: string;
  'next-hop-address'?: string;
  metric?: number;
  'table-id'?: number;
  /** ECMP weight 1..256 (IPv4 only). */
  weight?: number;
  'route-type'?: 'blackhole' | 'unreachable' | 'prohibit';
  cwnd?: number;
  /** Preferred source address. */
  source?: string;
  initcwnd?: number;
  initrwnd?: number;
  mtu?: number;
  quickack?: boolean;
  advmss?: number;
  'lock-mtu'?: boolean;
  'vrf-name'?: string;
}

/** The `routes` section: `config` is what to apply, `running` what a query saw. */
export interface Routes {
  running?: RouteEntry[];
  config?: RouteEntry[];
}

const NON_ZERO = { min: 1, max: 0xffffffff, reason: '(0 is not allowed)' } as const;

export const routeEntry = struct<RouteEntry>(
  {
    state: optional(enumOf(names<'absent' | 'ignore'>('absent', 'ignore'))),
    destination: optional(ipPrefixText),
    'next-hop-interface': optional(scalarText),
    'next-hop-address': optional(ipAddressText),
    metric: optional(intOrString(64)),
    'table-id': optional(uintOrString(32)),
    weight: optional(uintOrString(16, { min: 1, max: 256, reason: 'for an ECMP weight' })),
    'route-type': optional(enumOf(names('blackhole', 'unreachable', 'prohibit'))),
    cwnd: optional(uintOrString(32, NON_ZERO)),
    source: optional(ipAddressText),
    initcwnd: optional(uintOrString(32)),
    initrwnd: optional(uintOrString(32)),
    mtu: optional(uintOrString(32, NON_ZERO)),
    quickack: optional(boolOrString),
    advmss: optional(uintOrString(32, NON_ZERO)),
    'lock-mtu': optional(boolOrString),
    'vrf-name': optional(scalarText),
  },
  { name: 'route', unknownKeys: 'deny' },
);

export const routesShape = struct<Routes>(
  { running: optional(list(routeEntry)), config: optional(list(routeEntry)) },
  { name: 'routes', unknownKeys: 'deny', nullIsAbsent: false },
);
