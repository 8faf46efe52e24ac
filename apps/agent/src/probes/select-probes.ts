import type { ProbeResult } from '@nmfleet/queue';
import { runProbe, shareStateRead, type Probe } from './probe.js';

/** A probe with its answer before the change. */
export interface ProbeSelection {
  probe: Probe;
  selected: boolean;
  seconds: number;
}

/**
 * Runs every probe before the change; those that pass are the ones that decide
 * afterwards. The probes of one round share one read of the host's state.
 */
export async function selectProbes(
  probes: readonly Probe[],
  timeoutMs: number,
  now: () => number,
  readState: () => Promise<unknown>,
): Promise<ProbeSelection[]> {
  const shared = shareStateRead(readState);
  return Promise.all(
    probes.map(async (probe) => {
      const started = now();
      const selected = await runProbe(probe, timeoutMs, shared.readState);
      return { probe, selected, seconds: (now() - started) / 1000 };
    }),
  );
}

/** Options of {@link runSelectedProbes}. */
export interface RunSelectedProbesOptions {
  timeoutMs: number;
  /** How long a failing probe is retried after the change, in milliseconds (links may take a moment). */
  retryWindowMs: number;
  retryIntervalMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** What the probes after the change found, and the state they read (when one did). */
export interface ProbeRound {
  results: ProbeResult[];
  /** The host's state as the first attempt read it; undefined when no selected probe needed it. */
  state: Promise<unknown> | undefined;
}

/**
 * Runs the selected probes after the change; the report lists every probe with its
 * part. A failing probe is retried within the window, each retry with a fresh state.
 */
export async function runSelectedProbes(
  selection: readonly ProbeSelection[],
  options: RunSelectedProbesOptions,
  readState: () => Promise<unknown>,
): Promise<ProbeRound> {
  const first = shareStateRead(readState);
  const results = await Promise.all(
    selection.map(async ({ probe, selected }): Promise<ProbeResult> => {
      if (!selected) return { kind: probe.kind, selected: false, seconds: 0 };
      const started = options.now();
      const deadline = started + options.retryWindowMs;
      let passed = await runProbe(probe, options.timeoutMs, first.readState);
      while (!passed && options.now() < deadline) {
        await options.sleep(options.retryIntervalMs);
        passed = await runProbe(probe, options.timeoutMs, readState);
      }
      return { kind: probe.kind, selected: true, passed, seconds: (options.now() - started) / 1000 };
    }),
  );
  return { results, state: first.read() };
}
