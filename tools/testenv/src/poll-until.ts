import { setTimeout as sleep } from 'node:timers/promises';
import { TestenvError } from './errors.js';

/** Options of {@link pollUntil}. */
export interface PollUntilOptions {
  /** Give up after this long. Default: 30 000 ms. */
  readonly timeoutMs?: number;
  /** Pause between attempts. Default: 100 ms. */
  readonly intervalMs?: number;
  /** What is awaited, for the error message. Default: `the condition`. */
  readonly description?: string;
}

/**
 * Calls `check` until it returns a value other than `undefined`/`false` and
 * returns that value; errors thrown by `check` count as "not yet" and the last
 * one is reported at the deadline. For eventually-consistent checks in tests
 * (a watch event, a Prometheus scrape), never for sleeping a fixed time.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined | false> | T | undefined | false, options: PollUntilOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new TestenvError('timed-out', `timed out after ${timeoutMs} ms waiting for ${options.description ?? 'the condition'}${why}`, { cause: lastError });
    }
    await sleep(options.intervalMs ?? 100);
  }
}
