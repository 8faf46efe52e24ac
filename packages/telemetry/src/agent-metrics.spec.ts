import { describe, expect, it } from 'vitest';
import { createAgentMetrics } from './agent-metrics.js';
import { isTelemetryError } from './errors.js';
import { AGENT_JOB_OUTCOMES, AGENT_PHASES } from './label-values.js';
import { METRIC_NAMES } from './metric-definitions.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { findSampleValue, readSamples } from './testing/read-samples.js';

describe('createAgentMetrics', () => {
  it('starts every outcome and phase at zero', async () => {
    const metrics = createAgentMetrics(createMetricsRegistry({ processMetrics: false }));
    const samples = await readSamples(metrics.registry);
    for (const outcome of AGENT_JOB_OUTCOMES) expect(findSampleValue(samples, METRIC_NAMES.agentJobs, { outcome })).toBe(0);
    for (const phase of AGENT_PHASES) {
      expect(findSampleValue(samples, `${METRIC_NAMES.agentPhaseDuration}_count`, { phase })).toBe(0);
    }
  });

  it('counts jobs, times applies except skipped jobs, and times phases', async () => {
    const metrics = createAgentMetrics(createMetricsRegistry({ processMetrics: false }));
    metrics.recordJob({ node: 'sim-node-001', policy: 'p', outcome: 'success', applySeconds: 0.2 });
    metrics.recordJob({ node: 'sim-node-002', policy: 'p', outcome: 'skipped' });
    metrics.observePhase({ node: 'sim-node-001', phase: 'checkpoint', durationSeconds: 0.002 });
    metrics.recordProbeFailure({ probe: 'redis' });
    metrics.recordRollback({ reason: 'stale-checkpoint' });
    const samples = await readSamples(metrics.registry);
    expect(findSampleValue(samples, METRIC_NAMES.agentJobs, { outcome: 'success' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.agentJobs, { outcome: 'skipped' })).toBe(1);
    expect(findSampleValue(samples, `${METRIC_NAMES.agentApplyDuration}_count`, { outcome: 'success' })).toBe(1);
    expect(
      findSampleValue(samples, `${METRIC_NAMES.agentPhaseDuration}_bucket`, { phase: 'checkpoint', le: '0.0025' }),
    ).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.agentProbeFailures, { probe: 'redis' })).toBe(1);
    expect(findSampleValue(samples, METRIC_NAMES.agentRollbacks, { reason: 'stale-checkpoint' })).toBe(1);
    expect(samples.some((sample) => Object.values(sample.labels).some((value) => value.startsWith('sim-node')))).toBe(false);
  });

  it('refuses a finished apply without its duration, before counting it', async () => {
    const metrics = createAgentMetrics(createMetricsRegistry({ processMetrics: false }));
    expect(() => metrics.recordJob({ outcome: 'failed' })).toThrow(/apply duration must be a finite number/);
    let caught: unknown;
    try {
      metrics.observePhase({ phase: 'sleep' as never, durationSeconds: 1 });
    } catch (error) {
      caught = error;
    }
    expect(isTelemetryError(caught, 'invalid-label-value')).toBe(true);
    const samples = await readSamples(metrics.registry);
    expect(findSampleValue(samples, METRIC_NAMES.agentJobs, { outcome: 'failed' })).toBe(0);
  });
});
