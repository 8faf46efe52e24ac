import type { Clock, TimerHandle } from '../time/clock.js';

interface Timer {
  at: number;
  sequence: number;
  callback: () => void;
  cancelled: boolean;
}

/** Lets pending promise chains run: several macrotask turns, each draining the microtask queue. */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told: `advance(ms)` runs the timers that fall
 * due, in order, letting promise chains settle between them.
 */
export class FakeClock implements Clock {
  private current: number;
  private sequence = 0;
  private timers: Timer[] = [];

  /** Starts at `startMs` (default 2026-01-01T00:00:00Z). */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer: Timer = { at: this.current + Math.max(0, delayMs), sequence: this.sequence++, callback, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Timers not yet run or cancelled. */
  get pendingTimerCount(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, running every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.sequence - b.sequence)[0];
      if (next === undefined) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }
}
