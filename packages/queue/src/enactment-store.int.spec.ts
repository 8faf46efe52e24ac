import { startRedis, type RedisHandle } from '@nmfleet/testenv';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentLedger } from './agent-ledger.js';
import { ENACTMENT_STATES, type RolloutCounts } from './enactment-record.js';
import { EnactmentStore, type RolloutId } from './enactment-store.js';
import { QueueError } from './errors.js';
import { formatJobId } from './job-id.js';
import { createKeyLayout, type KeyLayout } from './key-layout.js';
import { createRedisConnection } from './redis-connection.js';

let redisServer: RedisHandle;
let redis: Redis;
let keys: KeyLayout;
let store: EnactmentStore;
let ledger: AgentLedger;
let clock = 1_000;
let suite = 0;

const rollout = (policy: string, generation = 1, uid = 'aaaaaaaa-0000'): RolloutId => ({ policy, generation, uid });
const nodes = (count: number) => Array.from({ length: count }, (_, i) => `node-${i}`);
const hashes = (names: string[]) => names.map((node) => ({ node, desiredHash: 'h' }));

async function admittedOf(id: RolloutId, candidates: string[]): Promise<string[]> {
  const result = await store.admit(id, hashes(candidates));
  if (result.status !== 'ok') throw new Error(`rollout inactive: ${result.rolloutStatus}`);
  return [...result.results].filter(([, r]) => r === 'admitted').map(([node]) => node);
}

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedisConnection(redisServer.url, { connectionName: 'enactment-store-spec' });
});

afterAll(async () => {
  await redis?.quit();
  await redisServer?.stop();
});

beforeEach(async () => {
  suite += 1;
  keys = createKeyLayout(`store-${suite}`);
  store = new EnactmentStore({ connection: redis, keys, now: () => clock });
  ledger = new AgentLedger({ connection: redis, keys, now: () => clock });
  await store.acquireLeaderEpoch();
});

afterEach(() => {
  clock += 1_000;
});

