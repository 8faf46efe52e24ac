import { describe, expect, it } from 'vitest';
import { ENACTMENT_RESOURCE, POLICY_RESOURCE, STATE_RESOURCE, formatResourcePath } from '../api/api-resources.js';
import { buildEnactment } from '../api/node-network-configuration-enactment.js';
import { KubeClient } from '../client/kube-client.js';
import { FakeApiServer } from '../testing/fake-api-server.js';
import { FakeClock, settle } from '../testing/fake-clock.js';
import { StatusWriter, type StatusWriterOptions, type WriteCompletedEvent, type WriteResult } from './status-writer.js';

const ENACTMENTS = formatResourcePath(ENACTMENT_RESOURCE);
const POLICIES = formatResourcePath(POLICY_RESOURCE);
const STATES = formatResourcePath(STATE_RESOURCE);

function setup(options: StatusWriterOptions & { latencyMs?: number } = {}) {
  const clock = new FakeClock();
  const server = new FakeApiServer({ clock, latencyMs: options.latencyMs ?? 0 });
  const client = new KubeClient({ transport: server, clock });
  const completed: WriteCompletedEvent[] = [];
  const pendingSeen: number[] = [];
  const writer = new StatusWriter({
    clock,
    ...options,
    hooks: { onWriteCompleted: (e) => completed.push(e), onPendingChange: (n) => pendingSeen.push(n) },
  });
  /** Seeds `count` existing enactments and tells the writer about them. */
  const seedEnactments = (count: number): string[] =>
    Array.from({ length: count }, (_, i) => {
      const name = `node${i}.policy`;
      server.seed(ENACTMENTS, buildEnactment(`node${i}`, { name: 'policy' }));
      writer.noteExisting(client.enactments, name);
      return name;
    });
  const statusPatches = () => server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status'));
  const stored = (path: string) => server.getObject(path) as { status?: unknown } | undefined;
  return { clock, server, client, writer, completed, pendingSeen, seedEnactments, statusPatches, stored };
}

const status = (value: number) => ({ policyGeneration: value, conditions: [] });

describe('StatusWriter: token bucket', () => {
  it('sends a burst of 30 at once, then 20 per second, and keeps the bucket busy', async () => {
    const { clock, writer, client, seedEnactments, statusPatches } = setup();
    const names = seedEnactments(100);
    const results = names.map((name, i) => writer.writeStatus(client.enactments, name, status(i)));
    await settle();
    expect(statusPatches()).toHaveLength(30);
    await clock.advance(1000);
    expect(statusPatches()).toHaveLength(50);
    await clock.advance(2000);
    expect(statusPatches()).toHaveLength(90);
    await clock.advance(500);
    expect(statusPatches()).toHaveLength(100);
    expect((await Promise.all(results)).every((r) => r.outcome === 'written')).toBe(true);
    expect(writer.pendingCount).toBe(0);
  });

  it('keeps the bucket busy when requests take time: 100 writes at 20 QPS with 150 ms latency end near 3.5 s', async () => {
    const { clock, writer, client, seedEnactments } = setup({ latencyMs: 150 });
    const names = seedEnactments(100);
    let done = 0;
    for (const [i, name] of names.entries()) void writer.writeStatus(client.enactments, name, status(i)).then(() => (done += 1));
    await clock.advance(3400);
    expect(done).toBeLessThan(100);
    await clock.advance(300);
    expect(done).toBe(100);
  });

  it('rejects unusable options before anything is sent', () => {
    expect(() => new StatusWriter({ qps: 0 })).toThrow(/qps must be a positive number/);
    expect(() => new StatusWriter({ burst: 0.5 })).toThrow(/burst must be an integer/);
    expect(() => new StatusWriter({ maxInFlight: 0 })).toThrow(/maxInFlight/);
  });
});

