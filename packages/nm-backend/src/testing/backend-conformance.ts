import type { NetworkState } from '@nmfleet/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, type NetworkBackend } from '../backend.js';
import type { StatePlanner } from '../apply/planner-port.js';
import type { FailurePhase } from '../simulated/simulated-failures.js';
import { toStableJson } from '../state/state-tree.js';
import {
  BRIDGE_ABSENT,
  BRIDGE_PORTS_ALONE,
  BRIDGE_WITH_PORTS,
  CHANGE_OVER_VETH_STATIC,
  DNS,
  MAC_VLAN,
  PORT_CLAIMED_TWICE,
  ROUTES,
  ROUTE_RULES,
  VETH_STATIC,
  VXLAN,
  stateWithType,
} from './conformance-states.js';

/** A backend under test, with the controls the conformance suite needs. */
export interface ConformanceTarget {
  backend: NetworkBackend;
  /** Makes the next apply fail at `phase`: half-way through its plan, or by a host that does not show the change afterwards. */
  injectFailure(phase: FailurePhase): void;
  /** Everything that must be identical before and after a rolled-back apply (links, addresses, routes, rules, profiles). */
  snapshot(): Promise<unknown>;
  /** Interface types this host cannot activate (each gets a failure-path case). */
  unsupportedTypes: readonly string[];
  /** Stops what `create` started. */
  dispose(): Promise<void>;
}

/** Options of {@link describeBackendConformance}. */
export interface ConformanceOptions {
  /** The planner whose verify judges `show` output. */
  planner: StatePlanner;
  /** Rollback timeout of the auto-rollback case, in seconds. Default: 1. */
  shortRollbackTimeoutSeconds?: number;
  /** How long to wait for an automatic rollback, in milliseconds. Default: 15000. */
  autoRollbackDeadlineMs?: number;
}

const CASES: [string, NetworkState][] = [
  ['veth with static IPv4 and IPv6', VETH_STATIC],
  ['linux-bridge with ports', BRIDGE_WITH_PORTS],
  ['mac-vlan', MAC_VLAN],
  ['vxlan', VXLAN],
  ['routes in the main and another table', ROUTES],
  ['route rules', ROUTE_RULES],
  ['DNS', DNS],
];

/**
 * The behaviour every {@link NetworkBackend} must show, as one vitest suite:
 * run it against the simulated host (unit test) and the real NetworkManager
 * (integration test) so the two cannot drift apart.
 */
