import { startPrometheus, type PrometheusHandle } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoordinatorMetrics, type CoordinatorMetrics } from './coordinator-metrics.js';
import { METRIC_NAMES } from './metric-definitions.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { startTelemetryServer, type TelemetryServer } from './telemetry-server.js';

const SCRAPE_INTERVAL_MS = 200;
const JOB = 'nmfleet-telemetry';

/** Polls `read` until `accept` holds or the deadline passes; returns the last value read. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SCRAPE_INTERVAL_MS));
    value = await read();
  }
  return value;
}

describe('a real Prometheus scraping the telemetry server', () => {
  let metrics: CoordinatorMetrics;
  let server: TelemetryServer;
  let prometheus: PrometheusHandle;
  let collectRuns = 0;

  async function queryValue(promql: string): Promise<number | undefined> {
    const [sample] = await prometheus.query(promql);
    return sample === undefined ? undefined : Number(sample.value[1]);
  }

  beforeAll(async () => {
    metrics = createCoordinatorMetrics(createMetricsRegistry());
    metrics.onCollect(() => {
      collectRuns += 1;
      metrics.setQueueJobs({ waiting: collectRuns });
    });
    metrics.setLeader(true);
    metrics.recordProbeFailure({ probe: 'dns', node: 'worker-1' });
    metrics.recordKubeRequest({ verb: 'patch', resource: 'nodenetworkstates/status', code: 429, durationSeconds: 0.01 });
    metrics.observeApply({ node: 'worker-1', policy: 'br1', outcome: 'success', durationSeconds: 0.2 });
    metrics.setEnactmentStates([
      { node: 'worker-1', policy: 'br1', state: 'Available' },
      { node: 'worker-2', policy: 'br1', state: 'Failing' },
    ]);
    server = await startTelemetryServer({ host: '127.0.0.1', port: 0, registry: metrics.registry });
    prometheus = await startPrometheus([`127.0.0.1:${server.port}`], { scrapeIntervalMs: SCRAPE_INTERVAL_MS, jobName: JOB });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  it('scrapes the endpoint and answers queries with the values recorded', async () => {
    expect(await eventually(() => queryValue(`up{job="${JOB}"}`), (value) => value === 1)).toBe(1);
    expect(await queryValue(`${METRIC_NAMES.probeFailures}{probe="dns"}`)).toBe(1);
    expect(await queryValue(`${METRIC_NAMES.leader}`)).toBe(1);
    expect(await queryValue(`${METRIC_NAMES.kubeRequests}{verb="patch",resource="nodenetworkstates",code="429"}`)).toBe(1);
    expect(await queryValue(`${METRIC_NAMES.applyDuration}_bucket{outcome="success",le="0.25"}`)).toBe(1);
    expect(await queryValue(`${METRIC_NAMES.upstreamEnactmentsStatus}{node="worker-2",status="Failing"}`)).toBe(1);
    expect(await queryValue(`sum(${METRIC_NAMES.upstreamEnactmentsStatus})`)).toBe(2);
    // No nmfleet_* series carries a node name, even though node names were recorded.
    expect(await queryValue(`count({__name__=~"nmfleet_.+", node!=""})`)).toBeUndefined();
  });

  it('runs the collect hook on each scrape', async () => {
    const first = await eventually(() => queryValue(`${METRIC_NAMES.queueJobs}{state="waiting"}`), (value) => (value ?? 0) >= 1);
    const later = await eventually(
      () => queryValue(`${METRIC_NAMES.queueJobs}{state="waiting"}`),
      (value) => (value ?? 0) > (first ?? 0),
    );
    expect(later).toBeGreaterThan(first ?? 0);
  });

  it('sees the first event of a counter in increase(), because its series existed at zero before', async () => {
    // The series must already be in Prometheus at 0 when the event happens.
    expect(
      await eventually(() => queryValue(`${METRIC_NAMES.rollbacks}{reason="timeout"}`), (value) => value === 0),
    ).toBe(0);
    metrics.recordRollback({ reason: 'timeout', node: 'worker-3', policy: 'br1' });
    const increase = await eventually(
      () => queryValue(`increase(${METRIC_NAMES.rollbacks}{reason="timeout"}[1m])`),
      (value) => (value ?? 0) > 0,
    );
    expect(increase).toBeGreaterThan(0);
  });
});
