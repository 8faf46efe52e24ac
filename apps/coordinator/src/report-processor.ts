import type { EnactmentReport, NodeReport, ReportBatch, ReportConsumer } from '@nmfleet/queue';
import {
  PROBE_KINDS,
  countNetworkState,
  type CoordinatorMetrics,
  type Logger,
  type ProbeKind,
  type RollbackReason,
} from '@nmfleet/telemetry';
import type { RolloutEngine } from './rollout-engine.js';
import type { StatusPublisher } from './status-publisher.js';

/** Options of {@link ReportProcessor}. */
export interface ReportProcessorOptions {
  consumer: ReportConsumer;
  engine: RolloutEngine;
  publisher: StatusPublisher;
  metrics?: CoordinatorMetrics;
  logger: Logger;
  now?: () => number;
}

function isProbeKind(kind: string): kind is ProbeKind {
  return (PROBE_KINDS as readonly string[]).includes(kind);
}

function rollbackReasonOf(report: EnactmentReport): RollbackReason | undefined {
  if (!report.rolledBack) return undefined;
  if (report.errorKind === 'probe-failed') return 'probe-failed';
  if (report.errorKind === 'verification-failed') return 'verify-failed';
  if (report.errorKind === 'timeout') return 'timeout';
  return 'apply-error';
}

/**
 * Reads the agents' reports through the consumer group and turns each into a record
 * transition (idempotent: a duplicate of a final record changes nothing), the
 * enactment's status, the node's NodeNetworkState when its state came along, and
 * the next admissions. A batch is acknowledged only after all its transitions.
 */
export class ReportProcessor {
  private readonly now: () => number;

  constructor(private readonly options: ReportProcessorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Takes over the reports a previous leader read but never acknowledged, and handles them. */
  async handleUnacknowledged(): Promise<number> {
    const batch = await this.options.consumer.claimUnacknowledged();
    await this.handleBatch(batch);
    return batch.reports.length;
  }

  /** Reads and handles batches until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const batch = await this.options.consumer.read();
      if (signal.aborted) return;
      await this.handleBatch(batch);
    }
  }

  /** Handles one batch (reports of different nodes concurrently) and acknowledges it. */
  async handleBatch(batch: ReportBatch): Promise<void> {
    for (const malformed of batch.malformed) this.options.logger.error('malformed report dropped', malformed);
    await Promise.all(batch.reports.map((report) => this.handleTimed(report)));
    await this.options.consumer.acknowledge([...batch.reports.map((r) => r.id ?? ''), ...batch.malformed.map((m) => m.id)]);
  }

  private async handleTimed(report: NodeReport): Promise<void> {
    const started = performance.now();
    try {
      await this.handle(report);
      this.options.metrics?.recordReconcile({ controller: 'report', result: 'success', durationSeconds: (performance.now() - started) / 1000 });
    } catch (error) {
      this.options.metrics?.recordReconcile({ controller: 'report', result: 'error', durationSeconds: (performance.now() - started) / 1000 });
      throw error;
    }
  }

  private async handle(report: NodeReport): Promise<void> {
    if (report.state !== undefined) this.options.publisher.nodeState(report.node, report.state);
    try {
      this.recordMetrics(report);
    } catch (error) {
      // A report metrics cannot digest is still a valid outcome; it must not stall the rollout.
      this.options.logger.warn('report metrics skipped', { node: report.node, error });
    }
    if (report.kind === 'state') return;
    await this.options.engine.finishJob(
      {
        policy: report.policy,
        generation: report.generation,
        node: report.node,
        jobId: report.jobId,
        outcome: report.outcome,
        ...(report.error !== undefined ? { error: report.error } : {}),
      },
      { output: report.error ?? '', kind: report.errorKind ?? 'failed' },
    );
  }

  private recordMetrics(report: NodeReport): void {
    const { metrics } = this.options;
    if (metrics === undefined) return;
    if (report.state !== undefined) metrics.setNodeNetworkState(report.node, countNetworkState(report.state));
    if (report.kind === 'state') return;
    metrics.observeReportLag(Math.max(0, (this.now() - report.endedAt) / 1000));
    if (report.outcome !== 'skipped') {
      const outcome = report.outcome === 'available' ? 'success' : report.rolledBack && report.errorKind !== 'operation-failed' ? 'rolled-back' : 'failed';
      metrics.observeApply({ outcome, durationSeconds: Math.max(0, (report.endedAt - report.startedAt) / 1000) });
      for (const probe of report.probes ?? []) {
        if (probe.selected && probe.passed === false && isProbeKind(probe.kind)) metrics.recordProbeFailure({ probe: probe.kind });
      }
      const reason = rollbackReasonOf(report);
      if (reason !== undefined) metrics.recordRollback({ reason });
    }
  }
}
