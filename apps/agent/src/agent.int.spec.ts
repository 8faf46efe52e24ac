import { createSimulatedHost } from '@nmfleet/nm-backend';
import {
  EnactmentStore,
  NodeQueues,
  ReportConsumer,
  createKeyLayout,
  createRedisConnection,
  formatJobId,
  type EnactmentReport,
  type KeyLayout,
  type NodeReport,
} from '@nmfleet/queue';
import { createLogger } from '@nmfleet/telemetry';
import { startRedis, type RedisHandle } from '@nmfleet/testenv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from './agent.js';
import { createSimulatedFleet } from './simulated/simulated-fleet.js';
import { buildTypicalNodeState } from './simulated/typical-node-state.js';

type Redis = ReturnType<typeof createRedisConnection>;

const UID = 'c0ffee00-1111-2222-3333-444455556666';
const logger = createLogger({ name: 'agent-spec', level: 'warn' });
const DHCP_ON_ETH1 = { interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: true, dhcp: true } }] };

let redisServer: RedisHandle;
let redis: Redis;
let blocking: Redis;
let keys: KeyLayout;
let store: EnactmentStore;
let queues: NodeQueues;
let consumer: ReportConsumer;
let agent: RunningAgent | undefined;
let suite = 0;

/** Plays the coordinator's part: records, admission, jobs. */
async function enqueue(policy: string, nodes: string[], desiredState: unknown, generation = 1): Promise<void> {
  await store.upsertRollout({ policy, generation, uid: UID, maxUnavailable: nodes.length, nodes });
  const admitted = await store.admit(
    { policy, generation, uid: UID },
    nodes.map((node) => ({ node, desiredHash: 'h' })),
  );
  if (admitted.status !== 'ok') throw new Error('rollout inactive');
  for (const [node, result] of admitted.results) {
    if (result === 'admitted') await queues.addJob({ policy, generation, uid: UID, node, desiredHash: 'h', desiredState });
  }
}

