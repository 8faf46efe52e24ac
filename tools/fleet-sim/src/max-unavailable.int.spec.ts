import { formatEnactmentName } from '@nmfleet/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMaxInProgress } from './apply-timeline.js';
import { Simulation } from './simulation.js';
import { buildGroupedNodes, buildMtuPolicy } from './testing/simple-policies.js';

let simulation: Simulation;

const nodes = buildGroupedNodes({ integer: 10, percentage: 10, default: 10, broken: 10 });
const brokenNodes = nodes.filter((n) => n.labels['nmfleet.io/suite-group'] === 'broken').map((n) => n.name);
// The two broken-group nodes admitted first (name order) fail every apply.
const failNodes = brokenNodes.slice(0, 2);

beforeAll(async () => {
  simulation = await Simulation.start({ nodeSpecs: nodes, latencyMs: 60, failNodes, statusQps: 200, statusBurst: 200 });
  await simulation.mark();
  await simulation.applyPolicies([
    buildMtuPolicy('mtu-integer', 'integer', 1400, 3),
    buildMtuPolicy('mtu-percentage', 'percentage', 1450, '40%'),
    buildMtuPolicy('mtu-default', 'default', 1480),
    buildMtuPolicy('mtu-broken', 'broken', 1300, 2),
  ]);
  await simulation.waitUntilSettled({ timeoutMs: 120_000 });
  const summary = await simulation.summary();
  console.log(
    `[maxUnavailable] settled in ${summary.wallSeconds}s; maxInProgress: ${summary.policies.map((p) => `${p.name} ${p.maxInProgress}/${p.maxUnavailable}`).join(', ')}`,
  );
});

afterAll(async () => {
  await simulation?.stop();
});

describe('maxUnavailable', () => {
  it('is never exceeded, for an integer, a percentage and the default (50%)', () => {
    const views = new Map(simulation.viewPolicies().map((view) => [view.name, view]));
    expect(views.get('mtu-integer')?.maxUnavailable).toBe(3);
    expect(views.get('mtu-percentage')?.maxUnavailable).toBe(4);
    expect(views.get('mtu-default')?.maxUnavailable).toBe(5);
    const timeline = simulation.timeline();
    const maxInProgress = computeMaxInProgress(timeline);
    for (const name of ['mtu-integer', 'mtu-percentage', 'mtu-default']) {
      const view = views.get(name);
      expect(view?.status, name).toBe('Available');
      expect(timeline.filter((entry) => entry.policy === name)).toHaveLength(10);
      expect(maxInProgress.get(name), name).toBeGreaterThan(0);
      expect(maxInProgress.get(name), name).toBeLessThanOrEqual(view?.maxUnavailable ?? 0);
    }
  });

  it('aborts the nodes not started once failures reach it, and the policy reads Degraded', () => {
    const view = simulation.viewPolicies().find((v) => v.name === 'mtu-broken');
    expect(view).toMatchObject({
      status: 'Degraded',
      reason: 'FailedToConfigure',
      message: '2/10 nodes failed to configure, 8 nodes aborted configuration',
      nodes: { matching: 10, available: 0, failing: 2, aborted: 8, pending: 0, progressing: 0 },
    });
    // Only the two failing nodes ever applied it.
    const applied = simulation.timeline().filter((entry) => entry.policy === 'mtu-broken');
    expect(applied.map((entry) => entry.node).sort()).toEqual(failNodes);
    expect(applied.every((entry) => entry.outcome === 'failure')).toBe(true);
  });

  it('gives aborted and failing enactments upstream’s conditions and messages', () => {
    const enactments = new Map(simulation.listEnactments().map((e) => [e.metadata?.name ?? '', e]));
    const aborted = enactments.get(formatEnactmentName(brokenNodes[5] ?? '', 'mtu-broken'));
    const abortedCondition = aborted?.status?.conditions?.find((c) => c.type === 'Aborted');
    expect(abortedCondition).toMatchObject({
      status: 'True',
      reason: 'ConfigurationAborted',
      message: `reconciliation of enactment "${brokenNodes[5]}.mtu-broken" has aborted`,
    });
    const failing = enactments.get(formatEnactmentName(failNodes[0] ?? '', 'mtu-broken'));
    const failingCondition = failing?.status?.conditions?.find((c) => c.type === 'Failing');
    expect(failingCondition).toMatchObject({ status: 'True', reason: 'FailedToConfigure' });
    expect(failingCondition?.message).toMatch(
      new RegExp(`^error reconciling NodeNetworkConfigurationPolicy on node ${failNodes[0]} at desired state apply: ".*injected failure`),
    );
  });
});
