/** A pending timer; `cancel()` is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The passage of time, injected so that rate limits, backoff, lease expiry and
 * watch restarts can be tested with a fake clock instead of real waiting.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once, `delayMs` milliseconds from now. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
}

/** The wall clock and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * Resolves after `delayMs` on `clock`, or as soon as `signal` aborts (without
 * throwing: callers check `signal.aborted` themselves).
 */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
