import { BackendError, DEFAULT_ROLLBACK_TIMEOUT_SECONDS, type NetworkBackend } from '@nmfleet/nm-backend';
import type { AgentLedger, EnactmentJob, EnactmentReport, ProbeResult } from '@nmfleet/queue';
import { PROBE_KINDS, type AgentMetrics, type Logger, type ProbeKind, type RollbackReason } from '@nmfleet/telemetry';
import type { NodeStateTracker } from './node-state-tracker.js';
import { PROBE_TIMEOUT_MS, type Probe } from './probes/probe.js';
import { runSelectedProbes, selectProbes } from './probes/select-probes.js';

/** Default of {@link EnactmentProcessorOptions.probeRetryWindowMs}. */
export const PROBE_RETRY_WINDOW_MS = 10_000;

/** Default of {@link EnactmentProcessorOptions.probeRetryIntervalMs}. */
export const PROBE_RETRY_INTERVAL_MS = 500;

type DesiredState = Parameters<NetworkBackend['apply']>[0];

/** Options of {@link createEnactmentProcessor}. */
export interface EnactmentProcessorOptions {
  node: string;
  backend: NetworkBackend;
  ledger: AgentLedger;
  probes: readonly Probe[];
  state: NodeStateTracker;
  logger: Logger;
  metrics?: AgentMetrics;
  /** Rollback timeout of the checkpoint, in seconds. Default: nm-backend's `DEFAULT_ROLLBACK_TIMEOUT_SECONDS` (60). */
  rollbackTimeoutSeconds?: number;
  /** Deadline of one probe run, in milliseconds. Default: {@link PROBE_TIMEOUT_MS}. */
  probeTimeoutMs?: number;
  /** How long a selected probe that fails after the change is retried, in milliseconds. Default: {@link PROBE_RETRY_WINDOW_MS}. */
  probeRetryWindowMs?: number;
  /** Pause between those retries, in milliseconds. Default: {@link PROBE_RETRY_INTERVAL_MS}. */
  probeRetryIntervalMs?: number;
  /** Told which job a node is applying, e.g. for the simulator's timeline. */
  onJobStart?: (job: EnactmentJob) => void;
  now?: () => number;
}