describe('EnactmentStore', () => {
  it('creates one pending record per node, idempotently', async () => {
    const first = await store.upsertRollout({ ...rollout('br1'), maxUnavailable: 2, nodes: nodes(3) });
    expect(first).toMatchObject({ status: 'ok', created: ['node-0', 'node-1', 'node-2'], counts: { pending: 3 } });
    const again = await store.upsertRollout({ ...rollout('br1'), maxUnavailable: 2, nodes: nodes(4) });
    expect(again).toMatchObject({ status: 'ok', created: ['node-3'], counts: { pending: 4 } });
    const snapshot = await store.readRollout('br1', 1);
    expect(snapshot?.records.map((r) => [r.node, r.state])).toEqual(nodes(4).map((n) => [n, 'pending']));
    expect(await store.readActiveGenerations()).toEqual(new Map([['br1', 1]]));
  });

  it('admits at most maxUnavailable nodes and records job id and desired hash', async () => {
    await store.upsertRollout({ ...rollout('br1'), maxUnavailable: 2, nodes: nodes(5) });
    const result = await store.admit(rollout('br1'), nodes(5).map((node) => ({ node, desiredHash: `hash-${node}` })));
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect([...result.results]).toEqual([
      ['node-0', 'admitted'],
      ['node-1', 'admitted'],
      ['node-2', 'full'],
      ['node-3', 'full'],
      ['node-4', 'full'],
    ]);
    expect(result.counts).toMatchObject({ pending: 3, progressing: 2 });
    const record = (await store.readRollout('br1', 1))?.records[0];
    expect(record).toMatchObject({ state: 'progressing', jobId: result.jobId, desiredHash: 'hash-node-0', admittedAt: clock });
    expect(await store.readInflight()).toEqual(new Map([['node-0', result.jobId], ['node-1', result.jobId]]));
  });

  it('answers admitted again for a retried admission (a lost reply)', async () => {
    await store.upsertRollout({ ...rollout('p'), maxUnavailable: 1, nodes: nodes(2) });
    expect(await admittedOf(rollout('p'), ['node-0'])).toEqual(['node-0']);
    expect(await admittedOf(rollout('p'), ['node-0'])).toEqual(['node-0']);
    expect(await store.countStates('p', 1)).toMatchObject({ pending: 1, progressing: 1 });
  });

  it('admits a node into one job at a time, across policies', async () => {
    await store.upsertRollout({ ...rollout('a-policy'), maxUnavailable: 5, nodes: ['node-0'] });
    await store.upsertRollout({ ...rollout('b-policy'), maxUnavailable: 5, nodes: ['node-0'] });
    expect(await admittedOf(rollout('a-policy'), ['node-0'])).toEqual(['node-0']);
    const second = await store.admit(rollout('b-policy'), hashes(['node-0']));
    expect(second.status === 'ok' && second.results.get('node-0')).toBe('busy');
    await store.finish({ policy: 'a-policy', generation: 1, node: 'node-0', jobId: formatJobId(rollout('a-policy')), outcome: 'available' });
    expect(await admittedOf(rollout('b-policy'), ['node-0'])).toEqual(['node-0']);
  });

  it('frees a slot on success; a failure keeps counting as unavailable', async () => {
    const id = rollout('p');
    const jobId = formatJobId(id);
    await store.upsertRollout({ ...id, maxUnavailable: 2, nodes: nodes(5) });
    await admittedOf(id, nodes(5));
    const ok = await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId, outcome: 'available' });
    expect(ok).toMatchObject({ status: 'ok', state: 'available', released: true, aborted: [] });
    expect(await admittedOf(id, ['node-2', 'node-3'])).toEqual(['node-2']);
    const failed = await store.finish({ policy: 'p', generation: 1, node: 'node-1', jobId, outcome: 'failing', error: 'boom' });
    expect(failed).toMatchObject({ status: 'ok', state: 'failing', aborted: [] });
    expect(await admittedOf(id, ['node-3'])).toEqual([]);
    const record = (await store.readRollout('p', 1))?.records.find((r) => r.node === 'node-1');
    expect(record).toMatchObject({ state: 'failing', error: 'boom', finishedAt: clock });
  });

  it('admits the node its finished job released into the next job named, in the same script', async () => {
    const a = rollout('a');
    const b = rollout('b');
    await store.upsertRollout({ ...a, maxUnavailable: 1, nodes: ['node-0'] });
    await store.upsertRollout({ ...b, maxUnavailable: 1, nodes: ['node-0', 'node-1'] });
    await admittedOf(a, ['node-0']);
    await admittedOf(b, ['node-1']);
    // b is full (node-1 holds its slot): node-0 is released but not admitted.
    const full = await store.finish({ policy: 'a', generation: 1, node: 'node-0', jobId: formatJobId(a), outcome: 'available' }, { rollout: b, desiredHash: 'hb' });
    expect(full).toMatchObject({ status: 'ok', state: 'available', released: true, next: { status: 'ok', result: 'full', counts: { progressing: 1, pending: 1 } } });
    expect(await store.readInflight()).toEqual(new Map([['node-1', formatJobId(b)]]));
    // node-1 ends b and is named for a job it has no record in; node-0 then takes b's freed slot.
    const missing = await store.finish({ policy: 'b', generation: 1, node: 'node-1', jobId: formatJobId(b), outcome: 'available' }, { rollout: a, desiredHash: 'ha' });
    expect(missing.next).toMatchObject({ status: 'ok', result: 'missing' });
    const c = rollout('c');
    await store.upsertRollout({ ...c, maxUnavailable: 1, nodes: ['node-0'] });
    await admittedOf(c, ['node-0']);
    const admitted = await store.finish({ policy: 'c', generation: 1, node: 'node-0', jobId: formatJobId(c), outcome: 'available' }, { rollout: b, desiredHash: 'hb' });
    expect(admitted).toMatchObject({ status: 'ok', released: true, next: { status: 'ok', jobId: formatJobId(b), result: 'admitted', counts: { progressing: 1 } } });
    expect(await store.readInflight()).toEqual(new Map([['node-0', formatJobId(b)]]));
    const record = (await store.readRollout('b', 1))?.records.find((r) => r.node === 'node-0');
    expect(record).toMatchObject({ state: 'progressing', desiredHash: 'hb', jobId: formatJobId(b), admittedAt: clock });
    // A report that releases nothing admits nothing; an inactive next rollout says so.
    const duplicate = await store.finish({ policy: 'c', generation: 1, node: 'node-0', jobId: formatJobId(c), outcome: 'available' }, { rollout: a, desiredHash: 'ha' });
    expect(duplicate).toMatchObject({ status: 'duplicate', released: false });
    expect(duplicate.next).toBeUndefined();
    await store.upsertRollout({ ...rollout('d'), maxUnavailable: 1, nodes: ['node-2'] });
    await admittedOf(rollout('d'), ['node-2']);
    await store.upsertRollout({ ...rollout('a', 2), maxUnavailable: 1, nodes: ['node-2'] });
    const inactive = await store.finish({ policy: 'd', generation: 1, node: 'node-2', jobId: formatJobId(rollout('d')), outcome: 'available' }, { rollout: a, desiredHash: 'ha' });
    // Generation 1 of a had nothing in flight: superseding it removed it.
    expect(inactive.next).toEqual({ status: 'inactive', rolloutStatus: 'missing' });
  });

  it('aborts every pending record when failures reach maxUnavailable, and records created later', async () => {
    const id = rollout('p');
    const jobId = formatJobId(id);
    await store.upsertRollout({ ...id, maxUnavailable: 2, nodes: nodes(5) });
    await admittedOf(id, nodes(5));
    await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId, outcome: 'failing' });
    const second = await store.finish({ policy: 'p', generation: 1, node: 'node-1', jobId, outcome: 'failing' });
    expect(second).toMatchObject({ status: 'ok', state: 'failing' });
    expect(second.status === 'ok' && [...second.aborted].sort()).toEqual(['node-2', 'node-3', 'node-4']);
    expect(await store.countStates('p', 1)).toMatchObject({ pending: 0, failing: 2, aborted: 3 });
    const late = await store.upsertRollout({ ...id, maxUnavailable: 2, nodes: ['node-9'] });
    expect(late).toMatchObject({ status: 'ok', created: [], aborted: ['node-9'] });
  });

  it('ignores a duplicate report and a report for another job', async () => {
    const id = rollout('p');
    const jobId = formatJobId(id);
    await store.upsertRollout({ ...id, maxUnavailable: 1, nodes: ['node-0'] });
    await admittedOf(id, ['node-0']);
    await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId, outcome: 'available' });
    const duplicate = await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId, outcome: 'failing' });
    expect(duplicate).toMatchObject({ status: 'duplicate', state: 'available', released: false });
    const foreign = await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId: 'p.1.other', outcome: 'failing' });
    expect(foreign).toEqual({ status: 'gone', released: false });
    expect(await store.countStates('p', 1)).toMatchObject({ available: 1, failing: 0 });
  });

  it('refuses every write of a deposed leader', async () => {
    await store.upsertRollout({ ...rollout('p'), maxUnavailable: 1, nodes: ['node-0'] });
    const successor = new EnactmentStore({ connection: redis, keys });
    await successor.acquireLeaderEpoch();
    expect(await store.isCurrentLeader()).toBe(false);
    const attempt = store.admit(rollout('p'), hashes(['node-0']));
    await expect(attempt).rejects.toBeInstanceOf(QueueError);
    await expect(store.admit(rollout('p'), hashes(['node-0']))).rejects.toMatchObject({ kind: 'fenced' });
    await expect(store.upsertRollout({ ...rollout('q'), maxUnavailable: 1, nodes: ['node-0'] })).rejects.toMatchObject({ kind: 'fenced' });
    expect(await successor.countStates('p', 1)).toMatchObject({ pending: 1, progressing: 0 });
    expect(await successor.readActiveGenerations()).toEqual(new Map([['p', 1]]));
  });

  it('supersedes an older generation: pending ends, in-flight nodes keep counting until they report', async () => {
    const gen1 = rollout('p', 1);
    const gen2 = rollout('p', 2);
    await store.upsertRollout({ ...gen1, maxUnavailable: 2, nodes: nodes(4) });
    await admittedOf(gen1, nodes(4));
    const upsert = await store.upsertRollout({ ...gen2, maxUnavailable: 2, nodes: nodes(4) });
    expect(upsert).toMatchObject({ status: 'ok', counts: { pending: 4, draining: 2 } });
    expect(upsert.status === 'ok' && upsert.superseded.map((j) => j.node).sort()).toEqual(['node-0', 'node-1']);
    expect(await store.countStates('p', 1)).toMatchObject({ pending: 0, progressing: 2, superseded: 2 });
    // Both slots are taken by nodes still applying generation 1.
    expect(await admittedOf(gen2, ['node-2', 'node-3'])).toEqual([]);
    expect(await store.upsertRollout({ ...gen1, maxUnavailable: 2, nodes: nodes(4) })).toEqual({ status: 'stale', activeGeneration: 2 });
    const claim = await ledger.claimApply({ policy: 'p', generation: 1, node: 'node-0', jobId: formatJobId(gen1) });
    expect(claim).toEqual({ action: 'skip', reason: 'the policy generation is superseded' });
    const done = await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId: formatJobId(gen1), outcome: 'skipped' });
    expect(done).toMatchObject({ status: 'ok', state: 'superseded', released: true });
    expect(await admittedOf(gen2, ['node-0', 'node-2'])).toEqual(['node-0']);
    const last = await store.finish({ policy: 'p', generation: 1, node: 'node-1', jobId: formatJobId(gen1), outcome: 'available' });
    expect(last).toMatchObject({ status: 'ok', state: 'available', retired: true });
    expect(await store.readRollout('p', 1)).toBeUndefined();
    expect(await store.readGenerations('p')).toEqual([2]);
    expect(await store.countStates('p', 2)).toMatchObject({ progressing: 1, draining: 0 });
  });

  it('retires the rollouts of a deleted and re-created policy with the same name', async () => {
    const old = rollout('p', 1, 'aaaaaaaa-1');
    const recreated = rollout('p', 1, 'bbbbbbbb-2');
    await store.upsertRollout({ ...old, maxUnavailable: 1, nodes: nodes(2) });
    await admittedOf(old, nodes(2));
    await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId: formatJobId(old), outcome: 'available' });
    await admittedOf(old, ['node-1']);
    const upsert = await store.upsertRollout({ ...recreated, maxUnavailable: 1, nodes: nodes(2) });
    expect(upsert).toMatchObject({ status: 'ok', created: ['node-0', 'node-1'], retired: [{ node: 'node-1', jobId: formatJobId(old) }] });
    // node-1 still runs the old object's job: busy until that job reports.
    expect(await admittedOf(recreated, ['node-1', 'node-0'])).toEqual(['node-0']);
    const oldReport = await store.finish({ policy: 'p', generation: 1, node: 'node-1', jobId: formatJobId(old), outcome: 'available' });
    expect(oldReport).toEqual({ status: 'gone', released: true });
    expect((await store.readRollout('p', 1))?.records.find((r) => r.node === 'node-1')?.state).toBe('pending');
  });

  it('deletes a policy; its in-flight node stays busy until its job reports', async () => {
    const id = rollout('p');
    await store.upsertRollout({ ...id, maxUnavailable: 1, nodes: nodes(2) });
    await admittedOf(id, nodes(2));
    expect(await store.deletePolicy('p')).toEqual([{ node: 'node-0', jobId: formatJobId(id) }]);
    expect(await store.readRollout('p', 1)).toBeUndefined();
    expect(await store.readActiveGenerations()).toEqual(new Map());
    expect(await store.readInflight()).toEqual(new Map([['node-0', formatJobId(id)]]));
    expect(await ledger.claimApply({ policy: 'p', generation: 1, node: 'node-0', jobId: formatJobId(id) })).toMatchObject({ action: 'skip' });
    expect(await store.finish({ policy: 'p', generation: 1, node: 'node-0', jobId: formatJobId(id), outcome: 'skipped' })).toEqual({
      status: 'gone',
      released: true,
    });
    expect(await store.readInflight()).toEqual(new Map());
    expect(await redis.keys(`${keys.root}:rollout:*`)).toEqual([]);
  });

  it('removes nodes that stop matching; a removed in-flight node drains', async () => {
    const id = rollout('p');
    await store.upsertRollout({ ...id, maxUnavailable: 1, nodes: nodes(3) });
    await admittedOf(id, nodes(3));
    const removal = await store.removeNodes(id, ['node-0', 'node-2', 'node-7']);
    expect(removal).toMatchObject({ removed: ['node-0', 'node-2'], counts: { pending: 1, progressing: 0, draining: 1 } });
    expect(await admittedOf(id, ['node-1'])).toEqual([]);
    await store.forgetNode('node-0');
    expect(await store.readDraining('p')).toEqual([]);
    expect(await admittedOf(id, ['node-1'])).toEqual(['node-1']);
  });

  it('does not count a forgotten node that stops matching (a node deleted while no leader watched)', async () => {
    const id = rollout('p');
    await store.upsertRollout({ ...id, maxUnavailable: 1, nodes: nodes(2) });
    await admittedOf(id, ['node-0']);
    await store.forgetNode('node-0');
    const removal = await store.removeNodes(id, ['node-0']);
    expect(removal).toMatchObject({ removed: ['node-0'], counts: { progressing: 0, draining: 0 } });
    expect(await admittedOf(id, ['node-1'])).toEqual(['node-1']);
  });

  it('validates its arguments before touching Redis', async () => {
    await expect(store.upsertRollout({ ...rollout('p'), maxUnavailable: 0, nodes: [] })).rejects.toThrow(/maxUnavailable 0 is invalid/);
    await expect(store.upsertRollout({ ...rollout('p'), maxUnavailable: 1, nodes: ['Bad_Node'] })).rejects.toThrow(/node name "Bad_Node"/);
    await expect(store.upsertRollout({ ...rollout('p', 1, ''), maxUnavailable: 1, nodes: [] })).rejects.toThrow(/empty uid/);
    expect(await redis.keys(`${keys.root}:rollout*`)).toEqual([]);
  });
});

