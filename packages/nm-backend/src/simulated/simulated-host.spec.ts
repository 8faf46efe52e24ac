import type { NetworkState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { defaultPlanner } from '../apply/planner-adapter.js';
import { BackendError } from '../backend.js';
import { describeBackendConformance } from '../testing/backend-conformance.js';
import { BRIDGE_WITH_PORTS, VETH_STATIC, stateWithType } from '../testing/conformance-states.js';
import type { SimulatedClock } from './simulated-clock.js';
import type { SimulatedFailures } from './simulated-failures.js';
import { createSimulatedHost, type SimulatedApplyEvent } from './simulated-host.js';

const KERNEL_LACKS = ['bond', 'vlan', 'dummy', 'vrf'];

describeBackendConformance(
  'simulated host',
  async () => {
    let failures: SimulatedFailures = { unsupportedTypes: KERNEL_LACKS };
    const host = createSimulatedHost({ name: 'sim-node-000', failures });
    return {
      backend: host,
      injectFailure: (phase) => {
        let armed = true;
        failures = {
          ...failures,
          phase,
          failOnCall: () => {
            const fire = armed;
            armed = false;
            return fire;
          },
        };
        host.setFailures(failures);
      },
      snapshot: async () => {
        const { state, profiles } = host.inspect();
        return { state, profiles };
      },
      unsupportedTypes: KERNEL_LACKS,
      dispose: async () => {
        await host.close();
        expect(host.hasPendingTimers()).toBe(false);
      },
    };
  },
  { planner: defaultPlanner },
);

/** A clock that moves only when told to. */
function createManualClock(): SimulatedClock & { advance(ms: number): Promise<void>; pending(): number } {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      nextId += 1;
      timers.set(nextId, { at: now + ms, callback });
      return nextId;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    advance: async (ms) => {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        // Let the awaiting apply run up to its next timer.
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = until;
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('simulated host', () => {
  it('takes the configured apply latency on its clock and reports start and end', async () => {
    const clock = createManualClock();
    const events: SimulatedApplyEvent[] = [];
    const host = createSimulatedHost({
      name: 'sim-node-001',
      clock,
      applyLatencyMs: 200,
      onApplyStart: (e) => events.push(e),
      onApplyEnd: (e) => events.push(e),
    });
    let done = false;
    const applying = host.apply(VETH_STATIC).then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);
    await clock.advance(199);
    await settle();
    expect(done).toBe(false);
    await clock.advance(1);
    await applying;
    expect(events).toEqual([
      { node: 'sim-node-001', callNumber: 1, startedAt: 0 },
      { node: 'sim-node-001', callNumber: 1, startedAt: 0, endedAt: 200, outcome: 'success' },
    ]);
    expect(clock.pending()).toBe(0);
    expect(host.hasPendingTimers()).toBe(false);
  });

  it('rolls a --no-commit apply back when its timeout passes on the clock', async () => {
    const clock = createManualClock();
    const rolledBack: string[] = [];
    const host = createSimulatedHost({ name: 'sim-node-002', clock, onAutoRollback: (c) => rolledBack.push(c.id) });
    const before = host.inspect().state;
    const result = await host.apply(VETH_STATIC, { noCommit: true, rollbackTimeoutSeconds: 30 });
    expect(host.hasPendingTimers()).toBe(true);
    await clock.advance(29_999);
    expect(host.inspect().checkpoints).toHaveLength(1);
    await clock.advance(1);
    expect(rolledBack).toEqual([result.checkpoint]);
    expect(host.inspect().state).toEqual(before);
    expect(host.hasPendingTimers()).toBe(false);
  });

  it('fails the n-th call, every call of a broken node, or the calls a predicate picks', async () => {
    const byNumber = createSimulatedHost({ name: 'a', failures: { failOnCall: 2 } });
    await byNumber.apply(VETH_STATIC);
    await expect(byNumber.apply(BRIDGE_WITH_PORTS)).rejects.toMatchObject({ kind: 'operation-failed', details: { rolledBack: true } });
    await byNumber.apply(BRIDGE_WITH_PORTS);

    const broken = createSimulatedHost({ name: 'b', failures: { failAllApplies: true, phase: 'verification' } });
    for (let i = 0; i < 3; i++) await expect(broken.apply(VETH_STATIC)).rejects.toMatchObject({ kind: 'verification-failed' });
    expect(broken.inspect().profiles).toEqual([]);

    const seen: number[] = [];
    const picky = createSimulatedHost({
      name: 'c',
      failures: {
        failOnCall: (call) => {
          seen.push(call.callNumber);
          return call.node === 'c' && call.callNumber % 2 === 1;
        },
      },
    });
    await expect(picky.apply(VETH_STATIC)).rejects.toBeInstanceOf(BackendError);
    await picky.apply(VETH_STATIC);
    expect(seen).toEqual([1, 2]);
  });

  it('names the interface and the type the host lacks', async () => {
    const host = createSimulatedHost({ name: 'sim-node-003', failures: { unsupportedTypes: ['bond'] } });
    await expect(host.apply(stateWithType('bond'))).rejects.toThrow(
      /activating nmf-bond0 \(bond\) failed: the kernel does not support bond interfaces .*rolled back/,
    );
    await host.apply(stateWithType('vlan'));
  });

  it('rejects an invalid rollback timeout before changing anything', async () => {
    const host = createSimulatedHost({ name: 'sim-node-004' });
    await expect(host.apply(VETH_STATIC, { rollbackTimeoutSeconds: 0 })).rejects.toMatchObject({ kind: 'invalid-state' });
    expect(host.inspect().profiles).toEqual([]);
  });

  it('keeps hundreds of hosts applying at once in one process, with no timer left when idle', async () => {
    const hosts = Array.from({ length: 300 }, (_, i) =>
      createSimulatedHost({ name: `sim-node-${String(i).padStart(3, '0')}`, applyLatencyMs: 5, failures: { failAllApplies: i % 100 === 7 } }),
    );
    const results = await Promise.allSettled(hosts.map((h) => h.apply(BRIDGE_WITH_PORTS)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
    expect(hosts.filter((h) => h.hasPendingTimers())).toEqual([]);
    const shown = (await hosts[0]!.show()) as unknown as { interfaces: { name: string; controller?: string }[] };
    expect(shown.interfaces.find((i) => i.name === 'nmf-p1')?.controller).toBe('nmf-br0');
  });

  it('starts from the given initial state and shows configuration without running routes and DNS with --running-config', async () => {
    const initialState = {
      interfaces: [
        { name: 'eth0', type: 'ethernet', state: 'up', ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.10', 'prefix-length': 24 }] } },
        { name: 'lo', type: 'loopback', state: 'up' },
      ],
      routes: { config: [{ destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.1', 'next-hop-interface': 'eth0', 'table-id': 254 }] },
      'dns-resolver': { config: { server: ['192.0.2.53'] } },
    } as unknown as NetworkState;
    const host = createSimulatedHost({ name: 'sim-node-005', initialState });
    const running = (await host.show({ runningConfig: true })) as unknown as Record<string, unknown>;
    // nmstatectl 2.2 lists every interface with --running-config (lo too) and leaves out what only runs.
    expect((running['interfaces'] as { name: string }[]).map((i) => i.name)).toEqual(['eth0', 'lo']);
    expect(running['dns-resolver']).toEqual({ config: { server: ['192.0.2.53'] } });
    expect(running['routes']).toEqual({ config: [expect.objectContaining({ destination: '0.0.0.0/0' })] });
    expect(defaultPlanner.verifyState(initialState, await host.show())).toEqual([]);
  });
});
