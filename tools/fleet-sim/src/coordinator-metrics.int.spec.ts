import { findCondition, type NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { pollUntil, startPrometheus, type PrometheusHandle } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulation } from './simulation.js';
import { buildGroupedNodes, buildMtuPolicy } from './testing/simple-policies.js';

/**
 * The coordinator's metrics as an operator sees them: real Prometheus scrapes the
 * coordinator while a simulated rollout runs, and what Prometheus answers must match
 * what the API shows at the end.
 */

const SCRAPE_INTERVAL_MS = 500;
/** Long enough that a serial rollout of four nodes spans several scrapes. */
const APPLY_LATENCY_MS = 500;

const nodes = buildGroupedNodes({ steady: 4, broken: 2 });
const brokenNode = nodes.find((node) => node.labels['nmfleet.io/suite-group'] === 'broken')?.name ?? '';

/** An MTU change plus an LLDP section: the feature `lldp`, as nmstatectl statistic names it. */
function buildLldpPolicy(name: string, group: string): NodeNetworkConfigurationPolicy {
  const policy = buildMtuPolicy(name, group, 1450, 1);
  policy.spec.desiredState = { interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', mtu: 1450, lldp: { enabled: false } }] } as never;
  return policy;
}

const policies = [buildMtuPolicy('metrics-steady', 'steady', 1400, 1), buildLldpPolicy('metrics-lldp', 'steady'), buildMtuPolicy('metrics-broken', 'broken', 1300, 1)];

let simulation: Simulation;
let prometheus: PrometheusHandle;
let metricsUrl: string;
let progressingSeen = 0;

async function queryNumber(promql: string): Promise<number | undefined> {
  const samples = await prometheus.query(promql);
  const value = samples[0]?.value[1];
  return value === undefined ? undefined : Number(value);
}

/** Waits until Prometheus answers `expected` for `promql` (the next scrapes catch up), and returns what it answered last. */
async function settleQuery(promql: string, expected: number): Promise<number | undefined> {
  let last: number | undefined;
  await pollUntil(
    async () => {
      last = await queryNumber(promql);
      return last === expected;
    },
    { timeoutMs: 20_000, intervalMs: 250, description: `Prometheus to answer ${expected} for ${promql}` },
  ).catch(() => undefined);
  return last;
}

beforeAll(async () => {
  simulation = await Simulation.start({ nodeSpecs: nodes, latencyMs: APPLY_LATENCY_MS, failNodes: [brokenNode], statusQps: 200, statusBurst: 200 });
  metricsUrl = await simulation.coordinatorMetricsUrl();
  prometheus = await startPrometheus([new URL(metricsUrl).host], { scrapeIntervalMs: SCRAPE_INTERVAL_MS, jobName: 'nmfleet-coordinator' });
  await pollUntil(async () => (await queryNumber('up{job="nmfleet-coordinator"}')) === 1, { description: 'the first scrape of the coordinator' });
  await simulation.mark();
  await simulation.applyPolicies(policies);
  await simulation.waitUntilSettled({ timeoutMs: 120_000 });
  // The peak Progressing count Prometheus recorded while the rollout ran.
  progressingSeen = (await queryNumber('max_over_time(nmfleet_enactments{state="Progressing"}[10m])')) ?? 0;
});

afterAll(async () => {
  await prometheus?.stop();
  await simulation?.stop();
});

describe('coordinator metrics under Prometheus', () => {
  it('answers /healthz and /readyz', async () => {
    const healthz = await fetch(`${metricsUrl}/healthz`);
    const readyz = await fetch(`${metricsUrl}/readyz`);
    expect([healthz.status, (await healthz.text()).trim()]).toEqual([200, 'ok']);
    expect([readyz.status, (await readyz.text()).trim()]).toEqual([200, 'ok']);
  });

  it('shows the rollout outcome the API shows: policies and enactments by state', async () => {
    const views = simulation.viewPolicies();
    expect(views.map((view) => [view.name, view.status]).sort()).toEqual([
      ['metrics-broken', 'Degraded'],
      ['metrics-lldp', 'Available'],
      ['metrics-steady', 'Available'],
    ]);
    for (const state of ['Available', 'Degraded', 'Progressing'] as const) {
      const expected = views.filter((view) => view.status === state).length;
      expect(await settleQuery(`nmfleet_policies{state="${state}"}`, expected), state).toBe(expected);
      expect(await settleQuery(`kubernetes_nmstate_policies_status{status="${state}"}`, expected), state).toBe(expected);
    }
    const enactments = simulation.listEnactments();
    for (const state of ['Available', 'Failing', 'Aborted', 'Progressing', 'Pending'] as const) {
      const expected = enactments.filter((enactment) => findCondition(enactment.status?.conditions, state)?.status === 'True').length;
      expect(await settleQuery(`nmfleet_enactments{state="${state}"}`, expected), state).toBe(expected);
      expect(await settleQuery(`sum(kubernetes_nmstate_enactments_status{status="${state}"})`, expected), state).toBe(expected);
    }
    // 2 steady policies × 4 nodes Available; the broken node Failing; its neighbour Aborted.
    expect(enactments).toHaveLength(10);
    expect(await queryNumber(`kubernetes_nmstate_enactments_status{node="${brokenNode}",status="Failing"}`)).toBe(1);
  });

  it('saw the rollout progress while it ran', () => {
    expect(progressingSeen).toBeGreaterThanOrEqual(1);
  });

  it('counts applies, finished jobs, Kubernetes requests and features as they happened', async () => {
    const timeline = simulation.timeline();
    const successes = timeline.filter((entry) => entry.outcome === 'success').length;
    expect(successes).toBe(8);
    expect(await settleQuery('sum(nmfleet_apply_duration_seconds_count{outcome="success"})', successes)).toBe(successes);
    expect(await settleQuery('sum(nmfleet_apply_duration_seconds_count)', timeline.length)).toBe(timeline.length);
    // Every job ran to its report: BullMQ keeps each as completed.
    expect(await settleQuery('nmfleet_queue_jobs{state="completed"}', timeline.length)).toBe(timeline.length);
    expect(await settleQuery('nmfleet_queue_jobs{state="waiting"}', 0)).toBe(0);
    expect(await settleQuery('nmfleet_queue_oldest_waiting_job_age_seconds', 0)).toBe(0);
    // Each enactment was created exactly once.
    const enactments = simulation.listEnactments().length;
    expect(
      await settleQuery('nmfleet_kube_requests_total{verb="create",resource="nodenetworkconfigurationenactments",code="2xx"}', enactments),
    ).toBe(enactments);
    // One report per job, and one state report per node when its agent started.
    const reports = timeline.length + nodes.length;
    expect(await settleQuery('nmfleet_reconcile_total{controller="report",result="success"}', reports)).toBe(reports);
    expect(await queryNumber('nmfleet_leader_status')).toBe(1);
    expect(await settleQuery('kubernetes_nmstate_features_applied{name="lldp"}', 1)).toBe(1);
    expect(await prometheus.query('kubernetes_nmstate_features_applied{name!="lldp"}')).toEqual([]);
    const perNode = await prometheus.query('kubernetes_nmstate_network_interfaces{type="ethernet"}');
    expect(new Set(perNode.map((sample) => sample.metric.node))).toEqual(new Set(nodes.map((node) => node.name)));
  });

  it('puts no node or policy name in any nmfleet_* label', async () => {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    const series = text.split('\n').filter((line) => line.startsWith('nmfleet_'));
    expect(series.length).toBeGreaterThan(100);
    const names = [...nodes.map((node) => node.name), ...policies.map((policy) => policy.metadata?.name ?? '')];
    const leaking = series.filter((line) => names.some((name) => line.includes(`"${name}"`)));
    expect(leaking).toEqual([]);
    // Prometheus agrees: no nmfleet_* series it stored carries a node or policy label.
    expect(await prometheus.query('{__name__=~"nmfleet_.+", node!=""}')).toEqual([]);
    expect(await prometheus.query('{__name__=~"nmfleet_.+", policy!=""}')).toEqual([]);
  });
});
