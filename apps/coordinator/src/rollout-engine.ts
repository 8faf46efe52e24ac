import {
  QueueError,
  formatJobId,
  parseJobId,
  type EnactmentStore,
  type FinishOutcome,
  type AdmitResult,
  type FinishResult,
  type InflightJob,
  type NodeQueues,
  type RolloutCounts,
  type RolloutId,
} from '@nmfleet/queue';
import type { Logger } from '@nmfleet/telemetry';
import { RenderError, renderForNode, type RenderedState } from './desired-state-renderer.js';
import type { NodeDirectory } from './node-directory.js';
import type { RolloutEntry, RolloutIndex } from './rollout-index.js';
import type { StatusPublisher } from './status-publisher.js';

/** Marks a node Redis says is busy with a job the leader does not know of; a release clears it. */
const UNKNOWN_JOB = '?';

/** Nodes admitted at once by {@link RolloutEngine.admitAllIdle}. */
const ADMIT_ALL_CONCURRENCY = 64;

/** What a failed job's report says, for the enactment's Failing message. */
export interface FailureDetail {
  /** The agent's message (the "output" of upstream's message). */
  output?: string;
  /** The error kind (`operation-failed`, `probe-failed`, …). */
  kind?: string;
  /** Rendering the desired state failed (no job ran). */
  renderFailed?: boolean;
}

/** Options of {@link RolloutEngine}. */
export interface RolloutEngineOptions {
  index: RolloutIndex;
  store: EnactmentStore;
  queues: NodeQueues;
  publisher: StatusPublisher;
  nodes: NodeDirectory;
  /** The node's last reported state (for capture), or undefined when it never reported. */
  readNodeState: (node: string) => Promise<unknown>;
  logger: Logger;
}

type AdmitAttempt = 'admitted' | 'busy' | 'full' | 'gone' | 'deferred';

/**
 * The leader's scheduling: admits (policy, node) pairs through the fenced admission
 * script, adds their jobs, and reacts to finished records. On every finished job the
 * node immediately tries its next pending policy in name order that has a free slot,
 * and the policy that freed a slot immediately tries its next pending idle node, so
 * every node stays busy while it has admissible work. Decisions use the in-memory
 * {@link RolloutIndex}; Redis re-checks each one and its reply corrects the index.
 */
export class RolloutEngine {
  private readonly index: RolloutIndex;
  private readonly store: EnactmentStore;
  private readonly queues: NodeQueues;
  private readonly publisher: StatusPublisher;
  private readonly nodes: NodeDirectory;
  private readonly readNodeState: (node: string) => Promise<unknown>;
  private readonly logger: Logger;
  private readonly admitting = new Set<string>();
  /** Static desired states already stored in Redis (one per rollout). */
  private readonly storedDesired = new WeakSet<RenderedState>();
  /** Follow-up admissions in progress. */
  private readonly pending = new Set<Promise<void>>();
  /** Told when a follow-up admission finds this leader fenced. */
  onFenced: ((error: QueueError) => void) | undefined;
  /** Admitted records whose job could not be added yet, by node. */
  private readonly unqueued = new Map<string, { id: RolloutId; rendered: RenderedState }>();

  constructor(options: RolloutEngineOptions) {
    this.index = options.index;
    this.store = options.store;
    this.queues = options.queues;
    this.publisher = options.publisher;
    this.nodes = options.nodes;
    this.readNodeState = options.readNodeState;
    this.logger = options.logger;
  }

  /**
   * Admits the node into its first pending policy (name order) that has a free slot.
   * Policies on one node thus apply in name order among those admissible now: a policy
   * whose slots are all taken does not hold the node idle while a later one could run.
   */
  async admitNode(node: string): Promise<void> {
    if (this.index.isBusy(node) || this.admitting.has(node)) return;
    this.admitting.add(node);
    try {
      for (const policy of [...this.index.pendingPolicies(node)]) {
        if (this.index.isBusy(node)) return;
        const entry = this.index.get(policy);
        if (entry === undefined || entry.template === undefined || !this.index.hasFreeSlot(entry)) continue;
        const attempt = await this.tryAdmit(entry, node);
        if (attempt === 'admitted' || attempt === 'busy') return;
      }
    } finally {
      this.admitting.delete(node);
    }
  }

