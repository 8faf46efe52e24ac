import type { Informer, Node } from '@nmfleet/kube';

/** A node as the rollout sees it: labels for selectors, readiness for policy status. */
export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ready: boolean;
}

/** Whether a Node's Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

/** Reads nodes from the Node informer's cache. */
export class NodeDirectory {
  constructor(private readonly informer: Informer<Node>) {}

  /** Every node, in name order (so rollouts admit nodes in a stable order). */
  list(): NodeInfo[] {
    return this.informer
      .list()
      .map(toNodeInfo)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): NodeInfo | undefined {
    const node = this.informer.get(name);
    return node === undefined ? undefined : toNodeInfo(node);
  }

  isReady(name: string): boolean {
    const node = this.informer.get(name);
    return node !== undefined && isNodeReady(node);
  }
}

function toNodeInfo(node: Node): NodeInfo {
  return { name: node.metadata?.name ?? '', labels: node.metadata?.labels ?? {}, ready: isNodeReady(node) };
}