describe('AgentLedger', () => {
  it('claims an admitted job once per attempt and never after its outcome is reported', async () => {
    const id = rollout('p');
    const jobId = formatJobId(id);
    await store.upsertRollout({ ...id, maxUnavailable: 1, nodes: nodes(2) });
    const job = { policy: 'p', generation: 1, node: 'node-0', jobId };
    expect(await ledger.claimApply(job)).toEqual({ action: 'skip', reason: 'the policy generation has no record admitted for this job' });
    await admittedOf(id, ['node-0']);
    expect(await ledger.claimApply(job)).toEqual({ action: 'apply', attempt: 1 });
    expect(await ledger.claimApply(job)).toEqual({ action: 'apply', attempt: 2 });
    await ledger.publishEnactmentReport(
      { kind: 'enactment', ...job, outcome: 'available', attempt: 2, startedAt: clock, endedAt: clock + 5, stateHash: 's1' },
      '{"interfaces":[]}',
    );
    expect(await ledger.claimApply(job)).toEqual({ action: 'done', reason: 'outcome already reported: available' });
    expect(await ledger.readStoredStateHash('node-0')).toBe('s1');
    const record = (await store.readRollout('p', 1))?.records[0];
    expect(record).toMatchObject({ state: 'progressing', attempts: 2, reported: 'available', startedAt: clock });
  });
});

