/**
 * Test-only helpers of nm-backend: the conformance suite every backend must
 * pass and the states it uses. Import from `@nmfleet/nm-backend/testing`.
 */
export { describeBackendConformance } from './backend-conformance.js';
export type { ConformanceOptions, ConformanceTarget } from './backend-conformance.js';
export {
  BRIDGE_ABSENT,
  BRIDGE_PORTS_ALONE,
  BRIDGE_WITH_PORTS,
  CHANGE_OVER_VETH_STATIC,
  DNS,
  MAC_VLAN,
  PORT_CLAIMED_TWICE,
  ROUTES,
  ROUTE_RULES,
  VETH_STATIC,
  VXLAN,
  stateWithType,
} from './conformance-states.js';
