import { loadPolicies } from '@nmfleet/fleet-sim';
import { describe, expect, it } from 'vitest';
import { DEMO_GROUP_LABEL, MIN_DEMO_NODES, UPSTREAM_EXAMPLES_DIR, buildDemoFleet } from './demo-fleet.js';

describe('the demo fleet', () => {
  it('takes every upstream example with its desiredState and capture as written; only the selector changes', () => {
    const upstream = loadPolicies(UPSTREAM_EXAMPLES_DIR);
    const fleet = buildDemoFleet(50);
    expect(fleet.policies.map((p) => p.metadata?.name).sort()).toEqual(upstream.map((p) => p.metadata?.name).sort());
    expect(fleet.policies).toHaveLength(19);
    for (const original of upstream) {
      const adapted = fleet.policies.find((p) => p.metadata?.name === original.metadata?.name);
      const { nodeSelector: _ignored, ...rest } = original.spec;
      const { nodeSelector, ...adaptedRest } = adapted?.spec ?? { nodeSelector: undefined };
      expect(adaptedRest, original.metadata?.name).toEqual(rest);
      expect(Object.keys(nodeSelector ?? {}), original.metadata?.name).toEqual([DEMO_GROUP_LABEL]);
    }
  });

  it('gives every policy at least one node, and splits 50 nodes by the groups’ weights', () => {
    const fleet = buildDemoFleet(50);
    expect(fleet.nodes).toHaveLength(50);
    expect(new Set(fleet.nodes.map((n) => n.name)).size).toBe(50);
    expect(Object.fromEntries(fleet.groups)).toEqual({ dhcp: 12, 'dns-cleanup': 3, bridge: 6, bond: 6, ovs: 6, 'two-bridges': 4, vrf: 3, route: 3, static: 4, dns: 3 });
    for (const policy of fleet.policies) {
      const group = policy.spec.nodeSelector?.[DEMO_GROUP_LABEL];
      expect(fleet.nodes.filter((n) => n.labels[DEMO_GROUP_LABEL] === group).length, policy.metadata?.name).toBeGreaterThan(0);
    }
  });

  it('scales down to one node per group, and refuses fewer', () => {
    const smallest = buildDemoFleet(MIN_DEMO_NODES);
    expect([...smallest.groups.values()].every((count) => count === 1)).toBe(true);
    expect(() => buildDemoFleet(MIN_DEMO_NODES - 1)).toThrow(`expected an integer of at least ${MIN_DEMO_NODES}`);
    expect(buildDemoFleet(123).nodes).toHaveLength(123);
  });

  it('starts the dns-cleanup nodes with DNS from DHCP, so removing static servers keeps DNS working', () => {
    const fleet = buildDemoFleet(20);
    const dnsCleanup = fleet.nodes.filter((n) => n.labels[DEMO_GROUP_LABEL] === 'dns-cleanup');
    expect(dnsCleanup.length).toBeGreaterThan(0);
    for (const node of dnsCleanup) expect(JSON.stringify(node.initialState)).toContain('"auto-dns":true');
    expect(fleet.nodes.filter((n) => n.initialState !== undefined)).toHaveLength(dnsCleanup.length);
  });
});
