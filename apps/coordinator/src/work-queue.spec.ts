import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('never queues a waiting key twice and reruns a key changed while running', async () => {
    const runs: string[] = [];
    let release: () => void = () => {};
    const queue = new WorkQueue({ concurrency: 1 });
    queue.start(async (key) => {
      runs.push(key);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    queue.add('a');
    queue.add('b');
    queue.add('b');
    queue.add('a');
    release();
    await queue.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await queue.whenIdle();
    expect(runs).toEqual(['a', 'b', 'a']);
  });

  it('retries a failing key with growing delays until it succeeds', async () => {
    const attempts: number[] = [];
    const delays: number[] = [];
    const queue = new WorkQueue({ initialBackoffMs: 5, onError: (_key, _error, retryInMs) => delays.push(retryInMs) });
    await new Promise<void>((resolve) => {
      queue.start(async () => {
        attempts.push(Date.now());
        if (attempts.length < 4) throw new Error('Redis unreachable');
        resolve();
      });
      queue.add('policy/p');
    });
    expect(attempts).toHaveLength(4);
    expect(delays).toEqual([5, 10, 20]);
  });

  it('runs a requeued key again after its delay', async () => {
    let runs = 0;
    const queue = new WorkQueue();
    await new Promise<void>((resolve) => {
      queue.start(async () => {
        runs += 1;
        if (runs === 2) resolve();
        return runs === 1 ? { requeueAfterMs: 5 } : undefined;
      });
      queue.add('k');
    });
    expect(runs).toBe(2);
    await queue.stop();
  });
});
