import { describe, expect, it } from 'vitest';
import { LEASE_RESOURCE, formatResourcePath } from '../api/api-resources.js';
import type { Lease } from '../api/core-types.js';
import { KubeClient } from '../client/kube-client.js';
import { FakeApiServer } from '../testing/fake-api-server.js';
import { FakeClock, settle } from '../testing/fake-clock.js';
import { formatMicroTime, LeaderElector, type LeaderElectorOptions } from './leader-elector.js';

const LEASE_PATH = `${formatResourcePath(LEASE_RESOURCE, { namespace: 'nmstate' })}/nmfleet-coordinator`;

function setup() {
  const clock = new FakeClock();
  const server = new FakeApiServer({ clock });
  const client = new KubeClient({ transport: server, clock });
  const log: string[] = [];
  const candidate = (identity: string, extra: Partial<LeaderElectorOptions> = {}) => {
    const stop = new AbortController();
    let workStopped = false;
    const elector = new LeaderElector({
      client,
      clock,
      namespace: 'nmstate',
      name: 'nmfleet-coordinator',
      identity,
      onStartedLeading: (signal) => {
        log.push(`${identity} started`);
        return new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            workStopped = true;
            log.push(`${identity} work stopped`);
            resolve();
          }),
        );
      },
      onStoppedLeading: () => log.push(`${identity} stopped`),
      ...extra,
    });
    const running = elector.run(stop.signal);
    return { elector, stop, running, workStopped: () => workStopped };
  };
  const lease = () => server.getObject(LEASE_PATH) as Lease | undefined;
  return { clock, server, client, log, candidate, lease };
}

describe('LeaderElector', () => {
  it('lets exactly one of two candidates lead, and hands over at once on release', async () => {
    const { clock, log, candidate, lease } = setup();
    const a = candidate('a');
    await settle();
    const b = candidate('b');
    await clock.advance(10_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.elector.observedLeader).toBe('a');
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(lease()?.spec?.renewTime).toBe(formatMicroTime(clock.now()));

    a.stop.abort();
    await a.running;
    expect(log).toEqual(['a started', 'a work stopped', 'a stopped']);
    expect(lease()?.spec?.holderIdentity).toBe('');
    // B notices within one retry period, not a lease duration.
    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    b.stop.abort();
    await b.running;
  });

  it('takes over from a leader that died without releasing, after the lease duration', async () => {
    const { clock, candidate, lease } = setup();
    const a = candidate('a', { releaseOnStop: false });
    await settle();
    a.stop.abort(); // a crash: no release
    await a.running;
    expect(lease()?.spec?.holderIdentity).toBe('a');
    const b = candidate('b');
    await clock.advance(14_000);
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    b.stop.abort();
    await b.running;
  });

  it('stops leading when it cannot renew within the renew deadline, and campaigns again', async () => {
    const { clock, server, log, candidate } = setup();
    const a = candidate('a');
    await settle();
    expect(a.elector.isLeader()).toBe(true);
    server.failNext({ method: 'PUT' }, { status: 503 }, 100);
    server.failNext({ method: 'GET' }, { networkError: true }, 100);
    await clock.advance(9_000);
    expect(a.elector.isLeader()).toBe(true);
    await clock.advance(3_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.workStopped()).toBe(true);
    expect(log).toEqual(['a started', 'a work stopped', 'a stopped']);
    a.stop.abort();
    await a.running;
  });

  it('renews with one request per period and no read while nothing else touches the lease', async () => {
    const { clock, server, candidate } = setup();
    const a = candidate('a');
    await settle();
    const before = server.requests.length;
    await clock.advance(20_000);
    const renewals = server.requests.slice(before);
    expect(renewals.map((r) => r.method)).toEqual(Array(10).fill('PUT'));
    a.stop.abort();
    await a.running;
  });

  it('rejects inconsistent timings', () => {
    const { client } = setup();
    const base = { client, namespace: 'ns', name: 'l', identity: 'a', onStartedLeading: () => undefined };
    expect(() => new LeaderElector({ ...base, renewDeadlineMs: 20_000 })).toThrow(/retryPeriodMs .* < renewDeadlineMs .* < leaseDurationMs/);
    expect(() => new LeaderElector({ ...base, identity: '' })).toThrow(/must not be empty/);
  });
});
