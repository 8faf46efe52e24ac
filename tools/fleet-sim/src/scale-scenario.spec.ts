import { validateState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { HOSTNAME_LABEL } from './fleet-nodes.js';
import { DEFAULT_SCALE_SCENARIO, ROLE_LABEL, buildScaleScenario, computeRolloutBounds, simulateNameOrderSchedule } from './scale-scenario.js';

describe('the scale scenario', () => {
  const scenario = buildScaleScenario();

  it('has the issue’s shape: 300 nodes, 450 per-host policies (one or two per node), 50 role policies on a third each', () => {
    expect(scenario.nodes).toHaveLength(300);
    expect(scenario.policies).toHaveLength(500);
    const host = scenario.policies.filter((p) => p.spec.nodeSelector?.[HOSTNAME_LABEL] !== undefined);
    const role = scenario.policies.filter((p) => p.spec.nodeSelector?.[ROLE_LABEL] !== undefined);
    expect([host.length, role.length]).toEqual([450, 50]);
    const hostPerNode = new Map<string, number>();
    for (const p of host) for (const node of scenario.matching.get(p.metadata?.name ?? '') ?? []) hostPerNode.set(node, (hostPerNode.get(node) ?? 0) + 1);
    expect(hostPerNode.size).toBe(300);
    expect([...hostPerNode.values()].filter((n) => n === 2)).toHaveLength(150);
    expect([...hostPerNode.values()].every((n) => n === 1 || n === 2)).toBe(true);
    for (const p of role) expect(scenario.matching.get(p.metadata?.name ?? '')).toHaveLength(100);
    expect(scenario.policies.every((p) => p.spec.maxUnavailable === '10%')).toBe(true);
  });

  it('has desired states the model accepts, varied per policy', () => {
    const distinct = new Set(scenario.policies.map((p) => JSON.stringify(p.spec.desiredState)));
    expect(distinct.size).toBe(500);
    for (const p of scenario.policies) expect(validateState(p.spec.desiredState).ok, p.metadata?.name).toBe(true);
  });

  it('computes the bounds as the issue defines them', () => {
    const bounds = computeRolloutBounds(scenario, 20);
    // 300 + 150 host jobs, 50 role policies × 100 nodes.
    expect(bounds.jobs).toBe(5450);
    // Nodes 0–149 of third r0 have two host policies and 17 role policies: 19 × 200 ms.
    expect(bounds.longestNodeSeconds).toBe(3.8);
    expect(scenario.nodes.findIndex((n) => n.name === bounds.longestNode) % 3).toBe(0);
    // A role policy: 100 nodes, 10 at a time: 10 waves × 200 ms.
    expect(bounds.longestPolicySeconds).toBe(2);
    expect(bounds.configuredBoundSeconds).toBe(3.8);
    expect(bounds.minimumWrites).toBe(2 * 5450 + 500 + 300);
    expect(bounds.statusBoundSeconds).toBe(11_700 / 20);
  });

  it('takes the longer bound: waves dominate when maxUnavailable is small', () => {
    const serial = buildScaleScenario({ ...DEFAULT_SCALE_SCENARIO, nodes: 30, policies: 33, rolePolicies: 3, maxUnavailable: 1 });
    const bounds = computeRolloutBounds(serial, 1000);
    expect(bounds.longestPolicySeconds).toBe(2);
    expect(bounds.longestNodeSeconds).toBe(0.4);
    expect(bounds.configuredBoundSeconds).toBe(2);
    expect(bounds.statusBoundSeconds).toBe(2);
  });

  it('with 1,000 nodes gives at most one host policy per node', () => {
    const large = buildScaleScenario({ ...DEFAULT_SCALE_SCENARIO, nodes: 1000 });
    const bounds = computeRolloutBounds(large, 20);
    expect(bounds.jobs).toBe(450 + 17 * 334 + 16 * 333 + 17 * 333);
    // Third r0 has 334 nodes: 34 at a time, 10 waves; a node of it has 17 role policies and one host policy.
    expect(bounds.longestPolicySeconds).toBe(2);
    expect(bounds.longestNodeSeconds).toBe(3.6);
  });

  it('refuses impossible counts', () => {
    expect(() => buildScaleScenario({ ...DEFAULT_SCALE_SCENARIO, policies: 10, rolePolicies: 20 })).toThrow('--policies 10 is invalid: expected an integer of at least 20');
    expect(() => buildScaleScenario({ ...DEFAULT_SCALE_SCENARIO, nodes: 0 })).toThrow('--nodes 0 is invalid');
  });
});

describe('the name-order schedule without overhead', () => {
  it('reaches the bound when nothing competes', () => {
    // One role policy over a third of 30 nodes, 3 at a time: 4 waves, exactly the bound.
    const waves = buildScaleScenario({ ...DEFAULT_SCALE_SCENARIO, nodes: 30, policies: 1, rolePolicies: 1, maxUnavailable: 3 });
    expect(computeRolloutBounds(waves, 20).configuredBoundSeconds).toBe(0.8);
    expect(simulateNameOrderSchedule(waves)).toBe(0.8);
  });

  it('shows what name order costs on the issue scenario: 4.6 s against the 3.8 s bound', () => {
    const scenario = buildScaleScenario();
    expect(computeRolloutBounds(scenario, 20).configuredBoundSeconds).toBe(3.8);
    expect(simulateNameOrderSchedule(scenario)).toBe(4.6);
    expect(simulateNameOrderSchedule(buildScaleScenario({ ...DEFAULT_SCALE_SCENARIO, nodes: 1000 }))).toBe(4.4);
  });
});
