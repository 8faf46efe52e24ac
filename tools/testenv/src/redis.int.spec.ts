import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedRedisPrefix } from './isolation.js';
import { identifyProcess, isProcessAlive } from './process-identity.js';
import { pingRedis, startRedis, type RedisHandle } from './redis.js';

describe('startRedis with BullMQ', () => {
  let redis: RedisHandle;
  const connections: Redis[] = [];
  const connect = () => {
    // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for them.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
    await redis?.stop();
  });

  it('listens on loopback, keeps nothing on disk and never evicts', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = connect();
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
  });

  it('round-trips a job through a BullMQ queue and worker, under the suite prefix only', async () => {
    const prefix = isolatedRedisPrefix('redis-int roundtrip');
    const queue = new Queue('apply', { connection: connect(), prefix });
    const events = new QueueEvents('apply', { connection: connect(), prefix });
    const worker = new Worker<{ n: number }, { doubled: number }>('apply', async (job) => ({ doubled: job.data.n * 2 }), {
      connection: connect(),
      prefix,
    });
    try {
      await events.waitUntilReady();
      const job = await queue.add('double', { n: 21 }, { jobId: 'node-a.policy-1.gen-1' });
      expect(await job.waitUntilFinished(events, 30_000)).toEqual({ doubled: 42 });
      // The same job id is not enqueued twice (the coordinator's idempotence rests on this).
      await queue.add('double', { n: 99 }, { jobId: 'node-a.policy-1.gen-1' });
      expect(await queue.getJobCounts('completed', 'waiting', 'active')).toEqual({ completed: 1, waiting: 0, active: 0 });

      const keys = await connect().keys('*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);

      const neighbour = new Queue('apply', { connection: connect(), prefix: isolatedRedisPrefix('redis-int roundtrip') });
      expect(await neighbour.getJobCounts('completed', 'waiting')).toEqual({ completed: 0, waiting: 0 });
      await neighbour.close();
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
    }
  });

  it('persists to an append-only file when asked', async () => {
    const durable = await startRedis({ persistence: true, databases: 4 });
    try {
      const client = new Redis(durable.url);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'databases')).toEqual(['databases', '4']);
      await client.quit();
    } finally {
      await durable.stop();
    }
  });

  it('stops by PID and leaves no process or folder behind', async () => {
    await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => undefined)));
    const identity = identifyProcess(redis.pid);
    if (!identity) throw new Error(`redis pid ${redis.pid} is not running`);
    await redis.stop();
    expect(isProcessAlive(identity)).toBe(false);
    expect(await pingRedis(redis.port)).toBe(false);
    expect(existsSync(dirname(redis.logFile))).toBe(false);
  });
});
