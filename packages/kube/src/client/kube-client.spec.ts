import { describe, expect, it } from 'vitest';
import { ENACTMENT_RESOURCE, formatResourcePath } from '../api/api-resources.js';
import { FakeApiServer } from '../testing/fake-api-server.js';
import { FakeClock, settle } from '../testing/fake-clock.js';
import { KubeClient, type RequestEvent } from './kube-client.js';

describe('KubeClient', () => {
  it('reports every request to onRequest by verb, resource, subresource and code, failures included', async () => {
    const clock = new FakeClock();
    const server = new FakeApiServer({ clock, latencyMs: 30 });
    const events: RequestEvent[] = [];
    const client = new KubeClient({ transport: server, clock, onRequest: (e) => events.push(e) });
    const run = async (action: () => Promise<unknown>) => {
      const done = action().catch(() => undefined);
      await clock.advance(30);
      await done;
    };
    await run(() => client.enactments.create({ metadata: { name: 'n1.p' } }));
    await run(() => client.enactments.applyStatus('n1.p', { policyGeneration: 1 }, { fieldManager: 'm', force: true }));
    await run(() => client.enactments.get('missing'));
    server.failNext({ method: 'GET' }, { networkError: true });
    await run(() => client.enactments.list());
    const abort = new AbortController();
    const watching = client.enactments.watch({ signal: abort.signal }, { onOpen: () => undefined, onEvent: () => undefined });
    await clock.advance(30);
    abort.abort();
    await watching;
    expect(events.map(({ durationSeconds: _d, ...rest }) => rest)).toEqual([
      { verb: 'create', resource: 'nodenetworkconfigurationenactments', code: 201 },
      { verb: 'apply', resource: 'nodenetworkconfigurationenactments', subresource: 'status', code: 200 },
      { verb: 'get', resource: 'nodenetworkconfigurationenactments', code: 404 },
      { verb: 'list', resource: 'nodenetworkconfigurationenactments', code: 0 },
      { verb: 'watch', resource: 'nodenetworkconfigurationenactments', code: 200 },
    ]);
    expect(events.every((e) => e.durationSeconds === 0.03)).toBe(true);
  });

  it('turns error answers into KubeErrors naming the request, and survives a throwing hook', async () => {
    const server = new FakeApiServer();
    const client = new KubeClient({
      transport: server,
      onRequest: () => {
        throw new Error('metrics broke');
      },
    });
    await client.enactments.create({ metadata: { name: 'dup' } });
    await expect(client.enactments.create({ metadata: { name: 'dup' } })).rejects.toMatchObject({
      name: 'KubeError',
      kind: 'already-exists',
      statusCode: 409,
      message: `POST ${formatResourcePath(ENACTMENT_RESOURCE)}: nodenetworkconfigurationenactments "dup" already exists`,
    });
    expect(await client.enactments.find('nope')).toBeUndefined();
    await expect(client.enactments.replace({ metadata: {} })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await settle();
  });

  it('pages through long lists and keeps the first page\'s resourceVersion', async () => {
    const server = new FakeApiServer();
    const client = new KubeClient({ transport: server });
    for (let i = 0; i < 5; i += 1) server.seed(formatResourcePath(ENACTMENT_RESOURCE), { metadata: { name: `e${i}` } });
    const all = await client.enactments.listAll({ limit: 2 });
    expect(all.items.map((e) => e.metadata?.name)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(all.resourceVersion).toBe(String(server.resourceVersion));
    expect(server.countRequests({ method: 'GET' })).toBe(3);
  });
});
