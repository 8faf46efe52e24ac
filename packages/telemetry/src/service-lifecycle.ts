import type { Logger } from './logger.js';

/**
 * Stops a long-running service on SIGTERM or SIGINT: logs `stopping` with the signal,
 * awaits `stop` once (a second signal while stopping is ignored) and exits 0, or logs
 * `shutdown failed` and exits 1.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** Runs a service's `main`; a failure before its logger exists goes to stderr as `NAME: STACK` and exits 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
