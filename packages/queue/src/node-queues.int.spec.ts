import { startRedis, type RedisHandle } from '@nmfleet/testenv';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnactmentJob, EnactmentJobData } from './enactment-job.js';
import { formatJobId } from './job-id.js';
import { createKeyLayout } from './key-layout.js';
import { NodeQueues } from './node-queues.js';
import { createNodeWorker, type NodeWorker } from './node-worker.js';
import { createRedisConnection } from './redis-connection.js';

let redisServer: RedisHandle;
let redis: Redis;

function jobData(node: string, policy: string, generation = 1): EnactmentJobData {
  return { policy, generation, uid: 'abcdef12-3456', node, desiredHash: 'h', desiredState: { interfaces: [] } };
}

function waitFor<T>(predicate: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const value = predicate();
      if (value !== undefined) resolve(value);
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedisConnection(redisServer.url, { connectionName: 'node-queues-spec' });
});

afterAll(async () => {
  await redis?.quit();
  await redisServer?.stop();
});

describe('node queues', () => {
  it('runs each node’s jobs one at a time, and ignores a re-added id', async () => {
    const keys = createKeyLayout('queues-a');
    const queues = new NodeQueues({ connection: redis, keys });
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const worker = createNodeWorker({
      connection: redis,
      keys,
      node: 'node-1',
      process: async (job: EnactmentJob) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        seen.push(job.id);
        running -= 1;
      },
    });
    try {
      await worker.waitUntilReady();
      const first = await queues.addJob(jobData('node-1', 'a'));
      await queues.addJob(jobData('node-1', 'a'));
      await queues.addJob(jobData('node-1', 'b'));
      await waitFor(() => (seen.length >= 2 ? true : undefined), 'two jobs');
      // A re-add after completion is still a no-op while the completed job is kept.
      await queues.addJob(jobData('node-1', 'a'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([first, formatJobId({ policy: 'b', generation: 1, uid: 'abcdef12' })]);
      expect(maxRunning).toBe(1);
      expect(await queues.readJobState('node-1', first)).toBe('completed');
    } finally {
      await worker.close();
      await queues.close();
    }
  });

  it('cancels a waiting job but not a running one', async () => {
    const keys = createKeyLayout('queues-b');
    const queues = new NodeQueues({ connection: redis, keys });
    let release: () => void = () => {};
    const started: string[] = [];
    const worker = createNodeWorker({
      connection: redis,
      keys,
      node: 'node-2',
      process: async (job) => {
        started.push(job.id);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    try {
      await worker.waitUntilReady();
      const running = await queues.addJob(jobData('node-2', 'a'));
      await waitFor(() => (started.length === 1 ? true : undefined), 'the first job to start');
      const waiting = await queues.addJob(jobData('node-2', 'b'));
      expect(await queues.cancelWaitingJob('node-2', running)).toBe(false);
      expect(await queues.cancelWaitingJob('node-2', waiting)).toBe(true);
      expect(await queues.readJobState('node-2', waiting)).toBe('unknown');
    } finally {
      release();
      await worker.close();
      await queues.close();
    }
    expect(started).toEqual([formatJobId({ policy: 'a', generation: 1, uid: 'abcdef12' })]);
  });

  it('counts jobs by state over several node queues and finds the oldest waiting one', async () => {
    const keys = createKeyLayout('queues-d');
    const queues = new NodeQueues({ connection: redis, keys });
    let release: () => void = () => {};
    const started: string[] = [];
    const worker = createNodeWorker({
      connection: redis,
      keys,
      node: 'node-4',
      process: async (job) => {
        started.push(job.id);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    try {
      await worker.waitUntilReady();
      expect(await queues.countJobs(['node-4', 'node-5'])).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        completed: 0,
        failed: 0,
        oldestWaitingAddedAt: undefined,
      });
      await queues.addJob(jobData('node-4', 'a'));
      await waitFor(() => (started.length === 1 ? true : undefined), 'the first job to start');
      const beforeOldest = Date.now();
      await queues.addJob(jobData('node-5', 'a'));
      const afterOldest = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await queues.addJob(jobData('node-5', 'b'));
      const counts = await queues.countJobs(['node-4', 'node-5']);
      expect(counts).toMatchObject({ waiting: 2, active: 1, delayed: 0, completed: 0, failed: 0 });
      expect(counts.oldestWaitingAddedAt).toBeGreaterThanOrEqual(beforeOldest);
      expect(counts.oldestWaitingAddedAt).toBeLessThanOrEqual(afterOldest);
    } finally {
      release();
      await worker.close();
    }
    expect(await queues.countJobs(['node-4', 'node-5'])).toMatchObject({ waiting: 2, active: 0, completed: 1 });
    await queues.close();
  });

  it('redelivers the job of a worker that died mid-job to its successor', async () => {
    const keys = createKeyLayout('queues-c');
    const queues = new NodeQueues({ connection: redis, keys });
    const lockOptions = { lockDurationMs: 600, stalledIntervalMs: 300 };
    const deliveries: { worker: string; attemptsStarted: number }[] = [];
    const deadConnection = redis.duplicate();
    const dying: NodeWorker = createNodeWorker({
      connection: deadConnection,
      keys,
      node: 'node-3',
      ...lockOptions,
      process: async (job) => {
        deliveries.push({ worker: 'dying', attemptsStarted: job.attemptsStarted });
        // Simulates a SIGKILL: the connection vanishes, the lock is never renewed nor released.
        deadConnection.disconnect();
        await new Promise(() => {});
      },
    });
    await dying.waitUntilReady();
    await queues.addJob(jobData('node-3', 'a'));
    await waitFor(() => (deliveries.length === 1 ? true : undefined), 'the first delivery');
    let successor: NodeWorker | undefined;
    try {
      successor = createNodeWorker({
        connection: redis,
        keys,
        node: 'node-3',
        ...lockOptions,
        process: async (job) => {
          deliveries.push({ worker: 'successor', attemptsStarted: job.attemptsStarted });
        },
      });
      await waitFor(() => (deliveries.length === 2 ? true : undefined), 'the redelivery');
      expect(deliveries.map((d) => d.worker)).toEqual(['dying', 'successor']);
      expect(deliveries[1]?.attemptsStarted).toBeGreaterThan(deliveries[0]?.attemptsStarted ?? 0);
    } finally {
      await successor?.close();
      await dying.close(true).catch(() => undefined);
      await queues.close();
    }
  });
});
