import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  VersionApi,
  Watch,
  loadAllYaml,
  setHeaderOptions,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { isolatedKubeScope } from './isolation.js';
import { pollUntil } from './poll-until.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CRD_DIR = join(REPO_ROOT, 'testdata', 'upstream', 'kubernetes-nmstate', 'crds');
const EXAMPLE_POLICY = join(REPO_ROOT, 'testdata', 'upstream', 'kubernetes-nmstate', 'examples', 'linux-bridge.yaml');
const GROUP = 'nmstate.io';
const VERSION = 'v1';
const PLURAL = 'nodenetworkconfigurationpolicies';

interface Policy {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; generation?: number; resourceVersion?: string; managedFields?: { manager: string }[] };
  spec: { desiredState?: unknown; nodeSelector?: Record<string, string>; maxUnavailable?: number | string };
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
}

function loadUpstreamCrds(): V1CustomResourceDefinition[] {
  return readdirSync(CRD_DIR)
    .filter((file) => file.endsWith('.yaml'))
    // client-node's loader maps YAML keys (x-kubernetes-int-or-string) to its model; raw objects would lose them on the way out.
    .flatMap((file) => loadAllYaml(readFileSync(join(CRD_DIR, file), 'utf8')) as V1CustomResourceDefinition[])
    .filter((doc) => doc?.kind === 'CustomResourceDefinition');
}

function statusCodeOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

