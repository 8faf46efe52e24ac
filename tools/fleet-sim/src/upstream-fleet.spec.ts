import { loadPolicies } from './policy-files.js';
import { describe, expect, it } from 'vitest';
import { GROUP_LABEL, MIN_UPSTREAM_FLEET_NODES, NMPOLICY_EXAMPLE_NAME, UPSTREAM_NNCP_EXAMPLES, buildUpstreamFleet } from './upstream-fleet.js';

describe('the upstream fleet', () => {
  it('takes every upstream example with its desiredState and capture as written; only the selector changes', () => {
    const upstream = loadPolicies(UPSTREAM_NNCP_EXAMPLES);
    const fleet = buildUpstreamFleet({ nodes: 50 });
    expect(fleet.policies.map((p) => p.metadata?.name).sort()).toEqual([...upstream.map((p) => p.metadata?.name), NMPOLICY_EXAMPLE_NAME].sort());
    expect(fleet.policies).toHaveLength(20);
    for (const original of upstream) {
      const adapted = fleet.policies.find((p) => p.metadata?.name === original.metadata?.name);
      const { nodeSelector: _ignored, ...rest } = original.spec;
      const { nodeSelector, ...adaptedRest } = adapted?.spec ?? { nodeSelector: undefined };
      expect(adaptedRest, original.metadata?.name).toEqual(rest);
      expect(Object.keys(nodeSelector ?? {}), original.metadata?.name).toEqual([GROUP_LABEL]);
    }
    const nmpolicy = fleet.policies.find((p) => p.metadata?.name === NMPOLICY_EXAMPLE_NAME);
    expect(Object.keys(nmpolicy?.spec.capture ?? {}).length).toBeGreaterThan(0);
  });

  it('gives every policy at least one node, and splits 50 nodes by the groups’ weights', () => {
    const fleet = buildUpstreamFleet({ nodes: 50 });
    expect(fleet.nodes).toHaveLength(50);
    expect(new Set(fleet.nodes.map((n) => n.name)).size).toBe(50);
    expect(Object.fromEntries(fleet.groups)).toEqual({ dhcp: 10, 'dns-cleanup': 3, bridge: 6, bond: 6, ovs: 6, 'two-bridges': 4, vrf: 3, route: 3, static: 3, dns: 3, 'gw-bridge': 3 });
    for (const policy of fleet.policies) {
      const group = policy.spec.nodeSelector?.[GROUP_LABEL];
      expect(fleet.nodes.filter((n) => n.labels[GROUP_LABEL] === group).length, policy.metadata?.name).toBeGreaterThan(0);
    }
  });

  it('scales down to one node per group, and refuses fewer', () => {
    const smallest = buildUpstreamFleet({ nodes: MIN_UPSTREAM_FLEET_NODES });
    expect([...smallest.groups.values()].every((count) => count === 1)).toBe(true);
    expect(() => buildUpstreamFleet({ nodes: MIN_UPSTREAM_FLEET_NODES - 1 })).toThrow(`expected an integer of at least ${MIN_UPSTREAM_FLEET_NODES}`);
    expect(buildUpstreamFleet({ nodes: 123 }).nodes).toHaveLength(123);
    expect(buildUpstreamFleet({ nodes: 12, namePrefix: 'demo-node-' }).nodes[0]?.name).toBe('demo-node-000');
  });

  it('starts the dns-cleanup nodes with DNS from DHCP, so removing static servers keeps DNS working', () => {
    const fleet = buildUpstreamFleet({ nodes: 20 });
    const dnsCleanup = fleet.nodes.filter((n) => n.labels[GROUP_LABEL] === 'dns-cleanup');
    expect(dnsCleanup.length).toBeGreaterThan(0);
    for (const node of dnsCleanup) expect(JSON.stringify(node.initialState)).toContain('"auto-dns":true');
    expect(fleet.nodes.filter((n) => n.initialState !== undefined)).toHaveLength(dnsCleanup.length);
  });
});
