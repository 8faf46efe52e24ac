import { BackendError } from '../backend.js';

/**
 * The time source of a simulated host. Inject a fake one to drive latency and
 * checkpoint timeouts from a test without waiting.
 */
export interface SimulatedClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Wall-clock time; timers are unref'd so an idle simulated fleet never keeps a process alive. */
export const systemClock: SimulatedClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on `clock`; rejects with kind `aborted` when `signal` fires first. */
export function sleepOn(clock: SimulatedClock, ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      clock.clearTimeout(handle);
      reject(new BackendError('aborted', 'the apply was aborted'));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}
