import type { ProbeKind } from '@nmfleet/telemetry';

/**
 * A connectivity check the agent runs before and after a change. Only probes that
 * pass before the change decide whether it is committed (as upstream): a node that
 * never reached DNS must not have every policy rolled back for it.
 */
export interface Probe {
  readonly kind: ProbeKind;
  /** Resolves whether the probe passes; never rejects (a failure to probe is a failed probe). */
  check(signal: AbortSignal): Promise<boolean>;
}

/** Default of {@link runProbe}'s timeout, in milliseconds. */
export const PROBE_TIMEOUT_MS = 2000;

/** Runs one probe within a deadline; a probe that throws or times out fails. */
export async function runProbe(probe: Probe, timeoutMs: number = PROBE_TIMEOUT_MS): Promise<boolean> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([probe.check(controller.signal).catch(() => false), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Shares one probe's answer for `ttlMs` among many callers: the simulated fleet's
 * hundreds of nodes ask whether one API server and one Redis answer, and the
 * answer does not differ between them.
 */
export function shareProbe(probe: Probe, ttlMs: number, now: () => number = Date.now): Probe {
  let cached: { at: number; result: Promise<boolean> } | undefined;
  return {
    kind: probe.kind,
    check: (signal) => {
      const time = now();
      if (cached === undefined || time - cached.at >= ttlMs) cached = { at: time, result: probe.check(signal) };
      return cached.result;
    },
  };
}
