import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOSTNAME_LABEL, WORKER_LABEL, loadPolicies, type NodeSpec } from '@nmfleet/fleet-sim';
import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** kubernetes-nmstate's NodeNetworkConfigurationPolicy examples, used verbatim apart from their selectors. */
export const UPSTREAM_EXAMPLES_DIR = join(REPO_ROOT, 'testdata/upstream/kubernetes-nmstate/examples');

/** The label the simulator sets on each node and the demo's selectors match. */
export const DEMO_GROUP_LABEL = 'demo.nmfleet.io/group';

/** Default of {@link buildDemoFleet}'s node count. */
export const DEFAULT_DEMO_NODES = 50;

/**
 * Which examples share nodes, and each group's share of the fleet. Examples in one
 * group can apply in any order on a node; examples that claim eth1 differently (a
 * bridge port, a bond port, a VRF port, another address) live in different groups,
 * as they would on real nodes. The weights add up to 50: the default fleet's split.
 */
const GROUPS: readonly { name: string; weight: number; policies: readonly string[]; dnsFromDhcp?: boolean }[] = [
  { name: 'dhcp', weight: 12, policies: ['dhcp', 'ethernet', 'per-interface-ipv4-forwarding', 'vlan', 'worker-selector', 'enable-lldp-ethernets-up'] },
  // Removing every name server keeps DNS working only where DHCP provides one (as on upstream's CI nodes).
  { name: 'dns-cleanup', weight: 3, policies: ['dns-cleanup'], dnsFromDhcp: true },
  { name: 'bridge', weight: 6, policies: ['linux-bridge', 'linux-bridge-vlan', 'detach-bridge-port-and-restore-eth'] },
  { name: 'bond', weight: 6, policies: ['bond', 'bond-vlan'] },
  { name: 'ovs', weight: 6, policies: ['ovs-bridge', 'ovs-bridge-iface'] },
  { name: 'two-bridges', weight: 4, policies: ['example-nodenetworkconfigurationpolicy'] },
  { name: 'vrf', weight: 3, policies: ['vrf'] },
  { name: 'route', weight: 3, policies: ['route'] },
  { name: 'static', weight: 4, policies: ['static-ip'] },
  { name: 'dns', weight: 3, policies: ['dns'] },
];

/** The smallest fleet: one node per group. */
export const MIN_DEMO_NODES = GROUPS.length;

/** The demo's fleet: nodes split into groups, and the upstream examples selecting those groups. */
export interface DemoFleet {
  nodes: NodeSpec[];
  policies: NodeNetworkConfigurationPolicy[];
  /** Group name → its node count. */
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

/**
 * `nodeCount` simulated nodes (`demo-node-00…`) split into groups by the
 * {@link DEMO_GROUP_LABEL} label, and every NodeNetworkConfigurationPolicy example of
 * kubernetes-nmstate with its desiredState (and capture) as upstream wrote it; only
 * its nodeSelector is replaced by its group's.
 *
 * @throws Error when `nodeCount` is below {@link MIN_DEMO_NODES}, or an example has no group.
 */
export function buildDemoFleet(nodeCount: number = DEFAULT_DEMO_NODES, examplesDir: string = UPSTREAM_EXAMPLES_DIR): DemoFleet {
  if (!Number.isInteger(nodeCount) || nodeCount < MIN_DEMO_NODES) {
    throw new Error(`--nodes ${nodeCount} is invalid: expected an integer of at least ${MIN_DEMO_NODES} (one node per group of examples)`);
  }
  const groupOf = new Map<string, string>();
  for (const group of GROUPS) for (const policy of group.policies) groupOf.set(policy, group.name);
  const policies = loadPolicies(examplesDir).map((policy) => {
    const name = policy.metadata?.name ?? '';
    const group = groupOf.get(name);
    if (group === undefined) throw new Error(`the upstream example ${name} has no group in the demo's fleet layout`);
    return { ...policy, spec: { ...policy.spec, nodeSelector: { [DEMO_GROUP_LABEL]: group } } };
  });
  const width = Math.max(2, String(nodeCount - 1).length);
  const nodes: NodeSpec[] = [];
  const groups = new Map<string, number>();
  splitNodes(nodeCount).forEach((count, index) => {
    const group = GROUPS[index];
    if (group === undefined) return;
    groups.set(group.name, count);
    for (let i = 0; i < count; i += 1) {
      const name = `demo-node-${String(nodes.length).padStart(width, '0')}`;
      const spec: NodeSpec = { name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '', [DEMO_GROUP_LABEL]: group.name } };
      if (group.dnsFromDhcp) spec.initialState = buildDhcpDnsState(nodes.length);
      nodes.push(spec);
    }
  });
  return { nodes, policies, groups };
}
