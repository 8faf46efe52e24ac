import {
  ENACTMENT_POLICY_LABEL,
  type Informer,
  type KubeClient,
  type NodeNetworkConfigurationPolicy,
  type StatusWriter,
} from '@nmfleet/kube';
import {
  EnactmentStore,
  NodeQueues,
  QueueError,
  ReportConsumer,
  formatJobId,
  parseJobId,
  type EnactmentRecord,
  type KeyLayout,
  type createRedisConnection,
} from '@nmfleet/queue';
import type { CoordinatorMetrics, Logger } from '@nmfleet/telemetry';
import { listTemplateFeatures, prepareTemplate } from './desired-state-renderer.js';
import type { NodeDirectory } from './node-directory.js';
import { PolicyReconciler } from './policy-reconciler.js';
import { ReportProcessor } from './report-processor.js';
import { RolloutEngine } from './rollout-engine.js';
import { RolloutIndex } from './rollout-index.js';
import { StatusPublisher, type EnactmentPhase } from './status-publisher.js';
import { retryUntilDone } from './retry.js';
import { WorkQueue } from './work-queue.js';

type RedisConnection = ReturnType<typeof createRedisConnection>;

/**
 * Policy and node keys reconciled at once. Each mostly waits on Redis scripts; running
 * many lets their round trips share pipelines when hundreds of policies arrive together.
 */
const RECONCILE_CONCURRENCY = 16;

/** Default of {@link LeaderSessionOptions.sweepIntervalMs}. */
export const SWEEP_INTERVAL_MS = 5000;

/** Options of {@link LeaderSession}. */
export interface LeaderSessionOptions {
  redis: RedisConnection;
  /** A connection of its own for the blocking report read. */
  blockingRedis: RedisConnection;
  keys: KeyLayout;
  client: KubeClient;
  writer: StatusWriter;
  policies: Informer<NodeNetworkConfigurationPolicy>;
  nodes: NodeDirectory;
  /** This coordinator's consumer name on the report stream. */
  identity: string;
  logger: Logger;
  metrics?: CoordinatorMetrics;
  /** How often idle nodes with pending work and unqueued jobs are looked at again, in milliseconds. Default: {@link SWEEP_INTERVAL_MS}. */
  sweepIntervalMs?: number;
  /** Longest wait of one blocking report read, in milliseconds. Default: queue's `REPORT_BLOCK_MS`. */
  reportBlockMs?: number;
  /** Called when this coordinator finds itself fenced (a newer leader took the epoch). */
  onFenced?: (error: QueueError) => void;
}

const PHASE_OF_STATE: Partial<Record<EnactmentRecord['state'], EnactmentPhase>> = {
  pending: 'Pending',
  progressing: 'Progressing',
  available: 'Available',
  failing: 'Failing',
  aborted: 'Aborted',
};

/**
 * Everything the leader runs, from winning the election to losing it: take a fencing
 * epoch, rebuild the indexes from Redis, bring the API mirror in step with the records,
 * take over unacknowledged reports, re-add jobs a crash lost, then reconcile policies
 * and nodes, handle reports, and sweep periodically.
 */
export class LeaderSession {
  private readonly store: EnactmentStore;
  private readonly queues: NodeQueues;
  private readonly index = new RolloutIndex();
  private readonly publisher: StatusPublisher;
  private readonly engine: RolloutEngine;
  private readonly reconciler: PolicyReconciler;
  private readonly reports: ReportProcessor;
  private readonly consumer: ReportConsumer;
  private readonly queue: WorkQueue;
  private readonly log: Logger;
  private started = false;

