import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import type { NodeSpec } from '../fleet-nodes.js';
import { HOSTNAME_LABEL, WORKER_LABEL } from '../fleet-nodes.js';
import { loadPolicies } from '../policy-files.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** kubernetes-nmstate's NNCP examples, verbatim. */
export const UPSTREAM_NNCP_EXAMPLES = join(REPO_ROOT, 'testdata/upstream/kubernetes-nmstate/examples');
const NMSTATE_POLICY_EXAMPLES = join(REPO_ROOT, 'testdata/upstream/nmstate/examples/policy');

/** The label that splits the fleet into groups of compatible policies. */
export const GROUP_LABEL = 'nmfleet.io/group';

/**
 * Which upstream policies share nodes. Policies in one group can apply in any order on
 * a node; policies that claim eth1 differently (a bridge port, a bond port, a VRF
 * port, another address) live in different groups, as they would in a real cluster.
 */
const GROUPS: Record<string, { nodes: number; policies: string[]; dhcpEth0?: boolean }> = {
  dhcp: { nodes: 10, policies: ['dhcp', 'ethernet', 'per-interface-ipv4-forwarding', 'vlan', 'worker-selector', 'enable-lldp-ethernets-up'] },
  // Removing every name server keeps DNS working only where DHCP provides one (upstream's CI nodes).
  'dns-cleanup': { nodes: 3, policies: ['dns-cleanup'], dhcpEth0: true },
  bridge: { nodes: 6, policies: ['linux-bridge', 'linux-bridge-vlan', 'detach-bridge-port-and-restore-eth'] },
  bond: { nodes: 6, policies: ['bond', 'bond-vlan'] },
  ovs: { nodes: 6, policies: ['ovs-bridge', 'ovs-bridge-iface'] },
  'two-bridges': { nodes: 4, policies: ['example-nodenetworkconfigurationpolicy'] },
  vrf: { nodes: 3, policies: ['vrf'] },
  route: { nodes: 3, policies: ['route'] },
  static: { nodes: 3, policies: ['static-ip'] },
  dns: { nodes: 3, policies: ['dns'] },
  'gw-bridge': { nodes: 3, policies: ['bridge-on-default-gw'] },
};

/** The upstream fleet: nodes split into groups, and the 20 policies with selectors on those groups. */
export interface UpstreamFleet {
  nodes: NodeSpec[];
  policies: NodeNetworkConfigurationPolicy[];
}

function typicalWithDhcpEth0(index: number): Record<string, unknown> {
  return {
    'dns-resolver': { config: { server: ['192.0.2.53'] } },
    routes: { config: [{ destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.1', 'next-hop-interface': 'eth0', 'table-id': 254 }] },
    interfaces: [
      {
        name: 'eth0',
        type: 'ethernet',
        state: 'up',
        ipv4: { enabled: true, dhcp: true, 'auto-dns': true, address: [{ ip: `192.0.2.${200 + (index % 50)}`, 'prefix-length': 24 }] },
        ipv6: { enabled: false },
      },
      { name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } },
      { name: 'eth2', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } },
    ],
  };
}

/**
 * 50 nodes and 20 policies: the 19 NodeNetworkConfigurationPolicy examples of
 * kubernetes-nmstate with their desiredState and capture unchanged (only nodeSelector
 * is set, to split the nodes), plus nmstate's "bridge on the default gateway
 * interface" nmpolicy example as an NNCP, whose captures render per node.
 */
export function buildUpstreamFleet(): UpstreamFleet {
  const groupOf = new Map<string, string>();
  for (const [group, { policies }] of Object.entries(GROUPS)) for (const policy of policies) groupOf.set(policy, group);
  const policies = loadPolicies(UPSTREAM_NNCP_EXAMPLES);
  const nmpolicy = load(readFileSync(join(NMSTATE_POLICY_EXAMPLES, 'bridge-on-default-gw-no-dhcp/policy.yml'), 'utf8')) as {
    capture: Record<string, string>;
    desiredState: unknown;
  };
  policies.push({
    apiVersion: 'nmstate.io/v1',
    kind: 'NodeNetworkConfigurationPolicy',
    metadata: { name: 'bridge-on-default-gw' },
    spec: { capture: nmpolicy.capture, desiredState: nmpolicy.desiredState as never },
  });
  for (const policy of policies) {
    const group = groupOf.get(policy.metadata?.name ?? '');
    if (group === undefined) throw new Error(`upstream policy ${policy.metadata?.name} has no group in the fleet layout`);
    policy.spec = { ...policy.spec, nodeSelector: { [GROUP_LABEL]: group } };
  }
  const nodes: NodeSpec[] = [];
  for (const [group, { nodes: count, dhcpEth0 }] of Object.entries(GROUPS)) {
    for (let i = 0; i < count; i += 1) {
      const name = `sim-node-${String(nodes.length).padStart(3, '0')}`;
      const spec: NodeSpec = { name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '', [GROUP_LABEL]: group } };
      if (dhcpEth0) spec.initialState = typicalWithDhcpEth0(nodes.length);
      nodes.push(spec);
    }
  }
  return { nodes, policies };
}
