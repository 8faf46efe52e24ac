import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { HOSTNAME_LABEL, WORKER_LABEL, type NodeSpec } from './fleet-nodes.js';
import { loadPolicies } from './policy-files.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** kubernetes-nmstate's NodeNetworkConfigurationPolicy examples, verbatim. */
export const UPSTREAM_NNCP_EXAMPLES = join(REPO_ROOT, 'testdata/upstream/kubernetes-nmstate/examples');
const NMSTATE_POLICY_EXAMPLES = join(REPO_ROOT, 'testdata/upstream/nmstate/examples/policy');

/** The label that splits the fleet into groups of compatible policies. */
export const GROUP_LABEL = 'nmfleet.io/group';

/** The name of the NNCP made of nmstate's "bridge on the default gateway interface" nmpolicy example. */
export const NMPOLICY_EXAMPLE_NAME = 'bridge-on-default-gw';

/**
 * Which upstream policies share nodes, and each group's share of the fleet. Policies in
 * one group can apply in any order on a node; policies that claim eth1 differently (a
 * bridge port, a bond port, a VRF port, another address) live in different groups, as
 * they would in a real cluster. The weights add up to 50, the default fleet's split.
 */
const GROUPS: readonly { name: string; weight: number; policies: readonly string[]; dnsFromDhcp?: boolean }[] = [
  { name: 'dhcp', weight: 10, policies: ['dhcp', 'ethernet', 'per-interface-ipv4-forwarding', 'vlan', 'worker-selector', 'enable-lldp-ethernets-up'] },
  // Removing every name server keeps DNS working only where DHCP provides one (as on upstream's CI nodes).
  { name: 'dns-cleanup', weight: 3, policies: ['dns-cleanup'], dnsFromDhcp: true },
  { name: 'bridge', weight: 6, policies: ['linux-bridge', 'linux-bridge-vlan', 'detach-bridge-port-and-restore-eth'] },
  { name: 'bond', weight: 6, policies: ['bond', 'bond-vlan'] },
  { name: 'ovs', weight: 6, policies: ['ovs-bridge', 'ovs-bridge-iface'] },
  { name: 'two-bridges', weight: 4, policies: ['example-nodenetworkconfigurationpolicy'] },
  { name: 'vrf', weight: 3, policies: ['vrf'] },
  { name: 'route', weight: 3, policies: ['route'] },
  { name: 'static', weight: 3, policies: ['static-ip'] },
  { name: 'dns', weight: 3, policies: ['dns'] },
  { name: 'gw-bridge', weight: 3, policies: [NMPOLICY_EXAMPLE_NAME] },
];

/** The smallest upstream fleet: one node per group. */
export const MIN_UPSTREAM_FLEET_NODES = GROUPS.length;
/** Default of {@link UpstreamFleetOptions.nodes}. */
export const DEFAULT_UPSTREAM_FLEET_NODES = 50;

/** Options of {@link buildUpstreamFleet}. */
export interface UpstreamFleetOptions {
  /** Simulated nodes, at least {@link MIN_UPSTREAM_FLEET_NODES}. Default {@link DEFAULT_UPSTREAM_FLEET_NODES}. */
  nodes?: number;
  /** Node names are this prefix and a zero-padded index. Default `sim-node-`. */
  namePrefix?: string;
}

/** The upstream fleet: nodes split into groups, and the upstream policies with selectors on those groups. */
export interface UpstreamFleet {
  nodes: NodeSpec[];
  policies: NodeNetworkConfigurationPolicy[];
  /** Group name → its node count, in the layout's order. */
  groups: Map<string, number>;
}