describe('invariants under random operations', () => {
  const STATE_COUNT_KEYS = ENACTMENT_STATES as readonly (keyof RolloutCounts)[];

  it('keeps state sets equal to records, one job per node, and unavailable ≤ maxUnavailable', async () => {
    // mulberry32: a small seeded generator, so a failure replays identically.
    let seed = 20_240_611;
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) % 4_294_967_296) % n;
    };
    const seen = { admitted: 0, finished: 0, superseded: 0, aborted: 0, drained: 0 };
    const policies = ['a', 'b', 'c'];
    const fleet = nodes(8);
    const generations = new Map(policies.map((p) => [p, 1]));
    const maxUnavailable = new Map(policies.map((p) => [p, 1 + random(3)]));
    for (const policy of policies) {
      await store.upsertRollout({ ...rollout(policy), maxUnavailable: maxUnavailable.get(policy) ?? 1, nodes: fleet });
    }
    for (let step = 0; step < 600; step += 1) {
      const policy = policies[random(policies.length)] ?? 'a';
      const generation = generations.get(policy) ?? 1;
      const id = rollout(policy, generation);
      const node = fleet[random(fleet.length)] ?? 'node-0';
      const action = random(10);
      if (action < 5) {
        const result = await store.admit(id, hashes([node]));
        if (result.status === 'ok' && result.results.get(node) === 'admitted') seen.admitted += 1;
      } else if (action < 9) {
        const inflight = await store.readInflight();
        const jobId = inflight.get(node);
        if (jobId !== undefined) {
          const [jobPolicy, jobGeneration] = jobId.split('.');
          const outcome = (['available', 'available', 'failing', 'skipped'] as const)[random(4)] ?? 'available';
          const result = await store.finish({ policy: jobPolicy ?? '', generation: Number(jobGeneration), node, jobId, outcome });
          seen.finished += 1;
          if (result.status === 'ok') seen.aborted += result.aborted.length;
          if (result.status === 'ok' && result.retired) seen.drained += 1;
        }
      } else {
        generations.set(policy, generation + 1);
        maxUnavailable.set(policy, 1 + random(3));
        const result = await store.upsertRollout({
          ...rollout(policy, generation + 1),
          maxUnavailable: maxUnavailable.get(policy) ?? 1,
          nodes: fleet,
        });
        if (result.status === 'ok') seen.superseded += result.superseded.length;
      }
      // Invariants, read straight from Redis.
      const inflight = await store.readInflight();
      for (const p of policies) {
        for (const g of await store.readGenerations(p)) {
          const snapshot = await store.readRollout(p, g);
          if (snapshot === undefined) continue;
          const counts = await store.countStates(p, g);
          for (const state of STATE_COUNT_KEYS) {
            expect(counts[state], `${p}/${g} ${state} at step ${step}`).toBe(snapshot.records.filter((r) => r.state === state).length);
          }
          for (const record of snapshot.records.filter((r) => r.state === 'progressing')) {
            expect(inflight.get(record.node), `${record.node} in flight for ${p}/${g}`).toBe(record.jobId);
          }
          // Nodes still applying an older generation may exceed a lowered limit by themselves;
          // but once this generation admitted anyone, the total stays within its limit.
          if (snapshot.status === 'active' && counts.progressing + counts.failing > 0) {
            expect(counts.progressing + counts.failing + counts.draining, `${p}/${g} unavailable at step ${step}`).toBeLessThanOrEqual(
              snapshot.maxUnavailable,
            );
          }
        }
      }
    }
    // The walk must have gone through every kind of transition, or it proves little.
    for (const [kind, count] of Object.entries(seen)) expect(count, kind).toBeGreaterThan(0);
  });
});
