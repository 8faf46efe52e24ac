import {
  EnactmentStore,
  NodeQueues,
  ReportConsumer,
  createKeyLayout,
  createRedisConnection,
  type EnactmentReport,
} from '@nmfleet/queue';
import { createLogger } from '@nmfleet/telemetry';
import { startNetworkManager, startRedis, type NetworkManagerInstance, type RedisHandle } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from './agent.js';
import { createRedisProbe } from './probes/redis-probe.js';
import { createRealNode } from './real-node.js';

const UID = 'feedbeef-0000';
const BRIDGE = {
  interfaces: [
    { name: 'nmf-a0', type: 'veth', state: 'up', veth: { peer: 'nmf-a0p' }, ipv4: { enabled: false }, ipv6: { enabled: false } },
    { name: 'nmf-a0p', type: 'veth', state: 'up', veth: { peer: 'nmf-a0' }, ipv4: { enabled: false }, ipv6: { enabled: false } },
    {
      name: 'nmf-br0',
      type: 'linux-bridge',
      state: 'up',
      ipv4: { enabled: true, dhcp: false, address: [{ ip: '198.51.100.1', 'prefix-length': 24 }] },
      ipv6: { enabled: false },
      bridge: { options: { stp: { enabled: false } }, port: [{ name: 'nmf-a0' }] },
    },
  ],
};

let nm: NetworkManagerInstance;
let redisServer: RedisHandle;
let redis: ReturnType<typeof createRedisConnection>;
let agent: RunningAgent | undefined;

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedisConnection(redisServer.url, { connectionName: 'real-node-spec' });
  nm = await startNetworkManager(`nmf-agent-${process.pid}`);
});

afterAll(async () => {
  await agent?.close();
  await redis?.quit();
  await nm?.stop();
  await redisServer?.stop();
});

describe('agent on a real NetworkManager', () => {
  it('applies a job under a checkpoint, commits it, and reports the node’s new state', async () => {
    const keys = createKeyLayout('real-node');
    const store = new EnactmentStore({ connection: redis, keys });
    await store.acquireLeaderEpoch();
    const queues = new NodeQueues({ connection: redis, keys });
    const blocking = redis.duplicate();
    const consumer = new ReportConsumer({ connection: redis, blockingConnection: blocking, keys, consumer: 'spec', blockMs: 200 });
    await consumer.ensureGroup();
    const node = await createRealNode('real-node', { busAddress: nm.busAddress, namespace: nm.namespace, sharedProbes: [createRedisProbe(redis)] });
    agent = await startAgent({ connection: redis, keys, nodes: [node], logger: createLogger({ name: 'real-node-spec', level: 'warn' }) });

    await store.upsertRollout({ policy: 'bridge', generation: 1, uid: UID, maxUnavailable: 1, nodes: ['real-node'] });
    await store.admit({ policy: 'bridge', generation: 1, uid: UID }, [{ node: 'real-node', desiredHash: 'h' }]);
    await queues.addJob({ policy: 'bridge', generation: 1, uid: UID, node: 'real-node', desiredHash: 'h', desiredState: BRIDGE });

    let report: EnactmentReport | undefined;
    const deadline = Date.now() + 60_000;
    while (report === undefined && Date.now() < deadline) {
      const batch = await consumer.read();
      report = batch.reports.find((r): r is EnactmentReport => r.kind === 'enactment');
    }
    expect(report).toMatchObject({ node: 'real-node', outcome: 'available', attempt: 1 });
    expect(report?.probes?.find((p) => p.kind === 'redis')).toMatchObject({ selected: true, passed: true });
    const bridge = ((report?.state as { interfaces?: { name: string; state?: string }[] } | undefined)?.interfaces ?? []).find((i) => i.name === 'nmf-br0');
    expect(bridge?.state).toBe('up');
    expect(await node.backend.listCheckpoints()).toEqual([]);
    const links = await nm.exec('ip', ['-json', 'addr', 'show', 'dev', 'nmf-br0']);
    expect(links.stdout).toContain('198.51.100.1');
    await queues.close();
    blocking.disconnect();
  });
});
