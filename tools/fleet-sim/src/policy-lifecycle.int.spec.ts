import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMaxInProgress, countAppliesPerEnactment, type TimelineEntry } from './apply-timeline.js';
import { Simulation } from './simulation.js';
import { SUITE_GROUP_LABEL, buildGroupedNodes, buildMtuPolicy } from './testing/simple-policies.js';
import { waitFor } from './testing/wait-for.js';

let simulation: Simulation;
// The update and delete tests act once a rollout is under way and check that it did not
// finish first: their nodes apply slowly enough (six waves of 500 ms) for a loaded machine.
const SLOW_GROUPS = new Set(['update', 'delete']);
const nodes = buildGroupedNodes({ update: 12, delete: 12, invalid: 4, redis: 8, api: 8 }).map((node) =>
  SLOW_GROUPS.has(node.labels[SUITE_GROUP_LABEL] ?? '') ? { ...node, applyLatencyMs: 500 } : node,
);

function appliesOf(policy: string, generation?: number): TimelineEntry[] {
  return simulation.timeline().filter((e) => e.policy === policy && (generation === undefined || e.generation === generation));
}

function waitForApplies(policy: string, count: number): Promise<number> {
  return waitFor(
    `${count} applies of ${policy}`,
    () => {
      const done = appliesOf(policy).length;
      return done >= count ? done : undefined;
    },
    { simulation },
  );
}

beforeAll(async () => {
  simulation = await Simulation.start({ nodeSpecs: nodes, latencyMs: 200, statusQps: 200, statusBurst: 200 });
});

afterAll(async () => {
  await simulation?.stop();
});

describe('policy lifecycle', () => {
  it('rolls out only the new generation when a policy is updated mid-rollout', async () => {
    await simulation.applyPolicies([buildMtuPolicy('update', 'update', 1400, 2)]);
    const before = await waitForApplies('update', 3);
    await simulation.applyPolicies([buildMtuPolicy('update', 'update', 1500, 2)]);
    const [view] = await simulation.waitUntilSettled({ policies: ['update'], timeoutMs: 60_000 });
    expect(view).toMatchObject({ generation: 2, status: 'Available', nodes: { matching: 12, available: 12 } });
    const first = appliesOf('update', 1);
    const second = appliesOf('update', 2);
    console.log(`[lifecycle] update: ${before} applies of generation 1 before the update, ${first.length} in all; ${second.length} of generation 2`);
    expect(first.length).toBeLessThan(12);
    expect(second.map((e) => e.node).sort()).toEqual(nodes.filter((n) => n.labels[SUITE_GROUP_LABEL] === 'update').map((n) => n.name));
    expect([...countAppliesPerEnactment(second).values()].every((count) => count === 1)).toBe(true);
    // Nodes still applying generation 1 kept counting against maxUnavailable.
    expect(computeMaxInProgress(appliesOf('update')).get('update')).toBeLessThanOrEqual(2);
    const enactments = simulation.listEnactments().filter((e) => e.metadata?.labels?.['nmstate.io/policy'] === 'update');
    expect(enactments.every((e) => e.status?.policyGeneration === 2)).toBe(true);
  });

  it('stops the rollout and removes its enactments when a policy is deleted', async () => {
    await simulation.applyPolicies([buildMtuPolicy('delete-me', 'delete', 1300, 2)]);
    await waitForApplies('delete-me', 3);
    await simulation.deletePolicy('delete-me');
    await waitFor(
      'the enactments of delete-me to go',
      () => (simulation.listEnactments().some((e) => e.metadata?.labels?.['nmstate.io/policy'] === 'delete-me') ? undefined : true),
      { simulation },
    );
    expect(await simulation.readRollout('delete-me', 1)).toBeUndefined();
    const applied = appliesOf('delete-me').length;
    console.log(`[lifecycle] delete: ${applied} of 12 nodes applied before the rollout stopped`);
    expect(applied).toBeLessThan(12);
  });

  it('refuses an invalid desiredState with the model’s error and enqueues nothing', async () => {
    const invalid = buildMtuPolicy('invalid', 'invalid', 1400);
    invalid.spec.desiredState = {
      interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: true, address: [{ ip: '10.0.0.1', 'prefix-length': 33 }] } }],
    } as never;
    await simulation.applyPolicies([invalid]);
    const [view] = await simulation.waitUntilSettled({ policies: ['invalid'], timeoutMs: 30_000 });
    expect(view).toMatchObject({ status: 'Degraded', reason: 'FailedToConfigure', nodes: { matching: 4, available: 0, pending: 0 } });
    expect(view?.message).toMatch(/^invalid desiredState: interfaces\[0\]\.ipv4\.address\[0\]\.prefix-length: .*33/);
    expect(simulation.listEnactments().filter((e) => e.metadata?.labels?.['nmstate.io/policy'] === 'invalid')).toEqual([]);
    expect((await simulation.readRollout('invalid', 1))?.records).toEqual([]);
    expect(appliesOf('invalid')).toEqual([]);
  });

  it.each([
    ['redis', 'redis'],
    ['kube-apiserver', 'api'],
  ] as const)('waits out an unreachable %s without losing or duplicating work', async (service, group) => {
    const name = `outage-${group}`;
    await simulation.applyPolicies([buildMtuPolicy(name, group, 1450, 2)]);
    await waitForApplies(name, 2);
    simulation.pauseService(service);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    simulation.resumeService(service);
    const [view] = await simulation.waitUntilSettled({ policies: [name], timeoutMs: 90_000 });
    expect(view).toMatchObject({ status: 'Available', nodes: { matching: 8, available: 8 } });
    const applies = countAppliesPerEnactment(appliesOf(name));
    expect(applies.size).toBe(8);
    expect([...applies.values()].every((count) => count === 1)).toBe(true);
    console.log(`[lifecycle] ${service} paused 3 s mid-rollout: ${name} completed, each node applied once`);
  });
});
