import { describe, expect, it, vi } from 'vitest';
import { createCoordinatorMetrics, type CoordinatorMetrics } from './coordinator-metrics.js';
import { isTelemetryError } from './errors.js';
import {
  CONTROLLER_NAMES,
  ENACTMENT_STATES,
  KUBE_CODES,
  KUBE_RESOURCES,
  KUBE_VERBS,
  POLICY_CONDITION_TYPES,
  POLICY_STATES,
  QUEUE_JOB_STATES,
  type EnactmentState,
} from './label-values.js';
import { COORDINATOR_METRIC_DEFINITIONS, METRIC_NAMES } from './metric-definitions.js';
import { enumerateClosedLabelSets } from './metric-factory.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { countNetworkState } from './network-state-counts.js';
import { findSampleValue, readSamples } from './testing/read-samples.js';
import type { MetricSample } from './testing/prometheus-text.js';

function setUp(): { metrics: CoordinatorMetrics; scrape: () => Promise<MetricSample[]> } {
  const metrics = createCoordinatorMetrics(createMetricsRegistry({ processMetrics: false }));
  return { metrics, scrape: () => readSamples(metrics.registry) };
}

function expectTelemetryError(action: () => unknown, kind: string, messagePart: string): void {
  try {
    action();
  } catch (error) {
    expect(isTelemetryError(error)).toBe(true);
    expect((error as { kind: string }).kind).toBe(kind);
    expect((error as Error).message).toContain(messagePart);
    return;
  }
  throw new Error('expected a TelemetryError');
}

/** The series of one metric family: for histograms, one per label set (its `_count`). */
function selectSeries(samples: readonly MetricSample[], name: string): MetricSample[] {
  return samples.filter((sample) => sample.name === name || sample.name === `${name}_count`);
}