describe('StatusWriter: coalescing', () => {
  it('replaces an unsent status with a newer one: one write per object carries the newest', async () => {
    const { clock, writer, client, seedEnactments, statusPatches, stored, completed } = setup({ qps: 1, burst: 1 });
    const [first, second] = seedEnactments(2) as [string, string];
    void writer.writeStatus(client.enactments, first, status(0)); // takes the only token
    const results: Promise<WriteResult>[] = [];
    for (let v = 1; v <= 10; v += 1) results.push(writer.writeStatus(client.enactments, second, status(v)));
    expect(writer.pendingCount).toBe(2);
    await clock.advance(1000);
    expect(statusPatches().map((r) => (r.body as { status: { policyGeneration: number } }).status.policyGeneration)).toEqual([0, 10]);
    expect(stored(`${ENACTMENTS}/${second}`)?.status).toEqual(status(10));
    expect((await Promise.all(results)).map((r) => r.outcome)).toEqual(Array(10).fill('written'));
    expect(completed.find((e) => e.submissions === 10)).toMatchObject({ outcome: 'written', requests: 1, waitSeconds: 1 });
  });

  it('never writes a status equal to the last one written, and drops a pending one that returns to it', async () => {
    const { clock, writer, client, seedEnactments, statusPatches } = setup({ qps: 1, burst: 1 });
    const [name] = seedEnactments(1) as [string];
    expect((await writer.writeStatus(client.enactments, name, { a: 1, b: [1, 2] })).outcome).toBe('written');
    expect((await writer.writeStatus(client.enactments, name, { b: [1, 2], a: 1 })).outcome).toBe('unchanged');
    const changed = writer.writeStatus(client.enactments, name, { a: 2 });
    const reverted = writer.writeStatus(client.enactments, name, { a: 1, b: [1, 2] });
    expect(await changed).toEqual({ outcome: 'unchanged', requests: 0 });
    expect(await reverted).toEqual({ outcome: 'unchanged', requests: 0 });
    await clock.advance(5000);
    expect(statusPatches()).toHaveLength(1);
  });

  it('skips statuses an informer reported as current after a restart', async () => {
    const { writer, client, server, statusPatches } = setup();
    server.seed(STATES, { metadata: { name: 'node1' } });
    writer.noteCurrentStatus(client.states, 'node1', { currentState: { interfaces: [] } });
    const result = await writer.ensureStatus(client.states, { metadata: { name: 'node1' } }, { currentState: { interfaces: [] } });
    expect(result.outcome).toBe('unchanged');
    expect(server.requests).toHaveLength(0);
    expect(statusPatches()).toHaveLength(0);
  });

  it('keeps FIFO order across objects; an object written again goes to the back', async () => {
    const { clock, writer, client, seedEnactments, statusPatches } = setup({ qps: 1, burst: 1 });
    const [a, b, c] = seedEnactments(3) as [string, string, string];
    void writer.writeStatus(client.enactments, a, status(1));
    void writer.writeStatus(client.enactments, b, status(1));
    await settle(); // a is written
    void writer.writeStatus(client.enactments, c, status(1));
    void writer.writeStatus(client.enactments, a, status(2));
    void writer.writeStatus(client.enactments, b, status(2)); // b is still queued: replaced in place
    await clock.advance(5000);
    expect(statusPatches().map((r) => `${r.path.split('/').at(-2)}=${(r.body as { status: { policyGeneration: number } }).status.policyGeneration}`)).toEqual([
      `${a}=1`,
      `${b}=2`,
      `${c}=1`,
      `${a}=2`,
    ]);
  });
});

