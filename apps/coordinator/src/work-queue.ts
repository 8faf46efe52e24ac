/** What a reconcile asks for: nothing (done), or to run again after a while. */
export type ReconcileResult = void | { requeueAfterMs: number };

/** Options of {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Keys reconciled at once (never the same key twice at once). Default: 4. */
  concurrency?: number;
  /** First retry delay of a key whose reconcile threw, in milliseconds; doubles per failure. Default: 100. */
  initialBackoffMs?: number;
  /** Longest retry delay, in milliseconds. Default: 30 000. */
  maxBackoffMs?: number;
  /** Told about every reconcile that threw (it is retried). */
  onError?: (key: string, error: unknown, retryInMs: number) => void;
  /** Told about every finished reconcile. */
  onReconciled?: (key: string, outcome: 'success' | 'requeue' | 'error', seconds: number) => void;
}

/**
 * A controller-runtime style queue of keys: a key waiting is never queued twice, a
 * key changed while it is being reconciled runs once more afterwards, and a key
 * whose reconcile threw is retried with exponential backoff (an unreachable Redis or
 * API server means waiting, never dropping the work).
 */
export class WorkQueue {
  private readonly concurrency: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private handler: ((key: string) => Promise<ReconcileResult>) | undefined;
  private running = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 4;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** Starts reconciling with `handler`. */
  start(handler: (key: string) => Promise<ReconcileResult>): void {
    this.handler = handler;
    this.pump();
  }

  /** Queues a key now (a pending delayed add of it is dropped). */
  add(key: string): void {
    if (this.stopped) return;
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Queues a key after `delayMs`, unless it is queued sooner. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Keys waiting, delayed or running. */
  get size(): number {
    return this.queued.size + this.active.size + this.timers.size;
  }

  /** Resolves when nothing is queued or running (delayed retries do not count). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking keys and drops delayed ones; waits for running reconciles. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.whenIdle();
  }

  private pump(): void {
    while (this.handler !== undefined && !this.stopped && this.running < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      this.running += 1;
      void this.process(key);
    }
    if (this.queue.length === 0 && this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async process(key: string): Promise<void> {
    const started = performance.now();
    let outcome: 'success' | 'requeue' | 'error' = 'success';
    try {
      const result = await (this.handler as (key: string) => Promise<ReconcileResult>)(key);
      this.failures.delete(key);
      if (result && result.requeueAfterMs >= 0) {
        outcome = 'requeue';
        this.finish(key);
        this.addAfter(key, result.requeueAfterMs);
        return;
      }
    } catch (error) {
      outcome = 'error';
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (failures - 1));
      this.options.onError?.(key, error, delay);
      this.finish(key);
      this.addAfter(key, delay);
      return;
    } finally {
      this.options.onReconciled?.(key, outcome, (performance.now() - started) / 1000);
    }
    this.finish(key);
  }

  private finish(key: string): void {
    this.active.delete(key);
    this.running -= 1;
    if (this.dirty.delete(key)) this.add(key);
    this.pump();
  }
}
