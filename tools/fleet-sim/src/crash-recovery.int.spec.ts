import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMaxInProgress, countAppliesPerEnactment } from './apply-timeline.js';
import { Simulation } from './simulation.js';
import { buildGroupedNodes, buildMtuPolicy } from './testing/simple-policies.js';
import { waitFor } from './testing/wait-for.js';

describe('SIGKILL of the coordinator mid-rollout', () => {
  let simulation: Simulation;
  const nodes = buildGroupedNodes({ fleet: 16 });
  const policies = ['crash-a', 'crash-b', 'crash-c', 'crash-d', 'crash-e'].map((name, i) => buildMtuPolicy(name, 'fleet', 1400 + i, 2));

  beforeAll(async () => {
    simulation = await Simulation.start({ nodeSpecs: nodes, latencyMs: 150, statusQps: 200, statusBurst: 200 });
  });

  afterAll(async () => {
    await simulation?.stop();
  });

  it('lets a new coordinator finish the rollout: no generation applied twice, nothing left Pending or Progressing', async () => {
    await simulation.mark();
    await simulation.applyPolicies(policies);
    const total = nodes.length * policies.length;
    const applied = await waitFor(
      'a quarter of the applies',
      () => {
        const count = simulation.timeline().length;
        return count >= total / 4 ? count : undefined;
      },
      { simulation },
    );
    const killed = simulation.coordinatorProcess;
    await simulation.killCoordinator();
    const appliedAtKill = simulation.timeline().length;
    console.log(`[crash] coordinator ${killed?.pid} SIGKILLed after ${applied} of ${total} applies`);
    expect(appliedAtKill).toBeLessThan(total);

    simulation.startCoordinator();
    const views = await simulation.waitUntilSettled({ timeoutMs: 120_000 });
    const summary = await simulation.summary();
    console.log(`[crash] rollout completed by the successor in ${summary.wallSeconds}s (${appliedAtKill} applies before the kill)`);

    for (const view of views) {
      expect(view, view.name).toMatchObject({ status: 'Available', nodes: { matching: 16, available: 16, pending: 0, progressing: 0 } });
    }
    const applies = countAppliesPerEnactment(simulation.timeline());
    expect(applies.size).toBe(total);
    expect([...applies.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    const maxInProgress = computeMaxInProgress(simulation.timeline());
    for (const policy of policies) expect(maxInProgress.get(policy.metadata?.name ?? '')).toBeLessThanOrEqual(2);
    for (const enactment of simulation.listEnactments()) {
      const phase = enactment.status?.conditions?.find((c) => c.status === 'True')?.type;
      expect([enactment.metadata?.name, phase]).toEqual([enactment.metadata?.name, 'Available']);
    }
    const log = readFileSync(simulation.coordinatorLog, 'utf8');
    expect(log).toMatch(/"msg":"leading","epoch":2/);
  });
});

describe('a standby coordinator', () => {
  let simulation: Simulation;
  const nodes = buildGroupedNodes({ fleet: 8 });
  const policies = ['handover-a', 'handover-b', 'handover-c'].map((name, i) => buildMtuPolicy(name, 'fleet', 1400 + i, 2));

  beforeAll(async () => {
    simulation = await Simulation.start({ nodeSpecs: nodes, latencyMs: 150, statusQps: 200, statusBurst: 200 });
  });

  afterAll(async () => {
    await simulation?.stop();
  });

  it('takes over at once when the leader stops and releases its Lease', async () => {
    const leader = simulation.coordinatorProcess;
    await waitFor(
      'the first coordinator to lead',
      async () => ((await simulation.leaseHolder()) === simulation.coordinatorIdentity(1) ? true : undefined),
      { simulation },
    );
    const standby = simulation.startCoordinator();
    await simulation.applyPolicies(policies);
    await waitFor('some applies', () => (simulation.timeline().length >= 4 ? true : undefined), { simulation });
    expect(await leader?.stop()).toBe(0);
    const views = await simulation.waitUntilSettled({ timeoutMs: 60_000 });
    for (const view of views) expect(view, view.name).toMatchObject({ status: 'Available', nodes: { available: 8 } });
    const applies = countAppliesPerEnactment(simulation.timeline());
    expect([...applies.values()].every((count) => count === 1)).toBe(true);
    expect(standby.isRunning).toBe(true);
    expect(await simulation.leaseHolder()).toBe(simulation.coordinatorIdentity(2));
    expect(readFileSync(simulation.coordinatorLog, 'utf8')).toMatch(/"msg":"leading","epoch":2/);
  });
});

describe('SIGKILL of an agent mid-apply', () => {
  let simulation: Simulation;
  const nodes = buildGroupedNodes({ slow: 1 }).map((node) => ({ ...node, applyLatencyMs: 2500 }));
  const node = nodes[0]?.name ?? '';

  beforeAll(async () => {
    simulation = await Simulation.start({ nodeSpecs: nodes, separateAgents: [node], statusQps: 200, statusBurst: 200 });
  });

  afterAll(async () => {
    await simulation?.stop();
  });

  it('ends the job Available after the agent restarts, never stuck', async () => {
    await simulation.applyPolicies([buildMtuPolicy('slow', 'slow', 1420)]);
    const claimed = await waitFor(
      'the agent to claim the job',
      async () => {
        const record = (await simulation.readRollout('slow', 1))?.records[0];
        return record?.startedAt !== undefined ? record : undefined;
      },
      { simulation },
    );
    expect(claimed).toMatchObject({ state: 'progressing', attempts: 1 });
    await simulation.killAgent(node);
    const afterKill = (await simulation.readRollout('slow', 1))?.records[0];
    expect(afterKill).toMatchObject({ state: 'progressing', attempts: 1 });
    expect(afterKill?.reported).toBeUndefined();

    simulation.restartAgent(node);
    const [view] = await simulation.waitUntilSettled({ timeoutMs: 60_000 });
    expect(view).toMatchObject({ name: 'slow', status: 'Available', nodes: { matching: 1, available: 1 } });
    const record = (await simulation.readRollout('slow', 1))?.records[0];
    expect(record).toMatchObject({ state: 'available', attempts: 2, reported: 'available' });
    // The interrupted apply never finished; the redelivered one did, once.
    expect(simulation.timeline().filter((entry) => entry.policy === 'slow')).toHaveLength(1);
    console.log(`[crash] agent job ended ${record?.state} after ${record?.attempts} attempts`);
  });
});
