import { describe, expect, it } from 'vitest';
import { isTestenvError } from './errors.js';
import { pollUntil } from './poll-until.js';

describe('pollUntil', () => {
  it('returns the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const value = await pollUntil(() => (++calls < 3 ? undefined : { calls }), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('fails with timed-out and names the last error', async () => {
    const error = await pollUntil(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the server' },
    ).catch((e: unknown) => e);
    expect(isTestenvError(error, 'timed-out')).toBe(true);
    expect((error as Error).message).toMatch(/waiting for the server; last error: connection refused/);
  });
});
