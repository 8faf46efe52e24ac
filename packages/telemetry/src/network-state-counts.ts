import { TelemetryError } from './errors.js';
import type { RouteIpStack, RouteType } from './label-values.js';

/** What upstream's NodeNetworkState gauges count in one node's current state. */
export interface NetworkStateCounts {
  /** Interfaces by nmstate `type`; interfaces without a type are not counted. */
  readonly interfacesByType: Readonly<Record<string, number>>;
  /** Running routes by IP stack and by whether they are also configured (`static`) or not (`dynamic`). */
  readonly routes: Readonly<Record<RouteIpStack, Readonly<Record<RouteType, number>>>>;
}

/**
 * Counts interfaces and routes of an nmstate current-state document (parsed
 * YAML/JSON) the way kubernetes-nmstate's metrics do: interfaces by `type`;
 * every entry of `routes.running` once, `ipv6` when its destination contains
 * a colon, `static` when some `routes.config` entry has the same destination.
 *
 * @throws TelemetryError `invalid-state` when the document is not an object,
 *   or `interfaces`, `routes`, `routes.config` or `routes.running` has the wrong shape.
 */
export function countNetworkState(currentState: unknown): NetworkStateCounts {
  const state = expectRecord(currentState, 'the network state');
  const interfacesByType: Record<string, number> = {};
  for (const entry of expectOptionalArray(state['interfaces'], 'interfaces')) {
    const type = isRecord(entry) ? entry['type'] : undefined;
    if (typeof type === 'string' && type !== '') interfacesByType[type] = (interfacesByType[type] ?? 0) + 1;
  }

  const routes = { ipv4: { static: 0, dynamic: 0 }, ipv6: { static: 0, dynamic: 0 } };
  const routeSection = state['routes'];
  if (routeSection != null) {
    const section = expectRecord(routeSection, 'routes');
    const configured = new Set(
      expectOptionalArray(section['config'], 'routes.config').map((route) => readDestination(route)),
    );
    for (const route of expectOptionalArray(section['running'], 'routes.running')) {
      const destination = readDestination(route);
      const stack: RouteIpStack = destination.includes(':') ? 'ipv6' : 'ipv4';
      const type: RouteType = configured.has(destination) ? 'static' : 'dynamic';
      routes[stack][type] += 1;
    }
  }
  return { interfacesByType, routes };
}

function readDestination(route: unknown): string {
  const destination = isRecord(route) ? route['destination'] : undefined;
  return typeof destination === 'string' ? destination : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectRecord(value: unknown, what: string): Record<string, unknown> {
  if (isRecord(value)) return value;
  throw new TelemetryError('invalid-state', `${what} must be a mapping, got ${describe(value)}`);
}

function expectOptionalArray(value: unknown, what: string): readonly unknown[] {
  if (value == null) return [];
  if (Array.isArray(value)) return value;
  throw new TelemetryError('invalid-state', `${what} must be a list, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