/** Sums `apiserver_request_total` samples whose labels include all of `labels`. */
function sumRequests(metricsText: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('startControlPlane against the real kube-apiserver', () => {
  let plane: ControlPlane;
  let processes: ProcessIdentity[];
  const scope = isolatedKubeScope('control-plane-int');

  beforeAll(async () => {
    plane = await startControlPlane({ users: [{ name: 'viewer' }] });
    console.log(`control plane start-up: ${plane.startupMs} ms (etcd + kube-apiserver until /readyz ok)`);
    processes = [plane.pids.etcd, plane.pids.kubeApiserver].map((pid) => identifyProcess(pid)).filter((p): p is ProcessIdentity => !!p);
    expect(processes).toHaveLength(2);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('reports the Kubernetes version it was built from, over TLS verified with the generated CA', async () => {
    expect(plane.caData).toBeDefined();
    expect(plane.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const version = await plane.kubeConfig().makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(plane.kubernetesVersion);
    expect(`v${version.major}.${version.minor}`).toBe(plane.kubernetesVersion.split('.').slice(0, 2).join('.'));
  });

  it('enforces RBAC: an extra static-token user without bindings is forbidden', async () => {
    const viewer = plane.kubeConfig('viewer').makeApiClient(CoreV1Api);
    const error = await viewer.listNode().catch((e: unknown) => e);
    expect(statusCodeOf(error)).toBe(403);
  });

  it('installs the upstream kubernetes-nmstate CRDs and they become Established', async () => {
    const api = plane.kubeConfig().makeApiClient(ApiextensionsV1Api);
    const objects = plane.kubeConfig().makeApiClient(CustomObjectsApi);
    const crds = loadUpstreamCrds();
    expect(crds.map((crd) => crd.metadata?.name)).toContain(`${PLURAL}.${GROUP}`);
    for (const body of crds) await api.createCustomResourceDefinition({ body });
    for (const crd of crds) {
      const name = crd.metadata?.name ?? '';
      await pollUntil(
        async () => {
          const current = await api.readCustomResourceDefinition({ name });
          return current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
        },
        { description: `CRD ${name} Established` },
      );
      // Established is not yet served: for about a second the server answers 429 "storage is (re)initializing".
      const served = crd.spec.versions.filter((version) => version.served).map((version) => version.name);
      for (const version of served) {
        await pollUntil(
          async () => {
            await objects.listClusterCustomObject({ group: crd.spec.group, version, plural: crd.spec.names.plural, limit: 1 });
            return true;
          },
          { description: `${crd.spec.names.plural}.${crd.spec.group}/${version} to be served` },
        );
      }
    }
  });

  it('creates, lists, watches and patches NNCPs, including /status and server-side apply', async () => {
    const config = plane.kubeConfig();
    const objects = config.makeApiClient(CustomObjectsApi);
    const [example] = loadAll(readFileSync(EXAMPLE_POLICY, 'utf8')) as Policy[];
    if (!example) throw new Error(`${EXAMPLE_POLICY} holds no manifest`);
    const name = scope.name(example.metadata.name);
    const events: { type: string; object: Policy }[] = [];
    const watchErrors: string[] = [];
    // Like an informer: list for a resourceVersion, watch from it, and resume from the last
    // one seen when the server ends the watch. Right after a CRD is established the server
    // answers watches with 429 "storage is (re)initializing" (Retry-After: 1) for a moment.
    const initial = (await objects.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, labelSelector: scope.labelSelector })) as {
      metadata: { resourceVersion: string };
    };
    let resourceVersion = initial.metadata.resourceVersion;
    let current: AbortController | undefined;
    let stopped = false;
    const openWatch = async (): Promise<void> => {
      current = await new Watch(config).watch(
        `/apis/${GROUP}/${VERSION}/${PLURAL}`,
        { labelSelector: scope.labelSelector, allowWatchBookmarks: true, resourceVersion },
        (type, object: Policy) => {
          if (object.metadata.resourceVersion) resourceVersion = object.metadata.resourceVersion;
          events.push({ type, object });
        },
        (error: unknown) => {
          if (stopped) return;
          watchErrors.push(String(error ?? 'closed by the server'));
          setTimeout(() => void openWatch(), 1_000);
        },
      );
    };
    await openWatch();
    const watch = { abort: () => ((stopped = true), current?.abort()) };
    try {
      const created = (await objects.createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: PLURAL,
        body: { ...example, metadata: { name, labels: { ...scope.labels } } },
      })) as Policy;
      expect(created.metadata.generation).toBe(1);
      expect(created.spec.desiredState).toEqual(example.spec.desiredState);

      const listed = (await objects.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, labelSelector: scope.labelSelector })) as {
        items: Policy[];
      };
      expect(listed.items.map((item) => item.metadata.name)).toEqual([name]);

      const patched = (await objects.patchClusterCustomObject(
        { group: GROUP, version: VERSION, plural: PLURAL, name, body: { spec: { maxUnavailable: 3 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as Policy;
      expect(patched.spec.maxUnavailable).toBe(3);
      expect(patched.metadata.generation).toBe(2);

      const condition = { type: 'Available', status: 'True', reason: 'SuccessfullyConfigured' };
      const withStatus = (await objects.patchClusterCustomObjectStatus(
        { group: GROUP, version: VERSION, plural: PLURAL, name, body: { status: { conditions: [condition] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as Policy;
      expect(withStatus.status?.conditions).toEqual([condition]);
      // The status subresource leaves spec and generation alone.
      expect(withStatus.metadata.generation).toBe(2);
      // And a status change sent to the main resource is ignored.
      const ignored = (await objects.patchClusterCustomObject(
        { group: GROUP, version: VERSION, plural: PLURAL, name, body: { status: { conditions: [] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as Policy;
      expect(ignored.status?.conditions).toEqual([condition]);

      const apply = (fieldManager: string, nodeSelector: Record<string, string>, force?: boolean) =>
        objects.patchClusterCustomObject(
          {
            group: GROUP,
            version: VERSION,
            plural: PLURAL,
            name,
            fieldManager,
            force,
            body: { apiVersion: `${GROUP}/${VERSION}`, kind: example.kind, metadata: { name }, spec: { nodeSelector } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
        ) as Promise<Policy>;
      const applied = await apply('testenv-a', { 'node-role.kubernetes.io/worker': '' });
      expect(applied.spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/worker': '' });
      expect(applied.metadata.managedFields?.map((field) => field.manager)).toContain('testenv-a');
      const conflict = await apply('testenv-b', { 'node-role.kubernetes.io/worker': 'other' }).catch((e: unknown) => e);
      expect(statusCodeOf(conflict)).toBe(409);
      const forced = await apply('testenv-b', { 'node-role.kubernetes.io/worker': 'other' }, true);
      expect(forced.spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/worker': 'other' });

      await pollUntil(() => events.some((e) => e.type === 'MODIFIED' && e.object.spec.nodeSelector?.['node-role.kubernetes.io/worker'] === 'other'), {
        description: 'the watch to deliver the forced apply',
      }).catch((error: unknown) => {
        throw new Error(`${String(error)}; watch errors: ${watchErrors.join(' | ')}; events: ${events.map((e) => e.type).join(',')}`);
      });
      const ownEvents = events.filter((e) => e.type !== 'BOOKMARK');
      expect(ownEvents[0]?.type).toBe('ADDED');
      expect(ownEvents.every((e) => e.object.metadata.name === name)).toBe(true);
      expect(ownEvents.some((e) => e.type === 'MODIFIED' && e.object.status?.conditions?.[0]?.reason === 'SuccessfullyConfigured')).toBe(true);
    } finally {
      watch.abort();
    }
  });

  it('applies the CRD validation upstream ships (CEL on nodeSelector keys)', async () => {
    const objects = plane.kubeConfig().makeApiClient(CustomObjectsApi);
    const error = await objects
      .createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: PLURAL,
        body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'NodeNetworkConfigurationPolicy', metadata: { name: scope.name('bad-selector') }, spec: { nodeSelector: { 'not a key!': 'x' } } },
      })
      .catch((e: unknown) => e);
    expect(statusCodeOf(error)).toBe(422);
    expect(String((error as { body?: string }).body)).toContain('nodeSelector keys must be valid qualified names');
  });

  it('creates labelled Node objects and selects them by label', async () => {
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    const nodes = [
      { name: scope.name('worker-0'), role: 'worker' },
      { name: scope.name('worker-1'), role: 'worker' },
      { name: scope.name('control-0'), role: 'control-plane' },
    ];
    for (const node of nodes) {
      await core.createNode({ body: { metadata: { name: node.name, labels: { ...scope.labels, [`node-role.kubernetes.io/${node.role}`]: '' } } } });
    }
    const workers = await core.listNode({ labelSelector: `${scope.labelSelector},node-role.kubernetes.io/worker` });
    expect(workers.items.map((node) => node.metadata?.name).sort()).toEqual([nodes[0]?.name, nodes[1]?.name].sort());
    const all = await core.listNode({ labelSelector: scope.labelSelector });
    expect(all.items).toHaveLength(3);
  });

  it('counts our requests in apiserver_request_total on its own /metrics', async () => {
    const text = await plane.metricsText();
    // Exactly the three Nodes created above; nothing else creates Nodes without a kubelet.
    expect(sumRequests(text, { verb: 'POST', resource: 'nodes', code: '201' })).toBe(3);
    expect(sumRequests(text, { verb: 'PATCH', resource: PLURAL, subresource: 'status' })).toBe(1);
    expect(sumRequests(text, { verb: 'WATCH', resource: PLURAL })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^apiserver_flowcontrol_/m);
  });

  it('stops by PID and leaves no process or folder behind', async () => {
    const dir = dirname(plane.kubeconfigPath);
    expect(processes.every(isProcessAlive)).toBe(true);
    await plane.stop();
    expect(processes.some(isProcessAlive)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
