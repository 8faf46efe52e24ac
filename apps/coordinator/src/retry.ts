import { QueueError } from '@nmfleet/queue';
import type { Logger } from '@nmfleet/telemetry';

/** First wait after a failed attempt, in milliseconds; doubles up to {@link RETRY_MAX_DELAY_MS}. */
export const RETRY_INITIAL_DELAY_MS = 200;
/** Longest wait between attempts, in milliseconds. */
export const RETRY_MAX_DELAY_MS = 5000;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `step` until it succeeds, waiting with exponential backoff between attempts:
 * an API server that is still starting, or a Redis that is down, delays the leader's
 * work instead of ending it. A fenced error (a newer leader) is not retried. Returns
 * undefined when `signal` aborts first.
 */
export async function retryUntilDone<T>(what: string, step: () => Promise<T>, signal: AbortSignal, logger: Logger): Promise<T | undefined> {
  let delay = RETRY_INITIAL_DELAY_MS;
  while (!signal.aborted) {
    try {
      return await step();
    } catch (error) {
      if (error instanceof QueueError && error.kind === 'fenced') throw error;
      if (signal.aborted) return undefined;
      logger.warn(`${what} failed; retrying`, { error, retryInMs: delay });
      await sleepUnlessAborted(delay, signal);
      delay = Math.min(RETRY_MAX_DELAY_MS, delay * 2);
    }
  }
  return undefined;
}