  /**
   * Admits pending idle nodes of the rollout while it has free slots, the nodes with the
   * most pending work first: as many at once as there are free slots, again while some
   * went to other policies (a node takes its first admissible policy in name order).
   */
  async fillRollout(entry: RolloutEntry): Promise<void> {
    const tried = new Set<string>();
    while (this.index.get(entry.id.policy) === entry) {
      const free = this.index.countFreeSlots(entry);
      const batch = this.index.selectCandidates(entry, free, (node) => tried.has(node) || this.admitting.has(node));
      if (batch.length === 0) return;
      for (const node of batch) tried.add(node);
      await Promise.all(batch.map((node) => this.admitNode(node)));
    }
  }

  /** Gives every idle node with pending work a chance (leader start, periodic sweep). */
  async admitAllIdle(): Promise<void> {
    const candidates = new Set<string>();
    for (const entry of this.index.entries()) {
      if (entry.pendingIdle.size > 0 && this.index.hasFreeSlot(entry)) for (const node of entry.pendingIdle) candidates.add(node);
    }
    const queue = [...candidates];
    const workers = Array.from({ length: Math.min(ADMIT_ALL_CONCURRENCY, queue.length) }, async () => {
      for (let node = queue.shift(); node !== undefined; node = queue.shift()) await this.admitNode(node);
    });
    await Promise.all(workers);
  }

  /**
   * Records a job's end in Redis and reacts to it. When the job releases its node, the
   * node's next job (its first pending policy in name order, if that one has a free slot
   * and a desired state shared by every node) is admitted in the same script: the node
   * starts it one round trip after its report.
   */
  async finishJob(ending: { policy: string; generation: number; node: string; jobId: string; outcome: FinishOutcome; error?: string }, detail: FailureDetail = {}): Promise<FinishResult> {
    const next = this.reserveNextJob(ending.node, ending.jobId);
    let result: FinishResult;
    try {
      result = await this.store.finish(ending, next === undefined ? undefined : { rollout: next.entry.id, desiredHash: next.rendered.hash });
    } finally {
      if (next !== undefined) {
        next.entry.reserved -= 1;
        this.admitting.delete(ending.node);
      }
    }
    await this.recordFinished(ending.policy, ending.jobId, ending.node, result, detail, next);
    return result;
  }

  /**
   * The job a node released by `jobId` takes next, reserved (a slot and the node) while
   * the finishing script runs: its first pending policy in name order with a free slot,
   * when that policy renders one desired state for every node, already stored. Anything
   * else (a capture template renders per node) is left to {@link admitNode}.
   */
  private reserveNextJob(node: string, jobId: string): { entry: RolloutEntry; rendered: RenderedState } | undefined {
    if (this.index.busyJob(node) !== jobId || this.admitting.has(node)) return undefined;
    for (const policy of this.index.pendingPolicies(node)) {
      const entry = this.index.get(policy);
      if (entry === undefined || entry.template === undefined || !this.index.hasFreeSlot(entry)) continue;
      if (entry.template.kind !== 'static' || !this.storedDesired.has(entry.template.rendered)) return undefined;
      entry.reserved += 1;
      this.admitting.add(node);
      return { entry, rendered: entry.template.rendered };
    }
    return undefined;
  }

