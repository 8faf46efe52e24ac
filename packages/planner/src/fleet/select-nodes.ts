import { PlannerError } from '../errors.js';

/** A node as rollout arithmetic sees it. */
export interface NodeLabels {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The nodes whose labels carry every key/value of `nodeSelector` (plain
 * equality, as kubernetes-nmstate matches `spec.nodeSelector`). An absent or
 * empty selector selects every node. Order of `nodes` is kept.
 */
export function selectNodes<N extends NodeLabels>(nodeSelector: Readonly<Record<string, string>> | undefined, nodes: readonly N[]): N[] {
  const entries = Object.entries(nodeSelector ?? {});
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new PlannerError('invalid-rollout', `nodeSelector '${key}' must be a string, got ${JSON.stringify(value)}`);
  }
  return nodes.filter((n) => entries.every(([k, v]) => n.labels[k] === v));
}
