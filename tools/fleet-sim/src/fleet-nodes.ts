import { readFileSync } from 'node:fs';
import type { KubeClient, Node } from '@nmfleet/kube';

/** One simulated node: its name and labels. */
export interface NodeSpec {
  name: string;
  labels: Record<string, string>;
  /** The network this node's simulated host starts with (default: the agent's typical node). */
  initialState?: Record<string, unknown>;
  /** This node's apply latency in milliseconds (default: the simulation's). */
  applyLatencyMs?: number;
}

/** The hostname label every node carries (upstream's examples select on it). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** The worker role label every generated node carries. */
export const WORKER_LABEL = 'node-role.kubernetes.io/worker';

/** Field manager of the simulator's writes. */
const FIELD_MANAGER = 'nmfleet-fleet-sim';

/** Nodes requests in flight at once while registering. */
const REGISTER_CONCURRENCY = 16;

/** `count` nodes named `sim-node-000…`, with the hostname and worker role labels. */
export function generateNodes(count: number): NodeSpec[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`--nodes ${count} is invalid: expected a positive integer`);
  const width = Math.max(3, String(count - 1).length);
  return Array.from({ length: count }, (_, index) => {
    const name = `sim-node-${String(index).padStart(width, '0')}`;
    return { name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '' } };
  });
}

/** Reads a nodes file: a JSON list of `{name, labels}` (the hostname label is added when missing). */
export function readNodesFile(path: string): NodeSpec[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${path}: expected a non-empty JSON list of {"name", "labels"}`);
  return parsed.map((entry, index) => {
    const name = (entry as { name?: unknown })?.name;
    const labels = (entry as { labels?: unknown })?.labels ?? {};
    if (typeof name !== 'string' || name === '') throw new Error(`${path}: entry ${index} has no name`);
    if (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string')) {
      throw new Error(`${path}: entry ${index} (${name}) has labels that are not a string map`);
    }
    const initialState = (entry as { initialState?: unknown }).initialState;
    const spec: NodeSpec = { name, labels: { [HOSTNAME_LABEL]: name, ...(labels as Record<string, string>) } };
    if (typeof initialState === 'object' && initialState !== null) spec.initialState = initialState as Record<string, unknown>;
    return spec;
  });
}

/** Runs `task` over `items`, at most `limit` at once. */
export async function runBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Creates the Node objects (or updates their labels) and marks them Ready, as a kubelet would. */
export async function registerNodes(client: KubeClient, nodes: readonly NodeSpec[]): Promise<void> {
  await runBounded(nodes, REGISTER_CONCURRENCY, async (spec) => {
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: spec.name, labels: spec.labels } };
    await client.nodes.apply(node, { fieldManager: FIELD_MANAGER, force: true });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await client.nodes.applyStatus(
      spec.name,
      { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated by nmfleet fleet-sim', lastHeartbeatTime: now, lastTransitionTime: now }] },
      { fieldManager: FIELD_MANAGER, force: true },
    );
  });
}
