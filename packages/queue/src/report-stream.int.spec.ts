import { startRedis, type RedisHandle } from '@nmfleet/testenv';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentLedger } from './agent-ledger.js';
import { createKeyLayout } from './key-layout.js';
import type { EnactmentReport } from './node-report.js';
import { createRedisConnection } from './redis-connection.js';
import { ReportConsumer } from './report-consumer.js';

let redisServer: RedisHandle;
let redis: Redis;
const blocking: Redis[] = [];

function createConsumer(prefix: string, consumer: string): ReportConsumer {
  const blockingConnection = redis.duplicate();
  blocking.push(blockingConnection);
  return new ReportConsumer({ connection: redis, blockingConnection, keys: createKeyLayout(prefix), consumer, blockMs: 200 });
}

function report(node: string, outcome: EnactmentReport['outcome']): EnactmentReport {
  return { kind: 'enactment', node, policy: 'p', generation: 1, jobId: 'p.1.aaaa', outcome, attempt: 1, startedAt: 1, endedAt: 2 };
}

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedisConnection(redisServer.url, { connectionName: 'report-stream-spec' });
});

afterAll(async () => {
  for (const connection of blocking) connection.disconnect();
  await redis?.quit();
  await redisServer?.stop();
});

describe('report stream', () => {
  it('delivers reports in order with the state only when sent, and deletes acknowledged ones', async () => {
    const keys = createKeyLayout('reports-a');
    const ledger = new AgentLedger({ connection: redis, keys });
    const consumer = createConsumer('reports-a', 'c1');
    await consumer.ensureGroup();
    await consumer.ensureGroup();
    await ledger.publishStateReport({ kind: 'state', node: 'n1', at: 7, stateHash: 'h0', state: undefined }, '{"interfaces":[1]}');
    await ledger.publishEnactmentReport({ ...report('n1', 'available'), stateHash: 'h1' }, '{"interfaces":[2]}');
    await ledger.publishEnactmentReport({ ...report('n2', 'failing'), error: 'boom', stateHash: 'h2' });
    const batch = await consumer.read();
    expect(batch.malformed).toEqual([]);
    expect(batch.reports.map((r) => [r.kind, r.node, r.kind === 'enactment' ? r.outcome : '', r.state])).toEqual([
      ['state', 'n1', '', { interfaces: [1] }],
      ['enactment', 'n1', 'available', { interfaces: [2] }],
      ['enactment', 'n2', 'failing', undefined],
    ]);
    expect(await redis.hgetall(keys.nodeState('n1'))).toMatchObject({ hash: 'h1', state: '{"interfaces":[2]}' });
    expect(await consumer.countBacklog()).toBe(3);
    await consumer.acknowledge(batch.reports.map((r) => r.id ?? ''));
    expect(await consumer.countBacklog()).toBe(0);
    expect((await consumer.read()).reports).toEqual([]);
  });

  it('hands a dead consumer’s unacknowledged reports to the next one, and reports malformed entries', async () => {
    const keys = createKeyLayout('reports-b');
    const ledger = new AgentLedger({ connection: redis, keys });
    const first = createConsumer('reports-b', 'dead');
    await first.ensureGroup();
    await ledger.publishEnactmentReport(report('n1', 'available'));
    await ledger.publishEnactmentReport(report('n2', 'available'));
    await redis.xadd(keys.reports, '*', 'kind', 'enactment');
    const delivered = await first.read();
    expect(delivered.reports).toHaveLength(2);
    expect(delivered.malformed).toEqual([{ id: expect.any(String), reason: expect.stringMatching(/lacks the field node/) }]);
    await first.acknowledge([delivered.reports[0]?.id ?? '']);
    // "dead" never acknowledges the rest: its successor claims them before reading new ones.
    const successor = createConsumer('reports-b', 'successor');
    await successor.ensureGroup();
    const claimed = await successor.claimUnacknowledged();
    expect(claimed.reports.map((r) => r.node)).toEqual(['n2']);
    expect(claimed.malformed).toHaveLength(1);
    await successor.acknowledge([...claimed.reports.map((r) => r.id ?? ''), ...claimed.malformed.map((m) => m.id)]);
    expect(await successor.countBacklog()).toBe(0);
    expect((await successor.claimUnacknowledged()).reports).toEqual([]);
  });
});
