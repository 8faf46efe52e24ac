import { afterEach, describe, expect, it } from 'vitest';
import { NODE_RESOURCE, POLICY_RESOURCE, formatResourcePath } from '../api/api-resources.js';
import type { Node } from '../api/core-types.js';
import { KubeClient } from '../client/kube-client.js';
import { FakeApiServer } from '../testing/fake-api-server.js';
import { FakeClock, settle } from '../testing/fake-clock.js';
import { Informer } from './informer.js';

const NODES = formatResourcePath(NODE_RESOURCE);

function setup(options: { seed?: number } = {}) {
  const clock = new FakeClock();
  const server = new FakeApiServer({ clock });
  for (let i = 0; i < (options.seed ?? 0); i += 1) server.seed(NODES, { metadata: { name: `node${i}`, labels: { role: 'worker' } } });
  const client = new KubeClient({ transport: server, clock });
  const informer = new Informer<Node>(client.nodes, { clock, watchTimeoutSeconds: 60, listPageSize: 2 });
  const seen: string[] = [];
  informer.addHandlers({
    onAdd: (n) => seen.push(`add ${n.metadata?.name}`),
    onUpdate: (_old, n) => seen.push(`update ${n.metadata?.name} ${JSON.stringify(n.metadata?.labels)}`),
    onDelete: (n) => seen.push(`delete ${n.metadata?.name}`),
  });
  return { clock, server, client, informer, seen };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('Informer', () => {
  it('lists in pages, then sees adds, updates and deletes through the watch', async () => {
    const { server, client, informer, seen } = setup({ seed: 3 });
    cleanup = () => informer.stop();
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(seen).toEqual(['add node0', 'add node1', 'add node2']);
    expect(server.countRequests({ method: 'GET', watch: false })).toBe(2); // two pages of 2

    await settle();
    await client.nodes.create({ metadata: { name: 'node3' } });
    await client.nodes.mergePatch('node0', { metadata: { labels: { role: 'edge' } } });
    await client.nodes.delete('node1');
    await settle();
    expect(seen.slice(3)).toEqual(['add node3', 'update node0 {"role":"edge"}', 'delete node1']);
    expect(informer.list().map((n) => n.metadata?.name).sort()).toEqual(['node0', 'node2', 'node3']);
    expect(informer.get('node0')?.metadata?.labels).toEqual({ role: 'edge' });
    const watch = server.requests.find((r) => r.watch);
    expect(watch?.query).toMatchObject({ allowWatchBookmarks: true, timeoutSeconds: 60 });
  });

  it('re-watches from the last resourceVersion, bookmarks included, and never relists in a quiet steady state', async () => {
    const { clock, server, informer } = setup({ seed: 1 });
    cleanup = () => informer.stop();
    informer.start();
    await informer.waitForSync();
    await settle();
    for (let round = 0; round < 5; round += 1) {
      server.seed(formatResourcePath(POLICY_RESOURCE), { metadata: { name: `p${round}` }, spec: {} } as never); // other kinds move the RV
      server.sendBookmarks();
      await settle();
      expect(informer.lastResourceVersion).toBe(String(server.resourceVersion));
      await clock.advance(60_000); // the server's watch timeout ends the stream
    }
    const watches = server.requests.filter((r) => r.watch);
    expect(server.countRequests({ watch: false })).toBe(1);
    expect(watches.length).toBe(6);
    // Each re-watch starts at the bookmark's resourceVersion, not the list's.
    expect(watches.slice(1).map((w) => w.query.resourceVersion)).toEqual(
      watches.slice(1).map((_w, i) => String(Number(watches[1]?.query.resourceVersion) + i)),
    );
    expect(informer.stats).toEqual({ lists: 1, watches: 6, relistsAfterExpiry: 0 });
  });

  it('relists only when the resourceVersion expired (410), delivering what changed meanwhile', async () => {
    const { clock, server, client, informer, seen } = setup({ seed: 2 });
    cleanup = () => informer.stop();
    informer.start();
    await informer.waitForSync();
    await settle();
    // The informer misses these while its watch is down, and the history is compacted.
    server.closeWatches();
    server.failNext({ watch: true }, { networkError: true });
    await settle();
    await client.nodes.delete('node0');
    await client.nodes.create({ metadata: { name: 'node9' } });
    server.compact();
    await clock.advance(5_000);
    expect(informer.stats.relistsAfterExpiry).toBe(1);
    expect(informer.stats.lists).toBe(2);
    expect(seen).toContain('delete node0');
    expect(seen).toContain('add node9');
    expect(informer.list().map((n) => n.metadata?.name).sort()).toEqual(['node1', 'node9']);
  });

  it('waits and retries while the API server is unreachable, without crashing or relisting', async () => {
    const { clock, server, informer } = setup({ seed: 1 });
    cleanup = () => informer.stop();
    server.failNext({ watch: false }, { networkError: true }, 3);
    informer.start();
    await settle();
    expect(informer.hasSynced()).toBe(false);
    // Backoff 500, 1000, 2000 ms before the fourth list succeeds.
    await clock.advance(499);
    expect(server.countRequests({ watch: false })).toBe(1);
    await clock.advance(1 + 1000 + 2000);
    expect(informer.hasSynced()).toBe(true);
    expect(server.countRequests({ watch: false })).toBe(4);

    server.failNext({ watch: true }, { status: 503 }, 2);
    server.closeWatches();
    await clock.advance(10_000);
    expect(server.countRequests({ watch: false })).toBe(4);
    expect(server.openWatchCount).toBe(1);
  });

  it('comes back when a 429 says to (a watch cache still initializing), without growing its backoff', async () => {
    const { clock, server, informer } = setup({ seed: 1 });
    cleanup = () => informer.stop();
    const initializing = { status: 429, headers: { 'retry-after': '1' }, reason: 'TooManyRequests', message: 'storage is (re)initializing' };
    server.failNext({ watch: false }, initializing, 6);
    // A refused watch reaches the informer without headers (client-node drops them).
    server.failNext({ watch: true }, { status: 429, reason: 'TooManyRequests', message: 'storage is (re)initializing' }, 4);
    server.failNext({ watch: true }, { status: 503 }, 1);
    informer.start();
    await settle();
    // Exponential backoff would wait 0.5 + 1 + 2 + 4 + 8 + 16 s; the server asked for 1 s each time.
    await clock.advance(5_999);
    expect(informer.hasSynced()).toBe(false);
    expect(server.countRequests({ watch: false })).toBe(6);
    await clock.advance(1);
    expect(informer.hasSynced()).toBe(true);
    // The watch: four 429s a second apart, then a 503 that waits the first backoff step (500 ms), not the fifth.
    await clock.advance(4_499);
    expect(server.countRequests({ watch: true })).toBe(5);
    expect(server.openWatchCount).toBe(0);
    await clock.advance(1);
    expect(server.countRequests({ watch: true })).toBe(6);
    expect(server.openWatchCount).toBe(1);
    expect(server.countRequests({ watch: false })).toBe(7);
  });

  it('stops cleanly and rejects a pending waitForSync', async () => {
    const { server, informer } = setup();
    server.failNext({ watch: false }, { networkError: true }, 100);
    informer.start();
    const waiting = informer.waitForSync();
    await informer.stop();
    await expect(waiting).rejects.toMatchObject({ kind: 'unavailable' });
    expect(server.openWatchCount).toBe(0);
  });
});