describe('StatusWriter: ensure, create and delete', () => {
  it('creates a missing object, then writes its status; a status submitted meanwhile is the one written', async () => {
    const { clock, writer, client, server, stored } = setup({ latencyMs: 10 });
    const enactment = buildEnactment('node1', { name: 'br1', uid: 'uid-1' });
    const first = writer.ensureStatus(client.enactments, enactment, status(1));
    await clock.advance(5); // the create is in flight
    const second = writer.ensureStatus(client.enactments, enactment, status(2));
    await clock.advance(100);
    expect(await first).toMatchObject({ outcome: 'written', requests: 2 });
    expect(await second).toMatchObject({ outcome: 'written' });
    expect(server.requests.map((r) => `${r.method} ${r.path.replace(ENACTMENTS, '')}`)).toEqual(['POST ', 'PATCH /node1.br1/status']);
    const created = stored(`${ENACTMENTS}/node1.br1`) as { metadata: { labels: unknown; ownerReferences: unknown }; status: unknown };
    expect(created.status).toEqual(status(2));
    expect(created.metadata.labels).toEqual({ 'nmstate.io/policy': 'br1', 'nmstate.io/node': 'node1' });
    expect(server.requests[0]?.body).toMatchObject({ apiVersion: 'nmstate.io/v1beta1', kind: 'NodeNetworkConfigurationEnactment' });
  });

  it('treats AlreadyExists on create as existing, and recreates an object deleted behind its back', async () => {
    const { clock, writer, client, server, stored } = setup();
    server.seed(STATES, { metadata: { name: 'node1' } });
    expect((await writer.ensureStatus(client.states, { metadata: { name: 'node1' } }, { handlerNmstateVersion: '1' })).requests).toBe(2);
    await client.states.delete('node1');
    const result = writer.ensureStatus(client.states, { metadata: { name: 'node1' } }, { handlerNmstateVersion: '2' });
    await clock.advance(1000);
    expect(await result).toMatchObject({ outcome: 'written', requests: 3 });
    expect(stored(`${STATES}/node1`)?.status).toEqual({ handlerNmstateVersion: '2' });
  });

  it('writeStatus never creates: a missing policy resolves not-found', async () => {
    const { writer, client, server } = setup();
    expect(await writer.writeStatus(client.policies, 'gone', { conditions: [] })).toMatchObject({ outcome: 'not-found', requests: 1 });
    expect(server.getObject(`${POLICIES}/gone`)).toBeUndefined();
  });

  it('a delete replaces a pending status; a later ensure creates the object again', async () => {
    const { clock, writer, client, seedEnactments, server } = setup({ qps: 1, burst: 1 });
    const [name, other] = seedEnactments(2) as [string, string];
    void writer.writeStatus(client.enactments, other, status(0));
    void writer.writeStatus(client.enactments, name, status(1));
    const deleted = writer.delete(client.enactments, name);
    await clock.advance(1000);
    expect(await deleted).toMatchObject({ outcome: 'written', requests: 1 });
    expect(server.getObject(`${ENACTMENTS}/${name}`)).toBeUndefined();
    const recreated = writer.ensureStatus(client.enactments, buildEnactment('node0', { name: 'policy' }), status(2));
    await clock.advance(2000);
    expect(await recreated).toMatchObject({ outcome: 'written', requests: 2 });
    expect(server.requests.filter((r) => r.path.includes(name) || r.method === 'POST').map((r) => r.method)).toEqual(['DELETE', 'POST', 'PATCH']);
  });
});

