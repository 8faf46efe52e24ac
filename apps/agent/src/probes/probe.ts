import type { ProbeKind } from '@nmfleet/telemetry';

/**
 * A connectivity check the agent runs before and after a change. Only probes that
 * pass before the change decide whether it is committed (as upstream): a node that
 * never reached DNS must not have every policy rolled back for it.
 */
export interface Probe {
  readonly kind: ProbeKind;
  /** Resolves whether the probe passes; never rejects (a failure to probe is a failed probe). */
  check(context: ProbeContext): Promise<boolean>;
}

/** What a probe run gets: its deadline, and the host's state read once for all probes of the round. */
export interface ProbeContext {
  readonly signal: AbortSignal;
  /** The host's current state; the first call reads it, later calls of the same round share it. */
  readState(): Promise<unknown>;
}

/** A `readState` that reads once and shares the answer (one per probe round). */
export function shareStateRead(read: () => Promise<unknown>): { readState: () => Promise<unknown>; read: () => Promise<unknown> | undefined } {
  let pending: Promise<unknown> | undefined;
  return {
    readState: () => (pending ??= read()),
    read: () => pending,
  };
}

const NO_STATE = () => Promise.reject(new Error('this probe round has no state reader'));

/** Default of {@link runProbe}'s timeout, in milliseconds. */
export const PROBE_TIMEOUT_MS = 2000;

/** Runs one probe within a deadline; a probe that throws or times out fails. */
export async function runProbe(
  probe: Probe,
  timeoutMs: number = PROBE_TIMEOUT_MS,
  readState: () => Promise<unknown> = NO_STATE,
): Promise<boolean> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([probe.check({ signal: controller.signal, readState }).catch(() => false), deadline]);
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
    check: (context) => {
      const time = now();
      if (cached === undefined || time - cached.at >= ttlMs) cached = { at: time, result: probe.check(context) };
      return cached.result;
    },
  };
}
