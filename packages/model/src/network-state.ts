import { optional, struct } from './schema/shape.js';
import { scalarText } from './schema/scalars.js';
import { dnsResolverShape } from './dns-resolver.js';
import type { DnsResolver } from './dns-resolver.js';
import { hostNameShape } from './hostname.js';
import type { HostNameState } from './hostname.js';
import type { Interface } from './interface-type.js';
import { interfacesShape } from './interfaces.js';
import { ovsDbGlobalConfig } from './interface-settings/ovs-db.js';
import type { OvsDbGlobalConfig } from './interface-settings/ovs-db.js';
import { ovnShape } from './ovn.js';
import type { OvnConfiguration } from './ovn.js';
import { routeRulesShape } from './route-rules.js';
import type { RouteRules } from './route-rules.js';
import { routesShape } from './routes.js';
import type { Routes } from './routes.js';

/**
 * A whole nmstate state document, as validated: lenient spellings are converted
 * (`"1500"` → 1500), defaults nmstate always prints are filled in (interface `type` and
 * `state`), and what nmstate ignores is dropped (properties of absent interfaces,
 * empty sections).
 */
export interface NetworkState {
  /** Free text; never applied. Omitted when empty. */
  description?: string;
  hostname?: HostNameState;
  'dns-resolver'?: DnsResolver;
  /** Omitted unless it has `config`. */
  'route-rules'?: RouteRules;
  /** Omitted unless it has `config` or `running`. */
  routes?: Routes;
  /** Always present (empty when the document has none), in document order. */
  interfaces: Interface[];
  'ovs-db'?: OvsDbGlobalConfig;
  /** Omitted unless it has `bridge-mappings`. */
  ovn?: OvnConfiguration;
}

/** The top level of a state document, in the order `nmstatectl format` prints it. */
export const networkStateShape = struct<NetworkState>(
  {
    description: optional(scalarText, { skipIf: (text) => text === '' }),
    hostname: optional(hostNameShape),
    'dns-resolver': optional(dnsResolverShape),
    'route-rules': optional(routeRulesShape, { skipIf: (rules) => rules.config === undefined }),
    routes: optional(routesShape, { skipIf: (routes) => routes.config === undefined && routes.running === undefined }),
    interfaces: optional(interfacesShape, { makeDefault: () => [] }),
    'ovs-db': optional(ovsDbGlobalConfig),
    ovn: optional(ovnShape, { skipIf: (ovn) => ovn['bridge-mappings'] === undefined }),
  },
  { name: 'the state document', unknownKeys: 'deny' },
);