describe('StatusWriter: failures', () => {
  it('honours Retry-After on 429 by pausing every write, then resumes with the throttled object first', async () => {
    const throttles: number[] = [];
    const { clock, writer, client, server, seedEnactments, statusPatches } = setup({ hooks: {} });
    const names = seedEnactments(5);
    const writerWithHook = new StatusWriter({ clock, hooks: { onThrottled: (e) => throttles.push(e.retryAfterSeconds) } });
    for (const name of names) writerWithHook.noteExisting(client.enactments, name);
    server.failNext({ method: 'PATCH' }, { status: 429, headers: { 'retry-after': '3' } });
    const results = names.map((name, i) => writerWithHook.writeStatus(client.enactments, name, status(i)));
    await settle();
    // The first write was throttled; the others, already in flight, went through.
    expect(statusPatches()).toHaveLength(5);
    void writerWithHook.writeStatus(client.enactments, names[1] as string, status(100));
    await clock.advance(2999);
    expect(statusPatches()).toHaveLength(5);
    await clock.advance(1);
    expect(statusPatches().slice(5).map((r) => r.path.split('/').at(-2))).toEqual([names[0], names[1]]);
    expect((await Promise.all(results)).map((r) => r.outcome)).toEqual(Array(5).fill('written'));
    expect(throttles).toEqual([3]);
    void writer;
  });

  it('pauses for Retry-After even when only one write is in flight at a time', async () => {
    const { clock, client, server } = setup();
    const writer = new StatusWriter({ clock, maxInFlight: 1 });
    for (let i = 0; i < 3; i += 1) {
      server.seed(ENACTMENTS, { metadata: { name: `n${i}` } });
      writer.noteExisting(client.enactments, `n${i}`);
    }
    server.failNext({ method: 'PATCH' }, { status: 429, headers: { 'retry-after': '2' } });
    for (let i = 0; i < 3; i += 1) void writer.writeStatus(client.enactments, `n${i}`, status(i));
    await settle();
    expect(server.countRequests({ method: 'PATCH' })).toBe(1);
    await clock.advance(1999);
    expect(server.countRequests({ method: 'PATCH' })).toBe(1);
    await clock.advance(1);
    expect(server.requests.slice(1).map((r) => r.path.split('/').at(-2))).toEqual(['n0', 'n1', 'n2']);
  });

  it('retries 5xx and network errors with backoff, sending the newest status and never reordering', async () => {
    const { clock, writer, client, server, seedEnactments, statusPatches, stored } = setup();
    const [name] = seedEnactments(1) as [string];
    server.failNext({ method: 'PATCH' }, { status: 503 });
    server.failNext({ method: 'PATCH' }, { networkError: true });
    const first = writer.writeStatus(client.enactments, name, status(1));
    await settle();
    expect(statusPatches()).toHaveLength(1);
    const second = writer.writeStatus(client.enactments, name, status(2)); // while backing off
    await clock.advance(199);
    expect(statusPatches()).toHaveLength(1);
    await clock.advance(1); // 200 ms: second attempt, network error
    expect(statusPatches()).toHaveLength(2);
    await clock.advance(400); // 400 ms later: third attempt succeeds
    expect(statusPatches()).toHaveLength(3);
    const sent = statusPatches().map((r) => (r.body as { status: { policyGeneration: number } }).status.policyGeneration);
    expect(sent).toEqual([1, 2, 2]);
    expect(await first).toMatchObject({ outcome: 'written', requests: 3 });
    expect(await second).toMatchObject({ outcome: 'written' });
    expect(stored(`${ENACTMENTS}/${name}`)?.status).toEqual(status(2));
  });

  it('resolves a conflict by re-applying the newest whole status, without reading first', async () => {
    const { clock, writer, client, server, seedEnactments, stored } = setup();
    const [name] = seedEnactments(1) as [string];
    server.failNext({ method: 'PATCH' }, { status: 409, reason: 'Conflict', message: 'the object has been modified' });
    const result = writer.writeStatus(client.enactments, name, status(7));
    await clock.advance(1000);
    expect(await result).toMatchObject({ outcome: 'written', requests: 2 });
    expect(server.countRequests({ method: 'GET' })).toBe(0);
    expect(stored(`${ENACTMENTS}/${name}`)?.status).toEqual(status(7));
    const patch = server.requests.at(-1);
    expect(patch?.contentType).toBe('application/apply-patch+yaml');
    expect(patch?.query).toMatchObject({ fieldManager: 'nmfleet-coordinator', force: true });
  });

  it('gives up at once on a rejection that retrying cannot fix', async () => {
    const { writer, client, server, seedEnactments } = setup();
    const [name] = seedEnactments(1) as [string];
    server.failNext({ method: 'PATCH' }, { status: 422, reason: 'Invalid', message: 'status.policyGeneration: Invalid value' });
    const result = await writer.writeStatus(client.enactments, name, status(1));
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'invalid', statusCode: 422 });
    expect(writer.pendingCount).toBe(0);
  });

  it('gives up after maxAttempts when asked to', async () => {
    const { clock, client, server } = setup();
    const writer = new StatusWriter({ clock, maxAttempts: 3 });
    server.seed(ENACTMENTS, { metadata: { name: 'x' } });
    writer.noteExisting(client.enactments, 'x');
    server.failNext({ method: 'PATCH' }, { status: 500 }, 10);
    const result = writer.writeStatus(client.enactments, 'x', status(1));
    await clock.advance(10_000);
    expect(await result).toMatchObject({ outcome: 'failed', requests: 3 });
  });
});

describe('StatusWriter: shutdown and metrics', () => {
  it('flush waits for everything; close rejects later writes; hooks report wait and pending', async () => {
    const { clock, writer, client, seedEnactments, completed, pendingSeen } = setup({ qps: 2, burst: 1 });
    const names = seedEnactments(3);
    for (const [i, name] of names.entries()) void writer.writeStatus(client.enactments, name, status(i));
    let flushed = false;
    void writer.flush().then(() => (flushed = true));
    await clock.advance(999);
    expect(flushed).toBe(false);
    await clock.advance(1);
    expect(flushed).toBe(true);
    expect(completed.map((e) => e.waitSeconds)).toEqual([0, 0.5, 1]);
    expect(pendingSeen[0]).toBe(1);
    expect(pendingSeen.at(-1)).toBe(0);
    expect(Math.max(...pendingSeen)).toBe(3);
    await writer.close();
    expect(await writer.writeStatus(client.enactments, names[0] as string, status(9))).toEqual({ outcome: 'discarded', requests: 0 });
  });

  it('close with discardPending drops unsent writes', async () => {
    const { writer, client, seedEnactments, statusPatches } = setup({ qps: 1, burst: 1 });
    const names = seedEnactments(3);
    const results = names.map((name, i) => writer.writeStatus(client.enactments, name, status(i)));
    await writer.close({ discardPending: true });
    expect((await Promise.all(results)).map((r) => r.outcome)).toEqual(['written', 'discarded', 'discarded']);
    expect(statusPatches()).toHaveLength(1);
  });
});