/** A typical node whose eth0 takes DNS from DHCP besides its static address. */
function buildDhcpDnsState(index: number): Record<string, unknown> {
  return {
    'dns-resolver': { config: { server: ['192.0.2.53'] } },
    routes: { config: [{ destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.1', 'next-hop-interface': 'eth0', 'table-id': 254 }] },
    interfaces: [
      {
        name: 'eth0',
        type: 'ethernet',
        state: 'up',
        ipv4: { enabled: true, dhcp: true, 'auto-dns': true, address: [{ ip: `192.0.2.${10 + (index % 240)}`, 'prefix-length': 24 }] },
        ipv6: { enabled: false },
      },
      { name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } },
      { name: 'eth2', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } },
    ],
  };
}

/** Splits `total` (≥ the number of groups) nodes over the groups in proportion to their weights, at least one each. */
function splitNodes(total: number): number[] {
  const weights = GROUPS.map((group) => group.weight);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const counts = exact.map((value) => Math.max(1, Math.floor(value)));
  // Largest remainders get the nodes left over; the largest groups give back what the minimum of one took.
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder);
  for (let i = 0, left = total - counts.reduce((a, b) => a + b, 0); left > 0; i += 1, left -= 1) {
    const index = byRemainder[i % byRemainder.length]?.index ?? 0;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  for (let excess = counts.reduce((a, b) => a + b, 0) - total; excess > 0; excess -= 1) {
    const largest = counts.indexOf(Math.max(...counts));
    counts[largest] = (counts[largest] ?? 1) - 1;
  }
  return counts;
}

/** nmstate's "bridge on the default gateway interface" nmpolicy example as an NNCP: its captures render per node. */
function loadNmpolicyExample(): NodeNetworkConfigurationPolicy {
  const nmpolicy = load(readFileSync(join(NMSTATE_POLICY_EXAMPLES, 'bridge-on-default-gw-no-dhcp/policy.yml'), 'utf8')) as {
    capture: Record<string, string>;
    desiredState: unknown;
  };
  return {
    apiVersion: 'nmstate.io/v1',
    kind: 'NodeNetworkConfigurationPolicy',
    metadata: { name: NMPOLICY_EXAMPLE_NAME },
    spec: { capture: nmpolicy.capture, desiredState: nmpolicy.desiredState as never },
  };
}

/**
 * Simulated nodes split into groups by the {@link GROUP_LABEL} label, and the 19
 * NodeNetworkConfigurationPolicy examples of kubernetes-nmstate with their desiredState
 * and capture as upstream wrote them (only nodeSelector is set, to its group's), plus
 * nmstate's "bridge on the default gateway interface" nmpolicy example as a 20th policy.
 *
 * @throws Error when `nodes` is below {@link MIN_UPSTREAM_FLEET_NODES}, or an example has no group.
 */
export function buildUpstreamFleet(options: UpstreamFleetOptions = {}): UpstreamFleet {
  const nodeCount = options.nodes ?? DEFAULT_UPSTREAM_FLEET_NODES;
  if (!Number.isInteger(nodeCount) || nodeCount < MIN_UPSTREAM_FLEET_NODES) {
    throw new Error(`--nodes ${nodeCount} is invalid: expected an integer of at least ${MIN_UPSTREAM_FLEET_NODES} (one node per group of examples)`);
  }
  const groupOf = new Map<string, string>();
  for (const group of GROUPS) for (const policy of group.policies) groupOf.set(policy, group.name);
  const policies = [...loadPolicies(UPSTREAM_NNCP_EXAMPLES), loadNmpolicyExample()].map((policy) => {
    const name = policy.metadata?.name ?? '';
    const group = groupOf.get(name);
    if (group === undefined) throw new Error(`the upstream example ${name} has no group in the fleet layout`);
    return { ...policy, spec: { ...policy.spec, nodeSelector: { [GROUP_LABEL]: group } } };
  });
  const prefix = options.namePrefix ?? 'sim-node-';
  const width = Math.max(3, String(nodeCount - 1).length);
  const nodes: NodeSpec[] = [];
  const groups = new Map<string, number>();
  splitNodes(nodeCount).forEach((count, index) => {
    const group = GROUPS[index];
    if (group === undefined) return;
    groups.set(group.name, count);
    for (let i = 0; i < count; i += 1) {
      const name = `${prefix}${String(nodes.length).padStart(width, '0')}`;
      const spec: NodeSpec = { name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '', [GROUP_LABEL]: group.name } };
      if (group.dnsFromDhcp) spec.initialState = buildDhcpDnsState(nodes.length);
      nodes.push(spec);
    }
  });
  return { nodes, policies, groups };
}
