/**
 * The nmstate features a desired state uses, named as `nmstatectl statistic` names them
 * (kebab-case `NmstateFeature`s). Upstream's handler stores them in each enactment's
 * `status.features`, and `kubernetes_nmstate_features_applied` shows their union.
 *
 * nmstate computes them on the desired state merged over the current one; what follows
 * reads only the desired state, which is where every feature below comes from in
 * nmstatectl 2.2.62. Not covered: `iface-count-*-plus` (they count the merged state's
 * interfaces, which only the node knows) and `iface-name-refered-by-sriov-vf-id`.
 * nmstatectl 2.2.62 reports neither `static-route` nor `static-route-rule` for
 * `routes.config` or `route-rules.config` (the differential spec pins this), nor
 * `mptcp`, so neither do we.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasEntries(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length > 0;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function listInterfaceFeatures(iface: Json, into: Set<string>): void {
  if (iface.state === 'absent') return;
  if (iface.identifier === 'mac-address') into.add('mac-based-identifier');
  const ovsDb = iface['ovs-db'];
  if (isObject(ovsDb) && (hasEntries(ovsDb.external_ids) || hasEntries(ovsDb.other_config))) into.add('ovs-db-interface');
  if (isPresent(iface.lldp)) into.add('lldp');
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ip = iface[family];
    if (isObject(ip) && isPresent(ip['dhcp-custom-hostname'])) into.add(`dhcp${family.slice(2)}-custom-hostname`);
  }
  const ethernet = iface.ethernet;
  if (iface.type === 'ethernet' && isObject(ethernet) && isPresent(ethernet['sr-iov'])) into.add('sriov');
  if (iface.type === 'ovs-interface') {
    if (isPresent(iface.dpdk)) into.add('ovs-dpdk');
    if (isPresent(iface.patch)) into.add('ovs-patch');
  }
  const bridge = iface.bridge;
  if (iface.type === 'ovs-bridge' && isObject(bridge) && Array.isArray(bridge.port)) {
    if (bridge.port.some((port) => isObject(port) && isPresent(port['link-aggregation']))) into.add('ovs-bond');
  }
}

/** Lists the nmstate features `desiredState` uses, sorted by name. Anything that is not a state document has none. */
export function listNmstateFeatures(desiredState: unknown): string[] {
  const features = new Set<string>();
  if (!isObject(desiredState)) return [];
  const dns = desiredState['dns-resolver'];
  if (isObject(dns) && isObject(dns.config)) {
    if (isPresent(dns.config.server)) features.add('static-dns-name-server');
    if (isPresent(dns.config.search)) features.add('static-dns-search');
    if (isPresent(dns.config.options)) features.add('static-dns-option');
  }
  const hostname = desiredState.hostname;
  if (isObject(hostname) && isPresent(hostname.config)) features.add('static-hostname');
  if (isPresent(desiredState['ovs-db'])) features.add('ovs-db-global');
  if (isPresent(desiredState.ovn)) features.add('ovn-mapping');
  if (Array.isArray(desiredState.interfaces)) {
    for (const iface of desiredState.interfaces) if (isObject(iface)) listInterfaceFeatures(iface, features);
  }
  return [...features].sort();
}
