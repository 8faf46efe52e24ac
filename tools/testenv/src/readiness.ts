import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestenvError, isTestenvError } from './errors.js';
import { readLogTail } from './log-tail.js';
import type { ServiceProcess } from './service-scope.js';

const FIRST_POLL_INTERVAL_MS = 20;
const MAX_POLL_INTERVAL_MS = 250;
/** How many times a start function tries fresh ports after losing a port race. */
export const PORT_ATTEMPTS = 5;

const PORT_IN_USE_PATTERN = /address already in use|EADDRINUSE/i;

/** A free TCP port on 127.0.0.1, chosen by the kernel. Another process may take it before we bind: see {@link retryOnPortRace}. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/** Runs `start` again (with fresh ports, chosen inside it) when it fails with `port-in-use`. */
export async function retryOnPortRace<T>(start: () => Promise<T>, attempts = PORT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!isTestenvError(error, 'port-in-use') || attempt >= attempts) throw error;
    }
  }
}

/** Options of {@link waitUntilReady}. */
export interface WaitUntilReadyOptions {
  /** The service, for its log and to notice it exiting. */
  readonly service: ServiceProcess;
  /** Deadline in milliseconds. */
  readonly timeoutMs: number;
  /** Says what "ready" means, for the error message, e.g. `GET /readyz answers ok`. */
  readonly condition: string;
}

/**
 * Polls `probe` until it returns true. Fails fast when the service exits (as
 * `port-in-use` when its log says so, so that the caller can retry), and with
 * `start-failed` at the deadline; both errors carry the tail of the service's log.
 */
export async function waitUntilReady(probe: () => Promise<boolean>, options: WaitUntilReadyOptions): Promise<void> {
  const { service, timeoutMs, condition } = options;
  const deadline = Date.now() + timeoutMs;
  let interval = FIRST_POLL_INTERVAL_MS;
  let lastProblem = '';
  for (;;) {
    const exit = service.exitDescription();
    if (exit) {
      const tail = readLogTail(service.logFile);
      const kind = PORT_IN_USE_PATTERN.test(tail) ? 'port-in-use' : 'start-failed';
      throw new TestenvError(kind, `${service.name} (pid ${service.pid}) ${exit} before it was ready; log: ${service.logFile}`, { logTail: tail });
    }
    try {
      if (await probe()) return;
      lastProblem = '';
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const why = lastProblem ? ` (last probe: ${lastProblem})` : '';
      throw new TestenvError(
        'start-failed',
        `${service.name} (pid ${service.pid}) was not ready within ${timeoutMs} ms: waited until ${condition}${why}; log: ${service.logFile}`,
        { logTail: readLogTail(service.logFile) },
      );
    }
    await sleep(interval);
    interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
  }
}
