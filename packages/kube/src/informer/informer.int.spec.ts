import { KubeConfig } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeNetworkConfigurationPolicy } from '../api/node-network-configuration-policy.js';
import { createKubeClient, type KubeClient, type RequestEvent } from '../client/kube-client.js';
import type { WatchEvent } from '../client/transport.js';
import { installNmstateCrds } from '../crd/install-crds.js';
import { Informer } from './informer.js';

function sumRequests(metricsText: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const policy = (name: string, labels: Record<string, string> = { suite: 'informer' }): NodeNetworkConfigurationPolicy => ({
  metadata: { name, labels },
  spec: { desiredState: { interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up' }] } },
});

describe('Informer against a real kube-apiserver', () => {
  let plane: ControlPlane;
  let client: KubeClient;
  const requests: RequestEvent[] = [];

  beforeAll(async () => {
    plane = await startControlPlane();
    client = createKubeClient({ kubeConfig: plane.kubeConfig(), onRequest: (e) => requests.push(e) });
    await installNmstateCrds(client);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('sees adds, updates and deletes, and survives watches that end, with no list after the first', async () => {
    await client.policies.create(policy('before-start'));
    await client.policies.create(policy('other-suite', { suite: 'other' }));
    const informer = new Informer(client.policies, { labelSelector: 'suite=informer', watchTimeoutSeconds: 1 });
    const seen: string[] = [];
    informer.addHandlers({
      onAdd: (p) => seen.push(`add ${p.metadata?.name}`),
      onUpdate: (_old, p) => seen.push(`update ${p.metadata?.name} gen=${p.metadata?.generation}`),
      onDelete: (p) => seen.push(`delete ${p.metadata?.name}`),
    });
    informer.start();
    await informer.waitForSync();
    expect(seen).toEqual(['add before-start']);

    await client.policies.create(policy('after-start'));
    await client.policies.mergePatch('after-start', { spec: { maxUnavailable: 1 } });
    await client.policies.delete('before-start');
    await waitFor('three events', () => seen.length === 4);
    expect(seen).toEqual(['add before-start', 'add after-start', 'update after-start gen=2', 'delete before-start']);

    // A quiet steady state: the server ends each watch after a second; the informer only re-watches.
    const metricsBefore = await plane.metricsText();
    const listsBefore = sumRequests(metricsBefore, { verb: 'LIST', resource: 'nodenetworkconfigurationpolicies' });
    const watchesBefore = informer.stats.watches;
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const metricsAfter = await plane.metricsText();
    expect(sumRequests(metricsAfter, { verb: 'LIST', resource: 'nodenetworkconfigurationpolicies' })).toBe(listsBefore);
    expect(informer.stats.watches - watchesBefore).toBeGreaterThanOrEqual(3);
    expect(informer.stats.lists).toBe(1);
    expect(requests.filter((r) => r.verb === 'list' && r.resource === 'nodenetworkconfigurationpolicies')).toHaveLength(1);
    expect(requests.filter((r) => r.verb === 'watch').every((r) => r.code === 200)).toBe(true);

    // Changes made between two watches are not lost.
    await client.policies.create(policy('between-watches'));
    await waitFor('the add', () => seen.includes('add between-watches'));
    expect(informer.list().map((p) => p.metadata?.name).sort()).toEqual(['after-start', 'between-watches']);
    await informer.stop();
  });

  it('gets the real server\'s expiry signal for a resourceVersion that is too old', async () => {
    const events: WatchEvent[] = [];
    const abort = new AbortController();
    let outcome: unknown = 'ended';
    await client.policies
      .watch({ resourceVersion: '1', allowWatchBookmarks: true, timeoutSeconds: 5, signal: abort.signal }, {
        onOpen: () => undefined,
        onEvent: (event) => {
          events.push(event);
          abort.abort();
        },
      })
      .catch((error: unknown) => {
        outcome = error;
      });
    // Either an ERROR event carrying 410 Expired in a 200 stream, or a 410 answer: the informer relists on both.
    const expiredEvent = events.find((e) => e.type === 'ERROR' && (e.object as { code?: number }).code === 410);
    const expiredAnswer = (outcome as { kind?: string }).kind === 'gone';
    expect(expiredEvent !== undefined || expiredAnswer).toBe(true);
  });

  it('keeps retrying, without crashing, while the API server is unreachable', async () => {
    const unreachable = new KubeConfig();
    unreachable.loadFromOptions({
      clusters: [{ name: 'nowhere', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'nobody', token: 'x' }],
      contexts: [{ name: 'nowhere', cluster: 'nowhere', user: 'nobody' }],
      currentContext: 'nowhere',
    });
    const attempts: RequestEvent[] = [];
    const offline = createKubeClient({ kubeConfig: unreachable, onRequest: (e) => attempts.push(e) });
    const informer = new Informer(offline.policies, { initialBackoffMs: 50, maxBackoffMs: 200 });
    informer.start();
    await waitFor('three failed lists', () => attempts.length >= 3);
    expect(informer.hasSynced()).toBe(false);
    expect(attempts.every((a) => a.verb === 'list' && a.code === 0)).toBe(true);
    await informer.stop();
  });
});
