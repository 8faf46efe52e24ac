import type { Registry } from 'prom-client';
import {
  AGENT_JOB_OUTCOMES,
  AGENT_PHASES,
  APPLY_OUTCOMES,
  PROBE_KINDS,
  ROLLBACK_REASONS,
  assertLabelValue,
  type AgentJobOutcome,
  type AgentPhase,
  type ApplyOutcome,
  type ProbeKind,
  type RollbackReason,
} from './label-values.js';
import { AGENT_METRIC_DEFINITIONS } from './metric-definitions.js';
import { registerMetric } from './metric-factory.js';
import { assertNonNegative } from './metric-values.js';

/** One finished job on the agent. `node` and `policy` are accepted and never become labels. */
export interface AgentJobEvent {
  readonly outcome: AgentJobOutcome;
  /** Checkpoint to commit or rollback in seconds; required unless the job was `skipped`. */
  readonly applySeconds?: number;
  readonly node?: string;
  readonly policy?: string;
}

/** One timed phase of a job. */
export interface AgentPhaseEvent {
  readonly phase: AgentPhase;
  readonly durationSeconds: number;
  readonly node?: string;
}

/**
 * The metrics of one agent process, which may host one real node or many
 * simulated ones; no series is labelled by node or policy.
 */
export interface AgentMetrics {
  /** The registry these metrics live on. */
  readonly registry: Registry;
  /** Counts one finished job and observes its apply duration (unless skipped). */
  recordJob(event: AgentJobEvent): void;
  /** Observes one phase duration. */
  observePhase(event: AgentPhaseEvent): void;
  /** Counts a probe that passed before the change and failed after it. */
  recordProbeFailure(event: { readonly probe: ProbeKind; readonly node?: string }): void;
  /** Counts one rolled-back checkpoint. */
  recordRollback(event: { readonly reason: RollbackReason; readonly node?: string; readonly policy?: string }): void;
}

/**
 * Creates every agent metric on `registry`, each closed label combination
 * pre-set to zero.
 *
 * @throws TelemetryError `already-registered` when `registry` already holds them.
 */
export function createAgentMetrics(registry: Registry): AgentMetrics {
  const defs = AGENT_METRIC_DEFINITIONS;
  const jobs = registerMetric(registry, defs.agentJobs);
  const applyDuration = registerMetric(registry, defs.agentApplyDuration);
  const phaseDuration = registerMetric(registry, defs.agentPhaseDuration);
  const probeFailures = registerMetric(registry, defs.agentProbeFailures);
  const rollbacks = registerMetric(registry, defs.agentRollbacks);

  return {
    registry,

    recordJob(event) {
      const outcome = assertLabelValue('outcome', event.outcome, AGENT_JOB_OUTCOMES);
      if (outcome === 'skipped') {
        jobs.inc({ outcome });
        return;
      }
      const applyOutcome: ApplyOutcome = assertLabelValue('outcome', outcome, APPLY_OUTCOMES);
      const seconds = assertNonNegative(event.applySeconds, 'apply duration');
      jobs.inc({ outcome });
      applyDuration.observe({ outcome: applyOutcome }, seconds);
    },

    observePhase(event) {
      const phase = assertLabelValue('phase', event.phase, AGENT_PHASES);
      phaseDuration.observe({ phase }, assertNonNegative(event.durationSeconds, `${phase} duration`));
    },

    recordProbeFailure(event) {
      probeFailures.inc({ probe: assertLabelValue('probe', event.probe, PROBE_KINDS) });
    },

    recordRollback(event) {
      rollbacks.inc({ reason: assertLabelValue('reason', event.reason, ROLLBACK_REASONS) });
    },
  };
}
