/**
 * The safety net: synchronous cleanups that run when this process exits or is
 * interrupted, so an aborted test run leaves no services behind. Services stopped
 * normally unregister themselves first.
 */
type SyncCleanup = () => void;

const cleanups = new Set<SyncCleanup>();
const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function runAllCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort while exiting: one failed cleanup must not stop the others.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAllCleanups();
  process.removeListener(signal, onSignal);
  // Without other listeners, re-raise so the process still dies of the signal as it would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAllCleanups);
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
}

/** Registers a synchronous cleanup for process exit; returns the function that unregisters it. */
export function registerExitCleanup(cleanup: SyncCleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