async function collectReports(count: number, kind: NodeReport['kind'] = 'enactment'): Promise<NodeReport[]> {
  const reports: NodeReport[] = [];
  const deadline = Date.now() + 20_000;
  while (reports.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out with ${reports.length}/${count} ${kind} reports`);
    const batch = await consumer.read();
    for (const report of batch.reports) {
      if (report.kind === 'enactment') await store.finish({ ...report, outcome: report.outcome });
    }
    await consumer.acknowledge(batch.reports.map((r) => r.id ?? ''));
    reports.push(...batch.reports.filter((r) => r.kind === kind));
  }
  return reports;
}

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedisConnection(redisServer.url, { connectionName: 'agent-spec' });
  blocking = redis.duplicate();
});

afterAll(async () => {
  blocking?.disconnect();
  await redis?.quit();
  await redisServer?.stop();
});

beforeEach(async () => {
  suite += 1;
  keys = createKeyLayout(`agent-${suite}`);
  store = new EnactmentStore({ connection: redis, keys });
  await store.acquireLeaderEpoch();
  queues = new NodeQueues({ connection: redis, keys });
  consumer = new ReportConsumer({ connection: redis, blockingConnection: blocking, keys, consumer: 'spec', blockMs: 200 });
  await consumer.ensureGroup();
});

afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await queues.close();
});

describe('agent on simulated hosts', () => {
  it('reports each node’s state at start, applies jobs, and carries the state only when it changed', async () => {
    const fleet = createSimulatedFleet({ nodes: ['node-a', 'node-b'], applyLatencyMs: 5 });
    agent = await startAgent({ connection: redis, keys, nodes: fleet.nodes, logger, onJobStart: fleet.onJobStart });
    const started = await collectReports(2, 'state');
    expect(started.map((r) => r.node).sort()).toEqual(['node-a', 'node-b']);

    await enqueue('dhcp', ['node-a', 'node-b'], DHCP_ON_ETH1);
    const first = (await collectReports(2)) as EnactmentReport[];
    expect(first.map((r) => [r.node, r.outcome, r.attempt, r.jobId])).toEqual(
      expect.arrayContaining([
        ['node-a', 'available', 1, formatJobId({ policy: 'dhcp', generation: 1, uid: UID })],
        ['node-b', 'available', 1, formatJobId({ policy: 'dhcp', generation: 1, uid: UID })],
      ]),
    );
    const eth1 = (report: NodeReport) =>
      ((report.state as { interfaces: { name: string; ipv4?: { dhcp?: boolean } }[] }).interfaces ?? []).find((i) => i.name === 'eth1');
    expect(first.every((r) => eth1(r)?.ipv4?.dhcp === true)).toBe(true);
    expect(first[0]?.probes?.filter((p) => p.selected).map((p) => p.kind).sort()).toEqual(['dns', 'gateway']);

    // The same desired state again changes nothing: the report carries no state.
    await enqueue('dhcp-again', ['node-a'], DHCP_ON_ETH1);
    const [again] = (await collectReports(1)) as EnactmentReport[];
    expect(again).toMatchObject({ node: 'node-a', outcome: 'available', stateHash: first.find((r) => r.node === 'node-a')?.stateHash });
    expect(again?.state).toBeUndefined();
    expect((await store.readRollout('dhcp', 1))?.records.map((r) => r.reported)).toEqual(['available', 'available']);
  });

  it('reports a failed apply as failing, with the host rolled back', async () => {
    const fleet = createSimulatedFleet({ nodes: ['node-a'], failNodes: ['node-a'] });
    agent = await startAgent({ connection: redis, keys, nodes: fleet.nodes, logger });
    const before = (await collectReports(1, 'state'))[0]?.state;
    await enqueue('dhcp', ['node-a'], DHCP_ON_ETH1);
    const [report] = (await collectReports(1)) as EnactmentReport[];
    expect(report).toMatchObject({ outcome: 'failing', errorKind: 'operation-failed', rolledBack: true });
    expect(report?.error).toMatch(/injected failure/);
    expect(report?.state).toBeUndefined();
    expect(await fleet.nodes[0]?.backend.show()).toEqual(before);
  });

  it('rolls back a change that breaks a probe which passed before it', async () => {
    const fleet = createSimulatedFleet({ nodes: ['node-a'] });
    agent = await startAgent({ connection: redis, keys, nodes: fleet.nodes, logger, processor: { probeRetryWindowMs: 0 } });
    const before = (await collectReports(1, 'state'))[0]?.state;
    // Moving eth0 off the gateway's subnet cuts the node off its default gateway.
    await enqueue('renumber', ['node-a'], {
      interfaces: [{ name: 'eth0', type: 'ethernet', state: 'up', ipv4: { enabled: true, dhcp: false, address: [{ ip: '198.51.100.7', 'prefix-length': 24 }] } }],
    });
    const [report] = (await collectReports(1)) as EnactmentReport[];
    expect(report).toMatchObject({ outcome: 'failing', errorKind: 'probe-failed', rolledBack: true });
    expect(report?.error).toMatch(/probe gateway(, dns)? failed after the change/);
    expect(report?.probes?.find((p) => p.kind === 'gateway')).toMatchObject({ selected: true, passed: false });
    expect(await fleet.nodes[0]?.backend.show()).toEqual(before);
    expect(await fleet.nodes[0]?.backend.listCheckpoints()).toEqual([]);
  });

  it('skips the job of a superseded generation and says so', async () => {
    const fleet = createSimulatedFleet({ nodes: ['node-a'] });
    await enqueue('dhcp', ['node-a'], DHCP_ON_ETH1);
    await store.upsertRollout({ policy: 'dhcp', generation: 2, uid: UID, maxUnavailable: 1, nodes: ['node-a'] });
    agent = await startAgent({ connection: redis, keys, nodes: fleet.nodes, logger });
    const [report] = (await collectReports(1)) as EnactmentReport[];
    expect(report).toMatchObject({ outcome: 'skipped', error: 'the policy generation is superseded' });
    expect(fleet.nodes[0] && (await fleet.nodes[0].backend.show())).toMatchObject({ interfaces: expect.any(Array) });
  });

  it('rolls back a stale checkpoint before serving the node', async () => {
    const host = createSimulatedHost({ name: 'node-a', initialState: buildTypicalNodeState(0) as never });
    const before = await host.show();
    await host.apply(DHCP_ON_ETH1 as never, { noCommit: true, rollbackTimeoutSeconds: 600 });
    expect(await host.listCheckpoints()).toHaveLength(1);
    agent = await startAgent({ connection: redis, keys, nodes: [{ name: 'node-a', backend: host, probes: [] }], logger });
    expect(await host.listCheckpoints()).toEqual([]);
    expect(await host.show()).toEqual(before);
  });
});
