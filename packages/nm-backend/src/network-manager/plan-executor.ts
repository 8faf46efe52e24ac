import type { Plan, PlanOperation } from '@nmfleet/planner';

/** Operations NetworkManager is asked to carry out at once, at most. */
export const MAX_PARALLEL_OPERATIONS = 64;

/** Options of {@link executeInParallel}. */
export interface ParallelExecutionOptions {
  /** Aborted on the first failure, so operations in flight can stop early. Default: none. */
  onFailure?: AbortController;
  /** Operations running at once, at most. Default: {@link MAX_PARALLEL_OPERATIONS}. */
  limit?: number;
  /**
   * Whether `dependent` may start once `dependency` has started (it calls its
   * `started` callback) rather than once it has finished. Default: never.
   */
  isStartEnough?: (dependency: PlanOperation, dependent: PlanOperation) => boolean;
}

/** Runs one operation; calls `started` when operations that only need it started may go. */
export type RunOperation = (operation: PlanOperation, index: number, started: () => void) => Promise<void>;

/**
 * Runs a plan's operations as soon as the operations they depend on are done
 * (or, where `isStartEnough` says so, started), up to `limit` at a time:
 * NetworkManager handles independent activations concurrently. The first
 * failure stops new operations from starting and aborts `onFailure`; those
 * in flight finish, then the failure is thrown.
 */
export async function executeInParallel(plan: Plan, run: RunOperation, options: ParallelExecutionOptions = {}): Promise<void> {
  const limit = options.limit ?? MAX_PARALLEL_OPERATIONS;
  const operations = plan.operations;
  const count = operations.length;
  const waitingOn = operations.map((op) => new Set(op.dependsOn));
  const dependents = operations.map(() => [] as number[]);
  waitingOn.forEach((deps, i) => deps.forEach((d) => dependents[d]?.push(i)));
  const ready = waitingOn.flatMap((deps, i) => (deps.size === 0 ? [i] : []));
  const released = (index: number, next: number): void => {
    const deps = waitingOn[next]!;
    if (deps.delete(index) && deps.size === 0) ready.push(next);
  };
  let running = 0;
  let done = 0;
  let failure: unknown;

  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (failure !== undefined) {
        if (running === 0) reject(failure);
        return;
      }
      if (done === count) {
        resolve();
        return;
      }
      while (running < limit && ready.length > 0) {
        const index = ready.shift()!;
        const operation = operations[index]!;
        running += 1;
        const started = (): void => {
          if (failure !== undefined) return;
          const early = (dependents[index] ?? []).filter((next) => options.isStartEnough?.(operation, operations[next]!) === true);
          for (const next of early) released(index, next);
          if (early.length > 0) pump();
        };
        run(operation, index, started).then(
          () => {
            running -= 1;
            done += 1;
            for (const next of dependents[index] ?? []) released(index, next);
            pump();
          },
          (error: unknown) => {
            running -= 1;
            failure ??= error;
            options.onFailure?.abort();
            pump();
          },
        );
      }
      if (running === 0 && ready.length === 0 && done < count) {
        reject(new Error(`plan operations wait on each other in a loop (${count - done} left)`));
      }
    };
    pump();
  });
}