  constructor(private readonly options: LeaderSessionOptions) {
    this.log = options.logger;
    this.store = new EnactmentStore({ connection: options.redis, keys: options.keys });
    this.queues = new NodeQueues({ connection: options.redis, keys: options.keys });
    this.publisher = new StatusPublisher({ client: options.client, writer: options.writer, logger: options.logger });
    this.engine = new RolloutEngine({
      index: this.index,
      store: this.store,
      queues: this.queues,
      publisher: this.publisher,
      nodes: options.nodes,
      readNodeState: (node) => this.store.readNodeState(node),
      logger: options.logger,
    });
    this.reconciler = new PolicyReconciler({
      policies: options.policies,
      nodes: options.nodes,
      index: this.index,
      store: this.store,
      engine: this.engine,
      publisher: this.publisher,
      logger: options.logger,
    });
    this.consumer = new ReportConsumer({
      connection: options.redis,
      blockingConnection: options.blockingRedis,
      keys: options.keys,
      consumer: options.identity,
      ...(options.reportBlockMs !== undefined ? { blockMs: options.reportBlockMs } : {}),
    });
    this.reports = new ReportProcessor({
      consumer: this.consumer,
      engine: this.engine,
      publisher: this.publisher,
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    this.engine.onFenced = (error) => this.checkFenced(error);
    this.queue = new WorkQueue({
      concurrency: RECONCILE_CONCURRENCY,
      onError: (key, error, retryInMs) => {
        this.checkFenced(error);
        this.log.warn('reconcile failed; retrying', { key, error, retryInMs });
      },
      onReconciled: (key, outcome, seconds) =>
        options.metrics?.recordReconcile({ controller: key.startsWith('node/') ? 'node' : 'policy', result: outcome, durationSeconds: seconds }),
    });
  }

  /** Queues a key (`policy/<name>` or `node/<name>`); ignored before the session started. */
  enqueue(key: string): void {
    if (this.started) this.queue.add(key);
  }

  /** Runs until `signal` aborts. Throws only when fenced or on a bug; outages make it wait. */
  async run(signal: AbortSignal): Promise<void> {
    const log = this.log;
    const epoch = await retryUntilDone('taking the fencing epoch', () => this.store.acquireLeaderEpoch(), signal, log);
    if (epoch === undefined) return;
    this.log.info('leading', { epoch });
    const records = await retryUntilDone('rebuilding from Redis', () => this.rebuild(), signal, log);
    if (records === undefined) return;
    await retryUntilDone('reading the API mirror', () => this.seedMirror(records), signal, log);
    await retryUntilDone('creating the report group', () => this.consumer.ensureGroup(), signal, log);
    const claimed = await retryUntilDone('taking over unacknowledged reports', () => this.reports.handleUnacknowledged(), signal, log);
    if (claimed !== undefined && claimed > 0) this.log.info('took over unacknowledged reports', { reports: claimed });
    await retryUntilDone('repairing in-flight jobs', () => this.repairInflight(records), signal, log);
    records.clear();
    if (signal.aborted) return;

    this.started = true;
    this.queue.start((key) => this.reconcileKey(key));
    const policyNames = new Set([...this.options.policies.list().map((p) => p.metadata?.name ?? ''), ...[...this.index.entries()].map((e) => e.id.policy)]);
    for (const name of policyNames) if (name !== '') this.queue.add(`policy/${name}`);

    const sweep = setInterval(() => void this.sweep(), this.options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
    sweep.unref();
    const reportLoop = this.runReports(signal);
    try {
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      this.started = false;
      clearInterval(sweep);
      await this.queue.stop();
      await reportLoop;
      await this.engine.settle();
      await this.queues.close();
      this.log.info('stopped leading', { epoch });
    }
  }

  /**
   * Record and policy counts from the leader's index (kept in step with the records),
   * the node queues' job counts, and the features of the active rollouts, for the
   * metrics collected at scrape time.
   */
  async collectMetrics(metrics: CoordinatorMetrics): Promise<void> {
    const enactments: { node: string; policy: string; state: EnactmentPhase | undefined }[] = [];
    const policies: { name: string; state: 'Available' | 'Degraded' | 'Progressing' | undefined }[] = [];
    const features: string[] = [];
    for (const entry of this.index.entries()) {
      for (const [node, state] of entry.members) enactments.push({ node, policy: entry.id.policy, state: PHASE_OF_STATE[state] });
      const { counts } = entry;
      const state = entry.refusal !== undefined || counts.failing + counts.aborted > 0
        ? 'Degraded'
        : counts.pending + counts.progressing > 0
          ? 'Progressing'
          : entry.members.size > 0
            ? 'Available'
            : undefined;
      policies.push({ name: entry.id.policy, state });
      if (entry.template !== undefined && entry.members.size > 0) features.push(...listTemplateFeatures(entry.template));
    }
    metrics.setEnactmentStates(enactments);
    metrics.setPolicyStates(policies);
    metrics.setFeaturesApplied(features);
    const jobs = await this.queues.countJobs(this.options.nodes.list().map((node) => node.name));
    metrics.setQueueJobs({ waiting: jobs.waiting, active: jobs.active, delayed: jobs.delayed, completed: jobs.completed, failed: jobs.failed });
    metrics.setOldestWaitingJobAge(jobs.oldestWaitingAddedAt === undefined ? undefined : Math.max(0, Date.now() - jobs.oldestWaitingAddedAt) / 1000);
  }

  private async reconcileKey(key: string): Promise<void | { requeueAfterMs: number }> {
    const slash = key.indexOf('/');
    const kind = key.slice(0, slash);
    const name = key.slice(slash + 1);
    if (kind === 'policy') return this.reconciler.reconcile(name);
    if (kind === 'node') return this.reconcileNode(name);
    this.log.error('unknown work queue key', { key });
  }

  /** A node changed (labels, readiness) or left: every policy may match differently now. */
  private async reconcileNode(name: string): Promise<void> {
    if (this.options.nodes.get(name) === undefined) {
      await this.store.forgetNode(name);
      if (this.index.busyJob(name) !== undefined) this.index.markIdle(name);
      await this.queues.forgetNode(name);
      this.publisher.deleteNodeState(name);
      this.log.info('node left; forgotten', { node: name });
    }
    for (const entry of this.index.entries()) this.queue.add(`policy/${entry.id.policy}`);
    for (const policy of this.options.policies.list()) this.queue.add(`policy/${policy.metadata?.name ?? ''}`);
  }

  private async runReports(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.reports.run(signal);
      } catch (error) {
        this.checkFenced(error);
        if (signal.aborted) return;
        this.log.warn('report handling failed; retrying', { error });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.engine.retryUnqueuedJobs();
      await this.engine.admitAllIdle();
    } catch (error) {
      this.checkFenced(error);
      this.log.warn('sweep failed', { error });
    }
  }

  private checkFenced(error: unknown): void {
    if (error instanceof QueueError && error.kind === 'fenced') this.options.onFenced?.(error);
  }

  /** Loads every active rollout and the in-flight nodes from Redis into the index. */
  private async rebuild(): Promise<Map<string, EnactmentRecord>> {
    for (const entry of [...this.index.entries()]) this.index.remove(entry.id.policy);
    const inflightRecords = new Map<string, EnactmentRecord>();
    const active = await this.store.readActiveGenerations();
    for (const [policy, generation] of active) {
      const snapshot = await this.store.readRollout(policy, generation);
      if (snapshot === undefined) continue;
      const object = this.options.policies.get(policy);
      const matchesObject = object?.metadata?.generation === generation && object.metadata?.uid === snapshot.uid;
      const prepared = matchesObject ? prepareTemplate(object?.spec ?? {}) : undefined;
      const entry = this.index.add(
        {
          id: { policy, generation, uid: snapshot.uid },
          maxUnavailable: snapshot.maxUnavailable,
          counts: await this.store.countStates(policy, generation),
          template: prepared?.ok ? prepared.template : undefined,
        },
        snapshot.records.map((record): [string, EnactmentRecord['state']] => [record.node, record.state]),
      );
      for (const record of snapshot.records) inflightRecords.set(`${record.node}/${formatJobId(entry.id)}`, record);
    }
    for (const [node, jobId] of await this.store.readInflight()) this.index.markBusy(node, jobId);
    this.log.info('rebuilt from Redis', { rollouts: this.index.size });
    return inflightRecords;
  }

  /**
   * Makes the API show what the records say: lists enactments once, deletes those of
   * policies that no longer exist, and writes the status of each whose condition lags
   * its record (a previous leader's writes that never went out).
   */
  private async seedMirror(records: Map<string, EnactmentRecord>): Promise<void> {
    const { client } = this.options;
    for (const policy of this.options.policies.list()) this.publisher.noteExistingPolicy(policy);
    const known = new Set([...this.options.policies.list().map((p) => p.metadata?.name), ...[...this.index.entries()].map((e) => e.id.policy)]);
    const enactments = await client.enactments.listAll();
    for (const enactment of enactments.items) {
      this.publisher.noteExistingEnactment(enactment);
      const policy = enactment.metadata?.labels?.[ENACTMENT_POLICY_LABEL];
      const node = enactment.metadata?.labels?.['nmstate.io/node'];
      if (policy !== undefined && node !== undefined && !known.has(policy)) this.publisher.deleteEnactment(policy, node);
    }
    for (const state of (await client.states.listAll()).items) this.publisher.noteExistingNodeState(state);
    let corrected = 0;
    for (const entry of this.index.entries()) {
      for (const [node, state] of entry.members) {
        const expected = PHASE_OF_STATE[state];
        if (expected === undefined || this.publisher.enactmentPhase(node, entry.id.policy, entry.id.generation) === expected) continue;
        corrected += 1;
        const record = records.get(`${node}/${formatJobId(entry.id)}`);
        if (state === 'pending') this.publisher.enactmentPending(entry.id, node);
        else if (state === 'available') this.publisher.enactmentAvailable(entry.id, node);
        else if (state === 'failing') this.publisher.enactmentFailing(entry.id, node, record?.error ?? '', 'failed');
        else if (state === 'aborted') this.publisher.enactmentAborted(entry.id, node);
        else if (state === 'progressing' && entry.template?.kind === 'static') this.publisher.enactmentProgressing(entry.id, node, entry.template.rendered);
      }
      this.engine.publishPolicyStatus(entry);
    }
    if (corrected > 0) this.log.info('enactment statuses behind their records; rewriting', { enactments: corrected });
  }

  /**
   * For every node in flight: re-add the job a crash lost between admission and add,
   * end the records of jobs the queue failed without a report, and release nodes
   * whose job belongs to a rollout that no longer exists.
   */
  private async repairInflight(records: Map<string, EnactmentRecord>): Promise<void> {
    for (const [node, jobId] of await this.store.readInflight()) {
      if (this.options.nodes.get(node) === undefined) {
        // The node left while no leader watched: it will never report; free its slot.
        await this.store.forgetNode(node);
        this.index.markIdle(node);
        this.log.info('in-flight node no longer exists; forgotten', { node, jobId });
        continue;
      }
      const { policy, generation } = parseJobId(jobId);
      const entry = this.index.get(policy);
      const isCurrent = entry !== undefined && formatJobId(entry.id) === jobId;
      const jobState = await this.queues.readJobState(node, jobId);
      if (jobState === 'unknown') {
        if (isCurrent && entry !== undefined) await this.engine.restoreJob(entry.id, node, records.get(`${node}/${jobId}`)?.desiredHash);
        else await this.engine.finishJob({ policy, generation, node, jobId, outcome: 'cancelled' });
      } else if (jobState === 'failed') {
        const message = 'the node queue failed the job without a report from the agent';
        await this.engine.finishJob({ policy, generation, node, jobId, outcome: 'failing', error: message }, { output: message, kind: 'agent-error' });
      }
    }
  }
}
