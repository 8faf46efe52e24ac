import type { Plan, PlanOperation } from '@nmfleet/planner';

/** Operations NetworkManager is asked to carry out at once, at most. */
export const MAX_PARALLEL_OPERATIONS = 64;

/**
 * Runs a plan's operations as soon as the operations they depend on are done,
 * up to `limit` at a time (NetworkManager handles independent activations
 * concurrently). The first failure stops new operations from starting and
 * aborts `onFailure`; those in flight finish, then the failure is thrown.
 */
export async function executeInParallel(
  plan: Plan,
  run: (operation: PlanOperation, index: number) => Promise<void>,
  onFailure?: AbortController,
  limit = MAX_PARALLEL_OPERATIONS,
): Promise<void> {
  const count = plan.operations.length;
  const waitingOn = plan.operations.map((op) => new Set(op.dependsOn));
  const dependents = plan.operations.map(() => [] as number[]);
  waitingOn.forEach((deps, i) => deps.forEach((d) => dependents[d]?.push(i)));
  const ready = waitingOn.flatMap((deps, i) => (deps.size === 0 ? [i] : []));
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
        running += 1;
        run(plan.operations[index]!, index).then(
          () => {
            running -= 1;
            done += 1;
            for (const next of dependents[index] ?? []) {
              const deps = waitingOn[next]!;
              deps.delete(index);
              if (deps.size === 0) ready.push(next);
            }
            pump();
          },
          (error: unknown) => {
            running -= 1;
            failure ??= error;
            onFailure?.abort();
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
