import type { Simulation } from '../simulation.js';

/** How often {@link waitFor} probes, in milliseconds. */
const PROBE_INTERVAL_MS = 50;

/**
 * Probes until `probe` returns a value other than `undefined` and resolves it; after
 * `timeoutMs` throws `timed out waiting for <what>`, followed by the simulation's
 * {@link Simulation.describeState} when one is given (so a failure in CI says why).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; simulation?: Simulation } = {},
): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) {
      const state = options.simulation?.describeState();
      throw new Error(`timed out waiting for ${what}${state === undefined ? '' : `\n${state}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}
