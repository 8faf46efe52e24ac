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

/**
 * Reads nodes from the Node informer's cache, and keeps the set of nodes that are not
 * Ready, so a policy's status counts its NotReady nodes in O(NotReady nodes) rather than
 * O(matching nodes) on every report.
 */
export class NodeDirectory {
  private readonly notReady = new Set<string>();

  constructor(private readonly informer: Informer<Node>) {
    const track = (node: Node) => {
      const name = node.metadata?.name ?? '';
      if (isNodeReady(node)) this.notReady.delete(name);
      else this.notReady.add(name);
    };
    informer.addHandlers({
      onAdd: track,
      onUpdate: (_previous, node) => track(node),
      onDelete: (node) => this.notReady.delete(node.metadata?.name ?? ''),
    });
    for (const node of informer.list()) track(node);
  }

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
    return this.informer.get(name) !== undefined && !this.notReady.has(name);
  }

  /** Nodes whose Ready condition is not True. */
  notReadyNodes(): ReadonlySet<string> {
    return this.notReady;
  }
}

function toNodeInfo(node: Node): NodeInfo {
  return { name: node.metadata?.name ?? '', labels: node.metadata?.labels ?? {}, ready: isNodeReady(node) };
}