export function describeBackendConformance(name: string, create: () => Promise<ConformanceTarget>, options: ConformanceOptions): void {
  const verify = (desired: NetworkState, shown: NetworkState): string[] => options.planner.verifyState(desired, shown).map((m) => m.message);

  describe(`backend conformance: ${name}`, () => {
    let target: ConformanceTarget;
    beforeEach(async () => {
      target = await create();
    });
    afterEach(async () => {
      await target.dispose();
    });

    describe('apply → show → verify', () => {
      for (const [title, desired] of CASES) {
        it(`${title}: shows what was applied, and a second apply changes nothing`, async () => {
          const result = await target.backend.apply(desired);
          expect(result.changed).toBe(true);
          expect(result.checkpoint).toBeUndefined();
          expect(verify(desired, await target.backend.show())).toEqual([]);

          const before = await target.snapshot();
          const again = await target.backend.apply(desired);
          expect(again).toMatchObject({ changed: false, operationCount: 0 });
          expect(await target.snapshot()).toEqual(before);
          expect(await target.backend.listCheckpoints()).toEqual([]);
        });
      }
    });

    describe('failures leave the host exactly as before', () => {
      const expectRolledBack = async (desired: NetworkState, kind: BackendError['kind'], mention: RegExp, arm?: () => void): Promise<void> => {
        await target.backend.apply(VETH_STATIC);
        const before = await target.snapshot();
        arm?.();
        const error = await target.backend.apply(desired).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(BackendError);
        const backendError = error as BackendError;
        expect(backendError.kind).toBe(kind);
        expect(backendError.details.rolledBack).toBe(true);
        expect(backendError.message).toMatch(mention);
        expect(backendError.message).toMatch(/rolled back/);
        expect(await target.snapshot()).toEqual(before);
        expect(await target.backend.listCheckpoints()).toEqual([]);
      };

      it('a failure injected half-way through the plan', async () => {
        await expectRolledBack(CHANGE_OVER_VETH_STATIC, 'operation-failed', /fail/, () => target.injectFailure('mid-plan'));
      });

      it('a verification that cannot pass', async () => {
        await expectRolledBack(CHANGE_OVER_VETH_STATIC, 'verification-failed', /verification failed/, () => target.injectFailure('verification'));
      });

      it('types the host lacks, with an error that names the cause', async () => {
        for (const type of target.unsupportedTypes) {
          await expectRolledBack(stateWithType(type), 'unsupported', new RegExp(`nmf-${type}0 \\(${type}\\).*not support`));
        }
      });

      it('an invalid desired state is refused before anything changes', async () => {
        await target.backend.apply(VETH_STATIC);
        const before = await target.snapshot();
        await expect(target.backend.apply(PORT_CLAIMED_TWICE)).rejects.toMatchObject({ kind: 'invalid-state' });
        expect(await target.snapshot()).toEqual(before);
        expect(await target.backend.listCheckpoints()).toEqual([]);
      });
    });

    describe('checkpoints', () => {
      it('--no-commit with a short timeout rolls back by itself', async () => {
        await target.backend.apply(VETH_STATIC);
        const before = await target.snapshot();
        const timeout = options.shortRollbackTimeoutSeconds ?? 1;
        const result = await target.backend.apply(CHANGE_OVER_VETH_STATIC, { noCommit: true, rollbackTimeoutSeconds: timeout });
        expect(result.checkpoint).toEqual(expect.any(String));
        expect(verify(CHANGE_OVER_VETH_STATIC, await target.backend.show())).toEqual([]);

        const deadline = options.autoRollbackDeadlineMs ?? 15_000;
        await waitFor(async () => (await target.backend.listCheckpoints()).length === 0, deadline);
        // The host rolls back on its own schedule: wait until it shows the old state, then compare once more.
        await waitFor(async () => toStableJson(await target.snapshot()) === toStableJson(before), deadline).catch(() => undefined);
        expect(await target.snapshot()).toEqual(before);
      });

      it('commit keeps the change past the timeout', async () => {
        const result = await target.backend.apply(VETH_STATIC, { noCommit: true, rollbackTimeoutSeconds: 1 });
        await target.backend.commit(result.checkpoint);
        expect(await target.backend.listCheckpoints()).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(verify(VETH_STATIC, await target.backend.show())).toEqual([]);
      });

      it('rollback undoes an uncommitted change', async () => {
        await target.backend.apply(VETH_STATIC);
        const before = await target.snapshot();
        await target.backend.apply(CHANGE_OVER_VETH_STATIC, { noCommit: true });
        await target.backend.rollback();
        expect(await target.snapshot()).toEqual(before);
      });

      it('an open checkpoint blocks a new apply unless asked to roll it back', async () => {
        await target.backend.apply(VETH_STATIC);
        const left = await target.backend.apply(CHANGE_OVER_VETH_STATIC, { noCommit: true });
        await expect(target.backend.apply(BRIDGE_PORTS_ALONE)).rejects.toMatchObject({ kind: 'checkpoint', message: expect.stringContaining(left.checkpoint!) });

        await target.backend.apply(BRIDGE_PORTS_ALONE, { staleCheckpoint: 'rollback' });
        expect(verify(BRIDGE_PORTS_ALONE, await target.backend.show())).toEqual([]);
        expect(verify(VETH_STATIC, await target.backend.show())).toEqual([]);
      });
    });

    describe('state: absent', () => {
      it('removes what it names and gives ports back their previous state', async () => {
        await target.backend.apply(BRIDGE_PORTS_ALONE);
        const portsAlone = await target.snapshot();
        await target.backend.apply(BRIDGE_WITH_PORTS);
        await target.backend.apply(BRIDGE_ABSENT);
        const shown = await target.backend.show();
        expect(verify(BRIDGE_ABSENT, shown)).toEqual([]);
        expect(verify(BRIDGE_PORTS_ALONE, shown)).toEqual([]);
        expect(toStableJson(await target.snapshot())).toEqual(toStableJson(portsAlone));
      });
    });
  });
}

async function waitFor(condition: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