  /**
   * Brings the index and the API mirror in step with a finish result, then schedules:
   * the released node's next policy, and the policy's next node.
   */
  async recordFinished(
    policy: string,
    jobId: string,
    node: string,
    result: FinishResult,
    detail: FailureDetail = {},
    next?: { entry: RolloutEntry; rendered: RenderedState },
  ): Promise<void> {
    const entry = this.index.get(policy);
    const current = entry !== undefined && formatJobId(entry.id) === jobId ? entry : undefined;
    if (result.released && this.index.busyJob(node) !== undefined) this.index.markIdle(node);
    if (result.status === 'duplicate' && current !== undefined) {
      current.counts = result.counts;
      this.index.setState(current, node, result.state);
    }
    if (result.status === 'ok') {
      if (current !== undefined) {
        if (result.counts !== undefined) current.counts = result.counts;
        this.index.setState(current, node, result.state);
        if (result.state === 'available') this.publisher.enactmentAvailable(current.id, node);
        else if (result.state === 'failing') {
          if (detail.renderFailed) this.publisher.enactmentRenderFailed(current.id, node, detail.output ?? '');
          else this.publisher.enactmentFailing(current.id, node, detail.output ?? '', detail.kind ?? 'failed');
        } else if (result.state === 'pending') this.publisher.enactmentPending(current.id, node);
        for (const aborted of result.aborted) {
          this.index.setState(current, aborted, 'aborted');
          this.publisher.enactmentAborted(current.id, aborted);
        }
        this.publishPolicyStatus(current);
      } else if (entry !== undefined && result.released && entry.counts.draining > 0) {
        // A node finished an older generation: it no longer holds a slot of the active one.
        entry.counts = { ...entry.counts, draining: entry.counts.draining - 1 };
      }
    }
    let startedNext = false;
    if (next !== undefined && result.next?.status === 'ok' && this.index.get(next.entry.id.policy) === next.entry) {
      const answer = this.applyAdmission(next.entry, node, result.next.result, result.next.jobId, result.next.counts, next.rendered);
      startedNext = answer === 'admitted' || answer === 'busy';
    }
    this.schedule(async () => {
      if (startedNext && next !== undefined && this.index.busyJob(node) === formatJobId(next.entry.id)) {
        await this.addJobOrLeaveToRepair(next.entry.id, node, next.rendered);
      } else if (result.released) {
        await this.admitNode(node);
      }
      if (entry !== undefined) await this.fillRollout(entry);
    });
  }

  /**
   * Brings the index and the API mirror in step with an admission answer for `node` in
   * `entry` (counts from the same script). The caller adds the job when it was admitted.
   */
  private applyAdmission(entry: RolloutEntry, node: string, answer: AdmitResult | undefined, jobId: string, counts: RolloutCounts, rendered: RenderedState | undefined): AdmitResult | undefined {
    entry.counts = counts;
    if (answer === 'admitted') {
      this.index.setState(entry, node, 'progressing');
      this.index.markBusy(node, jobId);
      if (rendered !== undefined) {
        this.publisher.enactmentProgressing(entry.id, node, rendered);
        this.publishPolicyStatus(entry);
      }
    } else if (answer === 'busy') {
      this.index.markBusy(node, UNKNOWN_JOB);
    } else if (answer === 'missing' || answer === undefined) {
      this.index.removeMember(entry, node);
    } else if (answer !== 'full') {
      this.index.setState(entry, node, answer);
    }
    return answer;
  }

