import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EnactmentJob, EnactmentJobData } from './enactment-job.js';
import { assertObjectName, type KeyLayout } from './key-layout.js';

/** Default of {@link NodeWorkerOptions.lockDurationMs}. */
export const JOB_LOCK_DURATION_MS = 30_000;

/** Default of {@link NodeWorkerOptions.stalledIntervalMs}. */
export const STALLED_CHECK_INTERVAL_MS = 30_000;

/** Default of {@link NodeWorkerOptions.maxStalledCount}. */
export const MAX_STALLED_COUNT = 3;

/** Options of {@link createNodeWorker}. */
export interface NodeWorkerOptions {
  /** The shared command connection; the worker opens one blocking duplicate of its own. */
  connection: Redis;
  keys: KeyLayout;
  node: string;
  /** Handles one job. It should report its outcome itself; a throw fails the job (see `onJobFailed`). */
  process: (job: EnactmentJob) => Promise<void>;
  /**
   * How long a running job's lock lasts without renewal, in milliseconds; after an agent
   * dies, its job is redelivered once the lock expired. Default: {@link JOB_LOCK_DURATION_MS}.
   */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for, in milliseconds. Default: {@link STALLED_CHECK_INTERVAL_MS}. */
  stalledIntervalMs?: number;
  /** Redeliveries of a stalled job before BullMQ fails it. Default: {@link MAX_STALLED_COUNT}. */
  maxStalledCount?: number;
  /** A job BullMQ failed without the processor reporting (it threw, or stalled too often). */
  onJobFailed?: (job: EnactmentJob, error: Error) => void;
  /** Connection and worker errors. */
  onError?: (error: Error) => void;
}

/** A running node worker. */
export interface NodeWorker {
  readonly node: string;
  /** Waits until the worker's connections are ready. */
  waitUntilReady(): Promise<void>;
  /** Stops taking jobs and waits for the running one (unless `force`). */
  close(force?: boolean): Promise<void>;
}

function toEnactmentJob(job: Job<EnactmentJobData>): EnactmentJob {
  return { id: job.id ?? '', data: job.data, attemptsStarted: job.attemptsStarted };
}

/**
 * The agent's consumer of one node queue: concurrency 1, so a node applies one job at
 * a time, in the order the coordinator admitted them.
 */
export function createNodeWorker(options: NodeWorkerOptions): NodeWorker {
  assertObjectName(options.node, 'node');
  const worker = new Worker<EnactmentJobData>(options.node, async (job) => options.process(toEnactmentJob(job)), {
    connection: options.connection,
    prefix: options.keys.bullPrefix,
    concurrency: 1,
    skipVersionCheck: true,
    lockDuration: options.lockDurationMs ?? JOB_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? STALLED_CHECK_INTERVAL_MS,
    maxStalledCount: options.maxStalledCount ?? MAX_STALLED_COUNT,
  });
  worker.on('failed', (job, error) => {
    if (job !== undefined) options.onJobFailed?.(toEnactmentJob(job), error);
  });
  worker.on('error', (error) => options.onError?.(error));
  return {
    node: options.node,
    waitUntilReady: async () => {
      await worker.waitUntilReady();
    },
    close: (force = false) => worker.close(force),
  };
}
