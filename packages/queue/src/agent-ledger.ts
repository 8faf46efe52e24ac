import type { Redis } from 'ioredis';
import { QueueError, toQueueError } from './errors.js';
import type { KeyLayout } from './key-layout.js';
import { encodeReportFields, type EnactmentReport, type StateReport } from './node-report.js';
import { registerScripts, runScript } from './redis-connection.js';
import { CLAIM_APPLY, PUBLISH_REPORT } from './scripts/script-registry.js';

/** What the agent should do with a job, from {@link AgentLedger.claimApply}. */
export type ApplyClaim =
  | { action: 'apply'; attempt: number }
  /** Do not apply; report `skipped` so the coordinator frees the node. */
  | { action: 'skip'; reason: string }
  /** The outcome is already reported: complete the job without applying or reporting. */
  | { action: 'done'; reason: string };

/** Options of {@link AgentLedger}. */
export interface AgentLedgerOptions {
  connection: Redis;
  keys: KeyLayout;
  /** Clock in milliseconds. Default: `Date.now`. */
  now?: () => number;
}

/**
 * The agent's side of the enactment records: claim a job before applying it, and
 * report the outcome (which also marks the record, so a redelivered job is never
 * applied twice). The agent has no other write access to rollout state.
 */
export class AgentLedger {
  private readonly redis: Redis;
  private readonly keys: KeyLayout;
  private readonly now: () => number;

  constructor(options: AgentLedgerOptions) {
    this.redis = options.connection;
    this.keys = options.keys;
    this.now = options.now ?? Date.now;
    registerScripts(this.redis);
  }

  /** Checks the record of a job and counts an attempt when it may be applied. */
  async claimApply(job: { policy: string; generation: number; node: string; jobId: string }): Promise<ApplyClaim> {
    let reply: unknown;
    try {
      reply = await runScript(this.redis, CLAIM_APPLY, [this.keys.root, job.policy, job.generation, job.node, job.jobId, this.now()]);
    } catch (error) {
      throw toQueueError(error, `claiming job ${job.jobId} on ${job.node}`);
    }
    const parsed = JSON.parse(String(reply)) as { action: string; reason?: string; attempt?: number };
    if (parsed.action === 'apply') return { action: 'apply', attempt: Number(parsed.attempt) };
    if (parsed.action === 'skip' || parsed.action === 'done') return { action: parsed.action, reason: parsed.reason ?? '' };
    throw new QueueError('protocol', `claiming job ${job.jobId}: unexpected answer ${String(reply)}`);
  }

  /**
   * Publishes the outcome of a job. When `stateJson` is given (the node's state changed),
   * it is stored as the node's last state and carried in the report.
   */
  async publishEnactmentReport(report: EnactmentReport, stateJson?: string): Promise<string> {
    return this.publish(report, report.policy, report.generation, report.jobId, report.outcome, report.stateHash ?? '', stateJson);
  }

  /** Publishes the node's current state outside any job (at start-up, or after a change seen later). */
  async publishStateReport(report: StateReport, stateJson: string): Promise<string> {
    return this.publish(report, '', 0, '', '', report.stateHash, stateJson);
  }

  /** The hash of the state last stored for the node, so an agent restart does not resend an unchanged state. */
  async readStoredStateHash(node: string): Promise<string | undefined> {
    try {
      return (await this.redis.hget(this.keys.nodeState(node), 'hash')) ?? undefined;
    } catch (error) {
      throw toQueueError(error, `reading the stored state hash of ${node}`);
    }
  }

  private async publish(
    report: EnactmentReport | StateReport,
    policy: string,
    generation: number,
    jobId: string,
    outcome: string,
    stateHash: string,
    stateJson: string | undefined,
  ): Promise<string> {
    // The script adds the state to the stream entry itself: it crosses the wire once.
    const fields = encodeReportFields(report);
    try {
      const id = await runScript(this.redis, PUBLISH_REPORT, [
        this.keys.root,
        policy,
        generation,
        report.node,
        jobId,
        outcome,
        stateHash,
        stateJson ?? '',
        this.now(),
        ...fields,
      ]);
      return String(id);
    } catch (error) {
      throw toQueueError(error, `publishing a report of ${report.node}`);
    }
  }
}