/** The result of a fire-and-forget write, as a promise (for the assertions). */
function resultOf(submit: (onResult: (result: WriteResult) => void) => void): Promise<WriteResult> {
  return new Promise((resolve) => submit(resolve));
}

describe('StatusWriter: statuses rendered when sent', () => {
  it('renders once, when the write goes out, whatever the number of submissions while it waited', async () => {
    const { clock, writer, client, seedEnactments, statusPatches, stored } = setup({ qps: 1, burst: 1 });
    const [first, second] = seedEnactments(2) as [string, string];
    void writer.writeStatus(client.enactments, first, status(0)); // takes the only token
    let version = 0;
    let renders = 0;
    const render = () => {
      renders += 1;
      return status(version);
    };
    const results: Promise<WriteResult>[] = [];
    for (version = 1; version <= 10; version += 1) results.push(resultOf((done) => writer.writeStatusFrom(client.enactments, second, render, done)));
    version = 42;
    expect(renders).toBe(0);
    await clock.advance(1000);
    expect((await Promise.all(results)).every((r) => r.outcome === 'written' && r.requests === 1)).toBe(true);
    expect(renders).toBe(1);
    expect(statusPatches()).toHaveLength(2);
    expect(stored(`${ENACTMENTS}/${second}`)?.status).toEqual(status(42));
  });

  it('costs no request when the status rendered at send time equals the one last written', async () => {
    const { clock, writer, client, seedEnactments, statusPatches } = setup({ qps: 1, burst: 1 });
    const [name, other] = seedEnactments(2) as [string, string];
    expect((await writer.writeStatus(client.enactments, name, status(1))).outcome).toBe('written');
    await clock.advance(1000);
    void writer.writeStatus(client.enactments, other, status(1)); // takes the token
    const unchanged = resultOf((done) => writer.writeStatusFrom(client.enactments, name, () => ({ conditions: [], policyGeneration: 1 }), done));
    await clock.advance(1000);
    expect(await unchanged).toEqual({ outcome: 'unchanged', requests: 0 });
    expect(statusPatches().map((r) => r.path.split('/').at(-2))).toEqual([name, other]);
  });

  it('creates a missing object first, then renders its status', async () => {
    const { clock, writer, client, server, stored } = setup({ latencyMs: 10 });
    let phase = 'Pending';
    const result = resultOf((done) => writer.ensureStatusFrom(client.enactments, buildEnactment('node1', { name: 'br1', uid: 'uid-1' }), () => ({ phase }), done));
    await clock.advance(5); // the create is in flight
    phase = 'Available';
    await clock.advance(100);
    expect(await result).toMatchObject({ outcome: 'written', requests: 2 });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(stored(`${ENACTMENTS}/node1.br1`)?.status).toEqual({ phase: 'Available' });
  });

  it('calls one callback once per write however often it was submitted', async () => {
    const { clock, writer, client, seedEnactments } = setup({ qps: 1, burst: 1 });
    const [first, second] = seedEnactments(2) as [string, string];
    void writer.writeStatus(client.enactments, first, status(0));
    const results: WriteResult[] = [];
    const onResult = (result: WriteResult) => results.push(result);
    for (let v = 1; v <= 5; v += 1) writer.writeStatusFrom(client.enactments, second, () => status(v), onResult);
    await clock.advance(2000);
    expect(results).toEqual([{ outcome: 'written', requests: 1 }]);
  });

  it('renders again for a retry, so the retry carries the newest status', async () => {
    const { clock, writer, client, server, seedEnactments, stored } = setup();
    const [name] = seedEnactments(1) as [string];
    server.failNext({ method: 'PATCH' }, { status: 503 });
    let version = 1;
    const result = resultOf((done) => writer.writeStatusFrom(client.enactments, name, () => status(version), done));
    await settle();
    version = 2;
    await clock.advance(1000);
    expect(await result).toMatchObject({ outcome: 'written', requests: 2 });
    expect(server.requests.map((r) => (r.body as { status: { policyGeneration: number } }).status.policyGeneration)).toEqual([1, 2]);
    expect(stored(`${ENACTMENTS}/${name}`)?.status).toEqual(status(2));
  });
});