function isProbeKind(kind: string): kind is ProbeKind {
  return (PROBE_KINDS as readonly string[]).includes(kind);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function rollbackReasonOf(error: BackendError): RollbackReason {
  if (error.kind === 'verification-failed') return 'verify-failed';
  if (error.kind === 'timeout') return 'timeout';
  return 'apply-error';
}

/** What handling a job left behind. */
export interface ProcessedJob {
  /** The node's state as JSON (what was reported), when the job changed it. */
  stateJson?: string;
}

/**
 * The agent's handling of one job: check the record (skip what is superseded or
 * already reported), roll back stale checkpoints, select the probes that pass now,
 * apply without committing, run the selected probes, commit or roll back, and
 * report the outcome with the node's state when it changed. Every failure of the
 * change itself ends as a `failing` report; only an unreachable Redis makes it
 * wait (the report is the one thing that must not be lost).
 */
export function createEnactmentProcessor(options: EnactmentProcessorOptions): (job: EnactmentJob) => Promise<ProcessedJob> {
  const now = options.now ?? Date.now;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const { backend, ledger, node } = options;

  return async (job) => {
    const { policy, generation } = job.data;
    const log = options.logger.child({ node, policy, generation, jobId: job.id });
    const claim = await ledger.claimApply({ policy, generation, node, jobId: job.id });
    if (claim.action === 'done') {
      log.info('job outcome already reported; completing it', { reason: claim.reason });
      return {};
    }
    const startedAt = now();
    const base: Omit<EnactmentReport, 'outcome' | 'endedAt'> = {
      kind: 'enactment',
      node,
      policy,
      generation,
      jobId: job.id,
      attempt: claim.action === 'apply' ? claim.attempt : 0,
      startedAt,
      desiredHash: job.data.desiredHash,
    };
    if (claim.action === 'skip') {
      log.info('skipping job', { reason: claim.reason });
      options.metrics?.recordJob({ outcome: 'skipped', node, policy });
      await ledger.publishEnactmentReport({ ...base, outcome: 'skipped', endedAt: now(), error: claim.reason });
      return {};
    }
    options.onJobStart?.(job);
    if (claim.attempt > 1) log.warn('applying again after an interrupted attempt', { attempt: claim.attempt });

    await rollBackStaleCheckpoints(backend, log, options.metrics);
    const readState = () => backend.show();
    const selection = await selectProbes(options.probes, options.probeTimeoutMs ?? PROBE_TIMEOUT_MS, now, readState);
    // After a commit the state is the one the probes saw: no need to read it again.
    let committedState: Promise<unknown> | undefined;
    const applyStarted = now();
    let outcome: 'available' | 'failing' = 'failing';
    let error: string | undefined;
    let errorKind: string | undefined;
    let rolledBack: boolean | undefined;
    let probes: ProbeResult[] = selection.map(({ probe, selected, seconds }) => ({ kind: probe.kind, selected, seconds }));
    let applySeconds: number | undefined;
    let probeSeconds: number | undefined;
    try {
      const result = await backend.apply(job.data.desiredState as DesiredState, {
        noCommit: true,
        rollbackTimeoutSeconds: options.rollbackTimeoutSeconds ?? DEFAULT_ROLLBACK_TIMEOUT_SECONDS,
      });
      applySeconds = (now() - applyStarted) / 1000;
      options.metrics?.observePhase({ phase: 'apply', durationSeconds: applySeconds, node });
      const probesStarted = now();
      const round = await runSelectedProbes(
        selection,
        {
          timeoutMs: options.probeTimeoutMs ?? PROBE_TIMEOUT_MS,
          retryWindowMs: options.probeRetryWindowMs ?? PROBE_RETRY_WINDOW_MS,
          retryIntervalMs: options.probeRetryIntervalMs ?? PROBE_RETRY_INTERVAL_MS,
          now,
          sleep,
        },
        readState,
      );
      probes = round.results;
      probeSeconds = (now() - probesStarted) / 1000;
      options.metrics?.observePhase({ phase: 'probe', durationSeconds: probeSeconds, node });
      const failed = probes.filter((p) => p.selected && p.passed === false);
      if (failed.length === 0) {
        if (result.checkpoint !== undefined) await backend.commit(result.checkpoint);
        outcome = 'available';
        committedState = round.state;
      } else {
        for (const probe of failed) {
          if (isProbeKind(probe.kind)) options.metrics?.recordProbeFailure({ probe: probe.kind, node });
        }
        error = `probe ${failed.map((p) => p.kind).join(', ')} failed after the change, which was rolled back (it passed before)`;
        errorKind = 'probe-failed';
        rolledBack = true;
        if (result.checkpoint !== undefined) await backend.rollback(result.checkpoint);
        options.metrics?.recordRollback({ reason: 'probe-failed', node, policy });
      }
    } catch (caught) {
      error = describe(caught);
      if (caught instanceof BackendError) {
        errorKind = caught.kind;
        rolledBack = caught.details.rolledBack;
        if (caught.details.rolledBack) options.metrics?.recordRollback({ reason: rollbackReasonOf(caught), node, policy });
      } else {
        errorKind = 'agent-error';
      }
      outcome = 'failing';
      applySeconds ??= (now() - applyStarted) / 1000;
    }
    const state = await options.state.capture(await committedState?.catch(() => undefined)).catch((caught: unknown) => {
      log.warn('could not read the node state after the job', { error: caught });
      return undefined;
    });
    const endedAt = now();
    const report: EnactmentReport = { ...base, outcome, endedAt, probes, applySeconds };
    if (probeSeconds !== undefined) report.probeSeconds = probeSeconds;
    if (error !== undefined) report.error = error;
    if (errorKind !== undefined) report.errorKind = errorKind;
    if (rolledBack !== undefined) report.rolledBack = rolledBack;
    if (state !== undefined) report.stateHash = state.hash;
    const metricOutcome =
      outcome === 'available' ? 'success' : errorKind === 'verification-failed' || errorKind === 'probe-failed' ? 'rolled-back' : 'failed';
    options.metrics?.recordJob({ outcome: metricOutcome, applySeconds: (endedAt - applyStarted) / 1000, node, policy });
    await ledger.publishEnactmentReport(report, state?.json);
    if (outcome === 'available') log.info('job available', { seconds: (endedAt - startedAt) / 1000 });
    else log.warn('job failing', { error, errorKind });
    return state?.json === undefined ? {} : { stateJson: state.json };
  };
}

/** Rolls back checkpoints a crashed run left open, before any new change. */
export async function rollBackStaleCheckpoints(backend: NetworkBackend, log: Logger, metrics?: AgentMetrics): Promise<number> {
  const stale = await backend.listCheckpoints();
  for (const checkpoint of stale) {
    log.warn('rolling back a stale checkpoint', { checkpoint: checkpoint.id, createdAt: checkpoint.createdAt.toISOString() });
    try {
      await backend.rollback(checkpoint.id);
      metrics?.recordRollback({ reason: 'stale-checkpoint' });
    } catch (error) {
      // NetworkManager may have rolled it back on timeout between the listing and now.
      log.warn('stale checkpoint could not be rolled back', { checkpoint: checkpoint.id, error });
    }
  }
  return stale.length;
}
