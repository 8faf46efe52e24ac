import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ENACTMENT_JOB_NAME, type EnactmentJobData } from './enactment-job.js';
import { toQueueError } from './errors.js';
import { formatJobId } from './job-id.js';
import { assertObjectName, type KeyLayout } from './key-layout.js';

/** Default of {@link NodeQueuesOptions.completedJobRetentionSeconds}. */
export const COMPLETED_JOB_RETENTION_SECONDS = 3600;

/** Default of {@link NodeQueuesOptions.failedJobRetentionSeconds}. */
export const FAILED_JOB_RETENTION_SECONDS = 86_400;

/** Length of each queue's BullMQ event stream; nothing here listens to it, so it stays short. */
const EVENT_STREAM_MAX_LENGTH = 64;

/** Jobs counted over a set of node queues, from {@link NodeQueues.countJobs}. */
export interface NodeJobCounts {
  /** Jobs no agent has started (BullMQ's waiting and prioritized). */
  waiting: number;
  active: number;
  delayed: number;
  /** Completed jobs BullMQ still keeps (see `completedJobRetentionSeconds`). */
  completed: number;
  /** Failed jobs BullMQ still keeps (see `failedJobRetentionSeconds`). */
  failed: number;
  /** When the oldest waiting job was added, in milliseconds since the epoch; undefined when none waits. */
  oldestWaitingAddedAt: number | undefined;
}

/** Queues counted at once by {@link NodeQueues.countJobs}: enough to pipeline, few enough to leave room for the hot path. */
const COUNT_CONCURRENCY = 64;

/** Where a job is in its node's queue. */
export type NodeJobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'prioritized' | 'waiting-children' | 'unknown';

/** Options of {@link NodeQueues}. */
export interface NodeQueuesOptions {
  /** The shared command connection; BullMQ reuses it for every queue. */
  connection: Redis;
  keys: KeyLayout;
  /**
   * How long a completed job is kept, in seconds. Default: {@link COMPLETED_JOB_RETENTION_SECONDS}.
   * While it is kept, re-adding its id is a no-op.
   */
  completedJobRetentionSeconds?: number;
  /** How long a failed job is kept, in seconds. Default: {@link FAILED_JOB_RETENTION_SECONDS}. */
  failedJobRetentionSeconds?: number;
}

/**
 * The coordinator's side of the node queues (one BullMQ queue per node, named after
 * the node): add the job of an admitted record, cancel a waiting one, look one up.
 */
export class NodeQueues {
  private readonly redis: Redis;
  private readonly keys: KeyLayout;
  private readonly completedAge: number;
  private readonly failedAge: number;
  private readonly queues = new Map<string, Queue>();

  constructor(options: NodeQueuesOptions) {
    this.redis = options.connection;
    this.keys = options.keys;
    this.completedAge = options.completedJobRetentionSeconds ?? COMPLETED_JOB_RETENTION_SECONDS;
    this.failedAge = options.failedJobRetentionSeconds ?? FAILED_JOB_RETENTION_SECONDS;
  }

  /** Adds the job of an admitted record; adding an id that exists is a no-op. Returns the job id. */
  async addJob(data: EnactmentJobData): Promise<string> {
    const jobId = formatJobId(data);
    try {
      await this.queueFor(data.node).add(ENACTMENT_JOB_NAME, data, {
        jobId,
        attempts: 1,
        removeOnComplete: { age: this.completedAge },
        removeOnFail: { age: this.failedAge },
      });
      return jobId;
    } catch (error) {
      throw toQueueError(error, `adding job ${jobId} to the queue of ${data.node}`);
    }
  }

  /** Removes a job that no agent has started; false when it is running (or gone). */
  async cancelWaitingJob(node: string, jobId: string): Promise<boolean> {
    try {
      const queue = this.queueFor(node);
      const state = await queue.getJobState(jobId);
      if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
      return (await queue.remove(jobId)) === 1;
    } catch (error) {
      throw toQueueError(error, `cancelling job ${jobId} on ${node}`);
    }
  }

  /** Where a job is (`unknown` when it does not exist). */
  async readJobState(node: string, jobId: string): Promise<NodeJobState> {
    try {
      return (await this.queueFor(node).getJobState(jobId)) as NodeJobState;
    } catch (error) {
      throw toQueueError(error, `reading the state of job ${jobId} on ${node}`);
    }
  }

  /**
   * Counts the jobs of the given nodes' queues by state, and finds the oldest waiting
   * one. Costs one Redis script per queue (plus one read per queue with a waiting job):
   * meant for a metrics scrape, not for the scheduling path.
   */
  async countJobs(nodes: Iterable<string>): Promise<NodeJobCounts> {
    const totals: NodeJobCounts = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0, oldestWaitingAddedAt: undefined };
    const pending = [...nodes];
    const countOne = async (node: string) => {
      const queue = this.queueFor(node);
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
      const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
      totals.waiting += waiting;
      totals.active += counts.active ?? 0;
      totals.delayed += counts.delayed ?? 0;
      totals.completed += counts.completed ?? 0;
      totals.failed += counts.failed ?? 0;
      if (waiting === 0) return;
      for (const job of await queue.getJobs(['waiting', 'prioritized'], 0, -1, true)) {
        if (totals.oldestWaitingAddedAt === undefined || job.timestamp < totals.oldestWaitingAddedAt) totals.oldestWaitingAddedAt = job.timestamp;
      }
    };
    try {
      await Promise.all(
        Array.from({ length: Math.min(COUNT_CONCURRENCY, pending.length) }, async () => {
          for (let node = pending.pop(); node !== undefined; node = pending.pop()) await countOne(node);
        }),
      );
    } catch (error) {
      throw toQueueError(error, 'counting the jobs of the node queues');
    }
    return totals;
  }

  /** Drops the queue handle of a node that left (its Redis keys stay until their jobs age out). */
  async forgetNode(node: string): Promise<void> {
    const queue = this.queues.get(node);
    this.queues.delete(node);
    await queue?.close();
  }

  /** Closes every queue handle (the shared connection stays open). */
  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close()));
  }

  private queueFor(node: string): Queue {
    let queue = this.queues.get(node);
    if (queue === undefined) {
      assertObjectName(node, 'node');
      queue = new Queue(node, {
        connection: this.redis,
        prefix: this.keys.bullPrefix,
        skipVersionCheck: true,
        streams: { events: { maxLen: EVENT_STREAM_MAX_LENGTH } },
      });
      this.queues.set(node, queue);
    }
    return queue;
  }
}
