import type { Plan, PlanOperation } from '@nmfleet/planner';
import { describe, expect, it } from 'vitest';
import { executeInParallel } from './plan-executor.js';

function planOf(dependencies: number[][]): Plan {
  return { merged: {}, operations: dependencies.map((dependsOn, i): PlanOperation => ({ kind: 'activate', interface: `if${i}`, dependsOn })) };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('executeInParallel', () => {
  it('starts an operation only after its dependencies, and independent ones together up to the limit', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    await executeInParallel(
      planOf([[], [], [], [0, 1], [3]]),
      async (op) => {
        running += 1;
        peak = Math.max(peak, running);
        log.push(`start ${op.interface}`);
        await tick();
        log.push(`end ${op.interface}`);
        running -= 1;
      },
      { limit: 2 },
    );
    expect(peak).toBe(2);
    expect(log.indexOf('start if3')).toBeGreaterThan(Math.max(log.indexOf('end if0'), log.indexOf('end if1')));
    expect(log.indexOf('start if4')).toBeGreaterThan(log.indexOf('end if3'));
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(5);
  });

  it('starts nothing new after a failure, lets running operations finish, then throws the first failure', async () => {
    const started: string[] = [];
    const aborted = new AbortController();
    let slowFinished = false;
    const run = executeInParallel(
      planOf([[], [], [0], [1]]),
      async (op) => {
        started.push(op.interface!);
        if (op.interface === 'if0') throw new Error('if0 broke');
        await tick();
        await tick();
        slowFinished = true;
      },
      { onFailure: aborted },
    );
    await expect(run).rejects.toThrow('if0 broke');
    expect(started).toEqual(['if0', 'if1']);
    expect(slowFinished).toBe(true);
    expect(aborted.signal.aborted).toBe(true);
  });

  it('starts a dependent early when its dependency says it has started and the edge allows it, others only at the end', async () => {
    const log: string[] = [];
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    await executeInParallel(
      planOf([[], [0], [0]]),
      async (op, _index, started) => {
        log.push(`start ${op.interface}`);
        if (op.interface === 'if0') {
          started();
          await tick();
          log.push('if0 still running');
          finishFirst();
          await tick();
        } else if (op.interface === 'if1') {
          await firstMayFinish;
        }
        log.push(`end ${op.interface}`);
      },
      { isStartEnough: (dependency, dependent) => dependency.interface === 'if0' && dependent.interface === 'if1' },
    );
    expect(log.indexOf('start if1')).toBeLessThan(log.indexOf('if0 still running'));
    expect(log.indexOf('start if2')).toBeGreaterThan(log.indexOf('end if0'));
  });

  it('reports operations that wait on each other', async () => {
    await expect(executeInParallel(planOf([[1], [0]]), async () => undefined)).rejects.toThrow(/loop/);
  });
});