describe('createCoordinatorMetrics', () => {
  it('pre-initialises every closed label combination of every metric to zero', async () => {
    const { scrape } = setUp();
    const samples = await scrape();
    for (const definition of Object.values(COORDINATOR_METRIC_DEFINITIONS)) {
      const combinations = enumerateClosedLabelSets(definition);
      const series = selectSeries(samples, definition.name);
      expect(series.length, definition.name).toBe(combinations.length);
      for (const labels of combinations) {
        const sampleName = definition.type === 'histogram' ? `${definition.name}_count` : definition.name;
        expect(findSampleValue(samples, sampleName, labels), `${definition.name} ${JSON.stringify(labels)}`).toBe(0);
      }
    }
    // The open-labelled upstream gauges start empty, as upstream's do.
    expect(selectSeries(samples, 'kubernetes_nmstate_enactments_status')).toHaveLength(0);
    expect(selectSeries(samples, 'kubernetes_nmstate_network_interfaces')).toHaveLength(0);
  });

  it('exposes the full verb × resource × code matrix of Kubernetes requests', async () => {
    const { scrape } = setUp();
    const series = selectSeries(await scrape(), METRIC_NAMES.kubeRequests);
    expect(series).toHaveLength(KUBE_VERBS.length * KUBE_RESOURCES.length * KUBE_CODES.length);
    expect(findSampleValue(series, METRIC_NAMES.kubeRequests, { verb: 'patch', resource: 'nodenetworkstates', code: '429' })).toBe(0);
  });

  it('refuses a second set of metrics on the same registry, and keeps two registries apart', async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    createCoordinatorMetrics(registry);
    expectTelemetryError(() => createCoordinatorMetrics(registry), 'already-registered', 'nmfleet_policies');

    const first = setUp();
    const second = setUp();
    first.metrics.setLeader(true);
    expect(findSampleValue(await first.scrape(), METRIC_NAMES.leader)).toBe(1);
    expect(findSampleValue(await second.scrape(), METRIC_NAMES.leader)).toBe(0);
  });

  it('counts policies by their True condition, Pending when none, and mirrors upstream without Pending', async () => {
    const { metrics, scrape } = setUp();
    metrics.setPolicyStates([
      { name: 'a', state: 'Available' },
      { name: 'b', state: 'Available' },
      { name: 'c', state: 'Degraded' },
      { name: 'd', state: undefined },
      { name: 'e', state: 'Progressing' },
      { name: 'f', state: 'Pending' },
    ]);
    let samples = await scrape();
    const ours = (state: string) => findSampleValue(samples, METRIC_NAMES.policies, { state });
    const upstream = (status: string) => findSampleValue(samples, METRIC_NAMES.upstreamPoliciesStatus, { status });
    expect(POLICY_STATES.map(ours)).toEqual([2, 1, 1, 2]);
    expect(POLICY_CONDITION_TYPES.map(upstream)).toEqual([2, 1, 1]);
    expect(selectSeries(samples, METRIC_NAMES.upstreamPoliciesStatus)).toHaveLength(3);

    metrics.setPolicyStates([]);
    samples = await scrape();
    expect(POLICY_STATES.map(ours)).toEqual([0, 0, 0, 0]);
  });

  it('refuses an unknown policy state before changing anything', async () => {
    const { metrics, scrape } = setUp();
    metrics.setPolicyStates([{ state: 'Available' }]);
    expectTelemetryError(
      () => metrics.setPolicyStates([{ state: 'Degraded' }, { state: 'Broken' as never }]),
      'invalid-label-value',
      '"Available", "Degraded", "Progressing", "Pending"',
    );
    const samples = await scrape();
    expect(findSampleValue(samples, METRIC_NAMES.policies, { state: 'Available' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.policies, { state: 'Degraded' })).toBe(0);
  });

  it('counts enactments in total and per node for upstream, and drops nodes that left', async () => {
    const { metrics, scrape } = setUp();
    metrics.setEnactmentStates([
      { node: 'n1', policy: 'p1', state: 'Available' },
      { node: 'n1', policy: 'p2', state: 'Failing' },
      { node: 'n2', policy: 'p1', state: 'Available' },
      { node: 'n3', policy: 'p1', state: undefined },
    ]);
    let samples = await scrape();
    const total = (state: EnactmentState) => findSampleValue(samples, METRIC_NAMES.enactments, { state });
    const perNode = (node: string, status: EnactmentState) =>
      findSampleValue(samples, METRIC_NAMES.upstreamEnactmentsStatus, { node, status });
    expect(ENACTMENT_STATES.map(total)).toEqual([2, 1, 0, 0, 0]);
    expect(ENACTMENT_STATES.map((state) => perNode('n1', state))).toEqual([1, 1, 0, 0, 0]);
    expect(ENACTMENT_STATES.map((state) => perNode('n2', state))).toEqual([1, 0, 0, 0, 0]);
    // A node whose enactments have no True condition yet shows zeros, as upstream.
    expect(ENACTMENT_STATES.map((state) => perNode('n3', state))).toEqual([0, 0, 0, 0, 0]);

    metrics.setEnactmentStates([{ node: 'n2', state: 'Progressing' }]);
    samples = await scrape();
    expect(selectSeries(samples, METRIC_NAMES.upstreamEnactmentsStatus)).toHaveLength(ENACTMENT_STATES.length);
    expect(perNode('n2', 'Progressing')).toBe(1);
    expect(perNode('n1', 'Available')).toBeUndefined();
    expect(ENACTMENT_STATES.map(total)).toEqual([0, 0, 1, 0, 0]);
  });

  it('refuses an enactment without a node', () => {
    const { metrics } = setUp();
    expectTelemetryError(() => metrics.setEnactmentStates([{ node: '', state: 'Pending' }]), 'invalid-label-value', 'node');
  });

  it('sets queue depth by state (missing states are zero) and the oldest waiting job age', async () => {
    const { metrics, scrape } = setUp();
    metrics.setQueueJobs({ waiting: 7, active: 3, failed: 1 });
    metrics.setOldestWaitingJobAge(12.5);
    let samples = await scrape();
    expect(QUEUE_JOB_STATES.map((state) => findSampleValue(samples, METRIC_NAMES.queueJobs, { state }))).toEqual([7, 3, 0, 0, 1]);
    expect(findSampleValue(samples, METRIC_NAMES.queueOldestWaitingJobAge)).toBe(12.5);

    metrics.setOldestWaitingJobAge(undefined);
    samples = await scrape();
    expect(findSampleValue(samples, METRIC_NAMES.queueOldestWaitingJobAge)).toBe(0);

    expectTelemetryError(() => metrics.setQueueJobs({ waiting: -1 }), 'invalid-value', 'jobs in state waiting');
    expectTelemetryError(() => metrics.setQueueJobs({ paused: 1 } as never), 'invalid-label-value', '"waiting"');
    expectTelemetryError(() => metrics.setOldestWaitingJobAge(Number.NaN), 'invalid-value', 'oldest waiting job age');
  });

  it('puts apply durations into the buckets they fall in, by outcome', async () => {
    const { metrics, scrape } = setUp();
    metrics.observeApply({ node: 'n1', policy: 'p', outcome: 'success', durationSeconds: 0.2 });
    metrics.observeApply({ node: 'n2', policy: 'p', outcome: 'success', durationSeconds: 45 });
    metrics.observeApply({ node: 'n3', policy: 'p', outcome: 'rolled-back', durationSeconds: 700 });
    const samples = await scrape();
    const bucket = (outcome: string, le: string) =>
      findSampleValue(samples, `${METRIC_NAMES.applyDuration}_bucket`, { outcome, le });
    expect(bucket('success', '0.1')).toBe(0);
    expect(bucket('success', '0.25')).toBe(1);
    expect(bucket('success', '30')).toBe(1);
    expect(bucket('success', '60')).toBe(2);
    expect(bucket('rolled-back', '600')).toBe(0);
    expect(bucket('rolled-back', '+Inf')).toBe(1);
    expect(findSampleValue(samples, `${METRIC_NAMES.applyDuration}_sum`, { outcome: 'success' })).toBeCloseTo(45.2);
    expect(findSampleValue(samples, `${METRIC_NAMES.applyDuration}_count`, { outcome: 'failed' })).toBe(0);
    expectTelemetryError(
      () => metrics.observeApply({ outcome: 'success', durationSeconds: -0.1 }),
      'invalid-value',
      'apply duration',
    );
    expectTelemetryError(
      () => metrics.observeApply({ outcome: 'ok' as never, durationSeconds: 1 }),
      'invalid-label-value',
      '"success", "rolled-back", "failed"',
    );
  });

  it('counts probe failures and rollbacks by their kind', async () => {
    const { metrics, scrape } = setUp();
    metrics.recordProbeFailure({ probe: 'dns', node: 'n1' });
    metrics.recordProbeFailure({ probe: 'dns', node: 'n2' });
    metrics.recordProbeFailure({ probe: 'api-server', node: 'n1' });
    metrics.recordRollback({ reason: 'probe-failed', node: 'n1', policy: 'p' });
    const samples = await scrape();
    expect(findSampleValue(samples, METRIC_NAMES.probeFailures, { probe: 'dns' })).toBe(2);
    expect(findSampleValue(samples, METRIC_NAMES.probeFailures, { probe: 'api-server' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.probeFailures, { probe: 'gateway' })).toBe(0);
    expect(findSampleValue(samples, METRIC_NAMES.rollbacks, { reason: 'probe-failed' })).toBe(1);
    expectTelemetryError(() => metrics.recordProbeFailure({ probe: 'ntp' as never }), 'invalid-label-value', '"gateway"');
    expectTelemetryError(() => metrics.recordRollback({ reason: 'oops' as never }), 'invalid-label-value', '"timeout"');
  });

  it('counts and times Kubernetes requests with normalised labels', async () => {
    const { metrics, scrape } = setUp();
    const onRequest = metrics.recordKubeRequest;
    onRequest({ verb: 'patch', resource: 'nodenetworkconfigurationenactments/status', code: 200, durationSeconds: 0.02 });
    onRequest({ verb: 'POST', resource: 'NodeNetworkConfigurationEnactment', code: 201, durationSeconds: 0.03 });
    onRequest({ verb: 'apply', resource: 'nodenetworkstates', code: 429, durationSeconds: 0.001 });
    onRequest({ verb: 'watch', resource: 'nodes', code: 200, durationSeconds: 0.004 });
    onRequest({ verb: 'get', resource: 'configmaps', code: 0 });
    onRequest({ verb: 'list', resource: 'leases', code: undefined });
    const samples = await scrape();
    const requests = (verb: string, resource: string, code: string) =>
      findSampleValue(samples, METRIC_NAMES.kubeRequests, { verb, resource, code });
    expect(requests('patch', 'nodenetworkconfigurationenactments', '2xx')).toBe(1);
    expect(requests('create', 'nodenetworkconfigurationenactments', '2xx')).toBe(1);
    expect(requests('apply', 'nodenetworkstates', '429')).toBe(1);
    expect(requests('watch', 'nodes', '2xx')).toBe(1);
    expect(requests('get', 'other', 'error')).toBe(1);
    expect(requests('list', 'leases', 'error')).toBe(1);
    const count = (verb: string) => findSampleValue(samples, `${METRIC_NAMES.kubeRequestDuration}_count`, { verb });
    expect(['patch', 'create', 'apply', 'watch', 'get'].map(count)).toEqual([1, 1, 1, 1, 0]);
    expect(
      findSampleValue(samples, `${METRIC_NAMES.kubeRequestDuration}_bucket`, { verb: 'watch', le: '0.005' }),
    ).toBe(1);
    expectTelemetryError(
      () => onRequest({ verb: 'get', resource: 'nodes', code: 200, durationSeconds: -1 }),
      'invalid-value',
      'request duration',
    );
  });

  it('records the status writer through its hooks: outcome, coalescing, wait, latency, pending, 429 pauses', async () => {
    const { metrics, scrape } = setUp();
    const hooks = metrics.statusWriterHooks;
    hooks.onWriteCompleted({
      resource: 'nodenetworkconfigurationenactments',
      outcome: 'written',
      waitSeconds: 0.4,
      latencySeconds: 0.45,
      submissions: 3,
    });
    hooks.onWriteCompleted({ resource: 'nodenetworkstates', outcome: 'unchanged', waitSeconds: 0, latencySeconds: 0, submissions: 1 });
    hooks.onWriteCompleted({ resource: 'configmaps', outcome: 'failed' });
    hooks.onPendingChange(42);
    hooks.onThrottled({ retryAfterSeconds: 2 });
    hooks.onThrottled({ retryAfterSeconds: 1 });
    const samples = await scrape();
    const enactments = { resource: 'nodenetworkconfigurationenactments' };
    expect(findSampleValue(samples, METRIC_NAMES.statusWrites, { ...enactments, outcome: 'written' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.statusWrites, { resource: 'nodenetworkstates', outcome: 'unchanged' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.statusWrites, { resource: 'other', outcome: 'failed' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.statusWritesCoalesced, enactments)).toBe(2);
    expect(findSampleValue(samples, `${METRIC_NAMES.statusWriteWait}_bucket`, { ...enactments, le: '0.5' })).toBe(1);
    expect(findSampleValue(samples, `${METRIC_NAMES.statusWriteWait}_bucket`, { ...enactments, le: '0.25' })).toBe(0);
    expect(findSampleValue(samples, `${METRIC_NAMES.statusWriteLatency}_sum`, enactments)).toBeCloseTo(0.45);
    expect(findSampleValue(samples, `${METRIC_NAMES.statusWriteLatency}_count`, { resource: 'other' })).toBe(0);
    expect(findSampleValue(samples, METRIC_NAMES.statusWritesPending)).toBe(42);
    expect(findSampleValue(samples, METRIC_NAMES.statusWriterThrottles)).toBe(2);
    expect(findSampleValue(samples, METRIC_NAMES.statusWriterThrottledSeconds)).toBe(3);
    expectTelemetryError(
      () => hooks.onWriteCompleted({ resource: 'nodenetworkstates', outcome: 'lost' as never }),
      'invalid-label-value',
      '"written", "unchanged", "not-found", "failed", "discarded"',
    );
    expectTelemetryError(() => metrics.setPendingStatusWrites(Number.POSITIVE_INFINITY), 'invalid-value', 'pending status writes');
  });

  it('sets the leader gauge', async () => {
    const { metrics, scrape } = setUp();
    metrics.setLeader(true);
    expect(findSampleValue(await scrape(), METRIC_NAMES.leader)).toBe(1);
    metrics.setLeader(false);
    expect(findSampleValue(await scrape(), METRIC_NAMES.leader)).toBe(0);
  });

  it('counts reconciles by result, errors separately, and times them', async () => {
    const { metrics, scrape } = setUp();
    metrics.recordReconcile({ controller: 'policy', result: 'success', durationSeconds: 0.002 });
    metrics.recordReconcile({ controller: 'policy', result: 'error', durationSeconds: 0.004 });
    metrics.recordReconcile({ controller: 'report', result: 'requeue' });
    const samples = await scrape();
    expect(findSampleValue(samples, METRIC_NAMES.reconciles, { controller: 'policy', result: 'success' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.reconciles, { controller: 'policy', result: 'error' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.reconciles, { controller: 'report', result: 'requeue' })).toBe(1);
    expect(CONTROLLER_NAMES.map((controller) => findSampleValue(samples, METRIC_NAMES.reconcileErrors, { controller }))).toEqual([
      1, 0, 0,
    ]);
    expect(findSampleValue(samples, `${METRIC_NAMES.reconcileDuration}_count`, { controller: 'policy' })).toBe(2);
    expect(findSampleValue(samples, `${METRIC_NAMES.reconcileDuration}_count`, { controller: 'report' })).toBe(0);
    expectTelemetryError(
      () => metrics.recordReconcile({ controller: 'lease' as never, result: 'success' }),
      'invalid-label-value',
      '"policy", "node", "report"',
    );
  });

  it('observes report lag, counting a negative lag from clock skew as zero', async () => {
    const { metrics, scrape } = setUp();
    metrics.observeReportLag(0.03);
    metrics.observeReportLag(-2);
    const samples = await scrape();
    expect(findSampleValue(samples, `${METRIC_NAMES.reportLag}_bucket`, { le: '0.001' })).toBe(1);
    expect(findSampleValue(samples, `${METRIC_NAMES.reportLag}_bucket`, { le: '0.05' })).toBe(2);
    expect(findSampleValue(samples, `${METRIC_NAMES.reportLag}_sum`)).toBeCloseTo(0.03);
    expectTelemetryError(() => metrics.observeReportLag(Number.NaN), 'invalid-value', 'report lag');
  });

  it('shows each applied feature once, and removes features no longer applied', async () => {
    const { metrics, scrape } = setUp();
    metrics.setFeaturesApplied(['dhcpv4-custom-hostname', 'static_dns_search', 'dhcpv4-custom-hostname']);
    let samples = await scrape();
    expect(findSampleValue(samples, METRIC_NAMES.upstreamFeaturesApplied, { name: 'dhcpv4-custom-hostname' })).toBe(1);
    expect(selectSeries(samples, METRIC_NAMES.upstreamFeaturesApplied)).toHaveLength(2);
    metrics.setFeaturesApplied(['static_dns_search']);
    samples = await scrape();
    expect(selectSeries(samples, METRIC_NAMES.upstreamFeaturesApplied).map((sample) => sample.labels)).toEqual([
      { name: 'static_dns_search' },
    ]);
  });

  it('sets interface and route counts per node, replaces them, and removes a node', async () => {
    const { metrics, scrape } = setUp();
    metrics.setNodeNetworkState(
      'n1',
      countNetworkState({
        interfaces: [
          { name: 'eth0', type: 'ethernet' },
          { name: 'eth1', type: 'ethernet' },
          { name: 'br0', type: 'linux-bridge' },
        ],
        routes: {
          config: [{ destination: '0.0.0.0/0' }],
          running: [{ destination: '0.0.0.0/0' }, { destination: '192.0.2.0/24' }, { destination: 'fe80::/64' }],
        },
      }),
    );
    metrics.setNodeNetworkState('n2', countNetworkState({ interfaces: [{ name: 'eth0', type: 'ethernet' }] }));
    let samples = await scrape();
    const interfaces = (node: string, type: string) =>
      findSampleValue(samples, METRIC_NAMES.upstreamNetworkInterfaces, { node, type });
    const routes = (node: string, ipStack: string, type: string) =>
      findSampleValue(samples, METRIC_NAMES.upstreamRoutes, { node, ip_stack: ipStack, type });
    expect(interfaces('n1', 'ethernet')).toBe(2);
    expect(interfaces('n1', 'linux-bridge')).toBe(1);
    expect(routes('n1', 'ipv4', 'static')).toBe(1);
    expect(routes('n1', 'ipv4', 'dynamic')).toBe(1);
    expect(routes('n1', 'ipv6', 'dynamic')).toBe(1);
    expect(routes('n1', 'ipv6', 'static')).toBeUndefined();
    expect(selectSeries(samples, METRIC_NAMES.upstreamRoutes).filter((s) => s.labels['node'] === 'n2')).toHaveLength(0);

    metrics.setNodeNetworkState('n1', countNetworkState({ interfaces: [{ name: 'eth0', type: 'ethernet' }] }));
    samples = await scrape();
    expect(interfaces('n1', 'ethernet')).toBe(1);
    expect(interfaces('n1', 'linux-bridge')).toBeUndefined();
    expect(routes('n1', 'ipv4', 'static')).toBeUndefined();

    metrics.deleteNodeNetworkState('n1');
    samples = await scrape();
    expect(selectSeries(samples, METRIC_NAMES.upstreamNetworkInterfaces).map((sample) => sample.labels)).toEqual([
      { type: 'ethernet', node: 'n2' },
    ]);
  });

  it('runs collect hooks once per scrape, before any metric is read', async () => {
    const { metrics, scrape } = setUp();
    let calls = 0;
    metrics.onCollect(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      metrics.setQueueJobs({ waiting: calls * 10 });
      metrics.setPolicyStates([{ state: 'Available' }]);
    });
    let samples = await scrape();
    expect(calls).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.queueJobs, { state: 'waiting' })).toBe(10);
    expect(findSampleValue(samples, METRIC_NAMES.policies, { state: 'Available' })).toBe(1);
    samples = await scrape();
    expect(calls).toBe(2);
    expect(findSampleValue(samples, METRIC_NAMES.queueJobs, { state: 'waiting' })).toBe(20);
  });

  it('serves the previous values when a collect hook fails, and counts the failure', async () => {
    const onCollectError = vi.fn();
    const metrics = createCoordinatorMetrics(createMetricsRegistry({ processMetrics: false }), { onCollectError });
    metrics.setQueueJobs({ waiting: 3 });
    const remove = metrics.onCollect(() => {
      throw new Error('redis unreachable');
    });
    let samples = await readSamples(metrics.registry);
    expect(findSampleValue(samples, METRIC_NAMES.queueJobs, { state: 'waiting' })).toBe(3);
    expect(onCollectError).toHaveBeenCalledTimes(1);
    expect((onCollectError.mock.calls[0]?.[0] as Error).message).toBe('redis unreachable');
    samples = await readSamples(metrics.registry);
    expect(findSampleValue(samples, METRIC_NAMES.collectErrors)).toBeGreaterThanOrEqual(1);

    remove();
    onCollectError.mockClear();
    await readSamples(metrics.registry);
    expect(onCollectError).not.toHaveBeenCalled();
  });
});

describe('cardinality guard', () => {
  const NODES = Array.from({ length: 1000 }, (_, i) => `worker-${String(i).padStart(4, '0')}.example.com`);
  const POLICIES = Array.from({ length: 500 }, (_, i) => `policy-${i}`);

  /** Feeds every recording function, with the given node and policy names. */
  function feed(metrics: CoordinatorMetrics, nodes: readonly string[], policies: readonly string[]): void {
    metrics.setPolicyStates(policies.map((name, i) => ({ name, state: POLICY_STATES[i % POLICY_STATES.length] })));
    const enactments = nodes.flatMap((node, n) =>
      policies
        .filter((_, p) => (n + p) % 50 === 0)
        .map((policy, i) => ({ node, policy, state: ENACTMENT_STATES[(n + i) % ENACTMENT_STATES.length] })),
    );
    metrics.setEnactmentStates(enactments);
    metrics.setQueueJobs({ waiting: nodes.length, active: policies.length });
    metrics.setOldestWaitingJobAge(nodes.length / 10);
    metrics.setFeaturesApplied(['dhcpv4-custom-hostname']);
    nodes.forEach((node, n) => {
      const policy = policies[n % policies.length] ?? '';
      metrics.observeApply({ node, policy, outcome: n % 7 === 0 ? 'rolled-back' : 'success', durationSeconds: n / 100 });
      metrics.recordProbeFailure({ node, policy, probe: 'gateway' });
      metrics.recordRollback({ node, policy, reason: 'verify-failed' });
      metrics.recordKubeRequest({ verb: 'patch', resource: 'nodenetworkconfigurationenactments/status', code: 200, durationSeconds: 0.01 });
      metrics.recordKubeRequest({ verb: 'create', resource: 'nodenetworkstates', code: 409 });
      metrics.recordStatusWrite({
        resource: 'nodenetworkconfigurationenactments',
        outcome: 'written',
        waitSeconds: n / 1000,
        latencySeconds: n / 500,
        submissions: 1 + (n % 3),
      });
      metrics.recordStatusWriterThrottle({ retryAfterSeconds: 1 });
      metrics.recordReconcile({ controller: 'node', result: 'success', durationSeconds: 0.001 });
      metrics.observeReportLag(0.01);
      metrics.setNodeNetworkState(
        node,
        countNetworkState({
          interfaces: [{ type: 'ethernet' }, { type: 'ethernet' }, { type: 'linux-bridge' }],
          routes: { config: [{ destination: '0.0.0.0/0' }], running: [{ destination: '0.0.0.0/0' }, { destination: '::/0' }] },
        }),
      );
    });
    policies.forEach(() => metrics.recordReconcile({ controller: 'policy', result: 'error' }));
    metrics.setPendingStatusWrites(policies.length);
    metrics.setLeader(true);
  }

  function countSeries(samples: readonly MetricSample[], prefix: string): number {
    return samples.filter((sample) => sample.name.startsWith(prefix)).length;
  }

  it('keeps the nmfleet_* series count independent of 1,000 nodes and 500 policies', async () => {
    const small = setUp();
    feed(small.metrics, NODES.slice(0, 1), POLICIES.slice(0, 1));
    const large = setUp();
    feed(large.metrics, NODES, POLICIES);
    const smallSamples = await small.scrape();
    const largeSamples = await large.scrape();

    expect(countSeries(largeSamples, 'nmfleet_')).toBe(countSeries(smallSamples, 'nmfleet_'));
    for (const sample of largeSamples.filter((s) => s.name.startsWith('nmfleet_'))) {
      const values = Object.values(sample.labels);
      expect(values.some((value) => NODES.includes(value) || POLICIES.includes(value)), sample.name).toBe(false);
    }
    // The values are the large run's, not a series count that stayed flat because nothing was recorded.
    expect(findSampleValue(largeSamples, METRIC_NAMES.probeFailures, { probe: 'gateway' })).toBe(NODES.length);
    expect(findSampleValue(largeSamples, METRIC_NAMES.reconcileErrors, { controller: 'policy' })).toBe(POLICIES.length);
  });

  it('lets only upstream per-node gauges grow, linearly in nodes and never with policies', async () => {
    const fewPolicies = setUp();
    feed(fewPolicies.metrics, NODES, POLICIES.slice(0, 50));
    const manyPolicies = setUp();
    feed(manyPolicies.metrics, NODES, POLICIES);
    const few = await fewPolicies.scrape();
    const many = await manyPolicies.scrape();

    const enactmentSeries = (samples: readonly MetricSample[]) =>
      countSeries(samples, METRIC_NAMES.upstreamEnactmentsStatus);
    expect(enactmentSeries(many)).toBe(NODES.length * ENACTMENT_STATES.length);
    expect(enactmentSeries(few)).toBe(enactmentSeries(many));
    expect(countSeries(many, METRIC_NAMES.upstreamNetworkInterfaces)).toBe(NODES.length * 2);
    expect(countSeries(many, METRIC_NAMES.upstreamRoutes)).toBe(NODES.length * 2);
    expect(countSeries(many, 'kubernetes_nmstate_')).toBe(countSeries(few, 'kubernetes_nmstate_'));
  });
});
