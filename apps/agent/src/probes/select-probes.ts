import type { ProbeResult } from '@nmfleet/queue';
import { runProbe, type Probe } from './probe.js';

/** A probe with its answer before the change. */
export interface ProbeSelection {
  probe: Probe;
  selected: boolean;
  seconds: number;
}

/** Runs every probe before the change; those that pass are the ones that decide afterwards. */
export async function selectProbes(probes: readonly Probe[], timeoutMs: number, now: () => number): Promise<ProbeSelection[]> {
  return Promise.all(
    probes.map(async (probe) => {
      const started = now();
      const selected = await runProbe(probe, timeoutMs);
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

/** Runs the selected probes after the change; the report lists every probe with its part. */
export async function runSelectedProbes(selection: readonly ProbeSelection[], options: RunSelectedProbesOptions): Promise<ProbeResult[]> {
  return Promise.all(
    selection.map(async ({ probe, selected }): Promise<ProbeResult> => {
      if (!selected) return { kind: probe.kind, selected: false, seconds: 0 };
      const started = options.now();
      const deadline = started + options.retryWindowMs;
      let passed = await runProbe(probe, options.timeoutMs);
      while (!passed && options.now() < deadline) {
        await options.sleep(options.retryIntervalMs);
        passed = await runProbe(probe, options.timeoutMs);
      }
      return { kind: probe.kind, selected: true, passed, seconds: (options.now() - started) / 1000 };
    }),
  );
}