  /**
   * Runs follow-up admissions without holding up the caller: a report is acknowledged
   * once its record transition is done, and the next batch is read while the freed
   * node and slot are being given their next job.
   */
  schedule(work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => {
        if (error instanceof QueueError && error.kind === 'fenced') this.onFenced?.(error);
        else this.logger.warn('admission failed; the sweep retries it', { error });
      })
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Waits for the follow-up admissions in progress (leader shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Cancels the waiting jobs of superseded or deleted rollouts; running ones finish and report. */
  async cancelJobs(jobs: readonly InflightJob[]): Promise<void> {
    for (const job of jobs) {
      if (!(await this.queues.cancelWaitingJob(job.node, job.jobId))) continue;
      const { policy, generation } = parseJobId(job.jobId);
      await this.finishJob({ policy, generation, node: job.node, jobId: job.jobId, outcome: 'cancelled' });
    }
  }

  /** Writes the policy's conditions from its rollout's counts. */
  publishPolicyStatus(entry: RolloutEntry): void {
    if (entry.refusal !== undefined) {
      this.publisher.policyRefused(entry.id.policy, entry.refusal);
      return;
    }
    // Read when the status is sent: the counts of that moment, not of this transition.
    this.publisher.policyStatus(entry.id.policy, () => {
      let notReady = 0;
      for (const node of this.nodes.notReadyNodes()) if (entry.members.has(node)) notReady += 1;
      return { matchingNodes: entry.members.size, readyMatchingNodes: entry.members.size - notReady, counts: entry.counts };
    });
  }

  /** Re-adds the job of an admitted record whose job is missing (a leader died between admission and add). */
  async restoreJob(id: RolloutId, node: string, desiredHash: string | undefined): Promise<void> {
    const jobId = formatJobId(id);
    const json = desiredHash === undefined ? undefined : await this.store.readDesiredState(id, desiredHash);
    if (json === undefined || desiredHash === undefined) {
      this.logger.warn('admitted record lost its job and its desired state; failing it', { policy: id.policy, node });
      await this.finishJob(
        { ...id, node, jobId, outcome: 'failing', error: 'the job was lost before it reached the node' },
        { output: 'the job was lost before it reached the node', kind: 'lost-job' },
      );
      return;
    }
    this.logger.info('re-adding a lost job', { policy: id.policy, generation: id.generation, node, jobId });
    await this.queues.addJob({ ...id, node, desiredHash, desiredState: JSON.parse(json) as unknown });
  }

  private async tryAdmit(entry: RolloutEntry, node: string): Promise<AdmitAttempt> {
    const template = entry.template;
    if (template === undefined) return 'deferred';
    let rendered: RenderedState | undefined;
    let renderError: string | undefined;
    if (template.kind === 'static') {
      rendered = template.rendered;
    } else {
      const state = await this.readNodeState(node);
      // Captures read the node's state: without one yet, wait for the agent's first report.
      if (state === undefined) return 'deferred';
      try {
        rendered = renderForNode(template, state);
      } catch (error) {
        if (!(error instanceof RenderError)) throw error;
        renderError = error.message;
      }
    }
    if (rendered !== undefined && !this.storedDesired.has(rendered)) {
      await this.store.storeDesiredState(entry.id, rendered.hash, rendered.json);
      if (template.kind === 'static') this.storedDesired.add(rendered);
    }
    entry.reserved += 1;
    let result: Awaited<ReturnType<EnactmentStore['admit']>>;
    try {
      result = await this.store.admit(entry.id, [{ node, desiredHash: rendered?.hash ?? '' }]);
    } finally {
      entry.reserved -= 1;
    }
    if (result.status !== 'ok' || this.index.get(entry.id.policy) !== entry) return 'gone';
    const answer = this.applyAdmission(entry, node, result.results.get(node), result.jobId, result.counts, rendered);
    if (answer === 'admitted') {
      if (rendered === undefined) {
        // Upstream fails the enactment when captures cannot be resolved; it holds its slot as a failure.
        await this.finishJob(
          { ...entry.id, node, jobId: result.jobId, outcome: 'failing', error: renderError ?? '' },
          { output: renderError ?? '', renderFailed: true },
        );
        return 'gone';
      }
      await this.addJobOrLeaveToRepair(entry.id, node, rendered);
      return 'admitted';
    }
    if (answer === 'busy' || answer === 'full') return answer;
    return 'gone';
  }

  /** Adds the jobs whose first add failed (called by the periodic sweep). */
  async retryUnqueuedJobs(): Promise<void> {
    for (const [node, { id, rendered }] of [...this.unqueued]) {
      this.unqueued.delete(node);
      await this.addJobOrLeaveToRepair(id, node, rendered);
    }
  }

  private async addJobOrLeaveToRepair(id: RolloutId, node: string, rendered: RenderedState): Promise<void> {
    try {
      await this.queues.addJob({ ...id, node, desiredHash: rendered.hash, desiredState: rendered.state });
    } catch (error) {
      // The record is admitted (Redis holds the desired state): the sweep, or the next leader, adds the job.
      if (error instanceof QueueError && error.kind === 'fenced') throw error;
      this.logger.error('adding a job failed; it will be re-added', { policy: id.policy, node, error });
      this.unqueued.set(node, { id, rendered });
    }
  }
}
