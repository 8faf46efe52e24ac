import { startControlPlane, type ControlPlane } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../client/kube-client.js';
import { LeaderElector, type LeaderElectorOptions } from './leader-elector.js';

const NAMESPACE = 'kube-system';

async function waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const micro = (time: string | undefined): number => Date.parse(time ?? '');

describe('LeaderElector against a real kube-apiserver', () => {
  let plane: ControlPlane;
  let client: KubeClient;

  beforeAll(async () => {
    plane = await startControlPlane();
    client = createKubeClient({ kubeConfig: plane.kubeConfig() });
  });

  afterAll(async () => {
    await plane?.stop();
  });

  function candidate(identity: string, lease: string, timings: Partial<LeaderElectorOptions>) {
    const stop = new AbortController();
    const leading: boolean[] = [];
    const elector = new LeaderElector({
      client,
      namespace: NAMESPACE,
      name: lease,
      identity,
      onStartedLeading: (signal) => {
        leading.push(true);
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      },
      ...timings,
    });
    const running = elector.run(stop.signal);
    return { elector, stop, running, leading };
  }

  it('lets one of two candidates lead; on release the other takes over long before the lease would expire', async () => {
    // A minute-long lease: a takeover within seconds can only come from the release.
    const timings = { leaseDurationMs: 60_000, renewDeadlineMs: 10_000, retryPeriodMs: 250 };
    const a = candidate('a', 'release', timings);
    const b = candidate('b', 'release', timings);
    await waitFor('a leader', () => a.elector.isLeader() || b.elector.isLeader(), 10_000);
    const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
    for (let i = 0; i < 20; i += 1) {
      expect(leader.elector.isLeader() && !follower.elector.isLeader()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const lease = await client.leases(NAMESPACE).get('release');
    expect(lease.spec).toMatchObject({ leaseDurationSeconds: 60, leaseTransitions: 0 });

    leader.stop.abort();
    await leader.running;
    await waitFor('the follower to take over', () => follower.elector.isLeader(), 10_000);
    const after = await client.leases(NAMESPACE).get('release');
    expect(after.spec?.leaseTransitions).toBe(1);
    expect(after.spec?.holderIdentity).toBe(follower === a ? 'a' : 'b');
    follower.stop.abort();
    await follower.running;
    expect((await client.leases(NAMESPACE).get('release')).spec?.holderIdentity).toBe('');
  });

  it('takes over from a leader that stopped renewing only after the lease expired', async () => {
    const timings = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 250 };
    const a = candidate('a', 'expiry', { ...timings, releaseOnStop: false });
    await waitFor('a to lead', () => a.elector.isLeader(), 10_000);
    a.stop.abort(); // gone without releasing, like a crashed process
    await a.running;
    const abandoned = await client.leases(NAMESPACE).get('expiry');
    expect(abandoned.spec?.holderIdentity).toBe('a');

    const b = candidate('b', 'expiry', timings);
    await waitFor('b to lead', () => b.elector.isLeader(), 15_000);
    const taken = await client.leases(NAMESPACE).get('expiry');
    expect(taken.spec?.holderIdentity).toBe('b');
    expect(taken.spec?.leaseTransitions).toBe(1);
    expect(micro(taken.spec?.acquireTime) - micro(abandoned.spec?.renewTime)).toBeGreaterThanOrEqual(3_000);
    b.stop.abort();
    await b.running;
  });
});
