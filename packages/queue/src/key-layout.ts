import { QueueError } from './errors.js';

/** The default isolation prefix: keys start with `nmfleet:{default}:`. */
export const DEFAULT_KEY_PREFIX = 'default';

const PREFIX_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
// Kubernetes object names are DNS subdomains; the characters we exclude would
// break key parsing (':', '/') or hash tags ('{', '}').
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Where every piece of rollout state lives in Redis. All keys of one prefix share
 * the hash tag `{prefix}`, so they land in one slot and multi-key Lua scripts stay
 * valid on a Redis Cluster too; a suite isolates itself by choosing its own prefix.
 *
 * ```
 * nmfleet:{p}:leader-epoch                       string, INCR by every new leader (fencing)
 * nmfleet:{p}:rollouts                           hash policy → active generation
 * nmfleet:{p}:inflight                           hash node → "policy/generation" it is applying (≤ 1 per node)
 * nmfleet:{p}:policy:<policy>:generations        set of generations whose records still exist
 * nmfleet:{p}:policy:<policy>:draining           set of nodes still applying an older generation
 * nmfleet:{p}:rollout:<policy>:<gen>:meta        hash status, maxUnavailable, createdAt
 * nmfleet:{p}:rollout:<policy>:<gen>:records     hash node → enactment record (JSON)
 * nmfleet:{p}:rollout:<policy>:<gen>:<state>     set of nodes in that state (pending, progressing, …)
 * nmfleet:{p}:rollout:<policy>:<gen>:desired     hash desired-state hash → rendered desired state (JSON)
 * nmfleet:{p}:node-state:<node>                  hash hash, state (JSON), updatedAt: the node's last reported state
 * nmfleet:{p}:reports                            stream of agents' reports (consumer group "coordinator")
 * nmfleet:{p}:q:<node>:…                         BullMQ keys of the node's queue
 * ```
 */
export interface KeyLayout {
  /** `nmfleet:{prefix}`: the Lua scripts derive the keys above from it. */
  readonly root: string;
  readonly leaderEpoch: string;
  readonly rollouts: string;
  readonly inflight: string;
  readonly reports: string;
  /** The BullMQ `prefix` option of every node queue. */
  readonly bullPrefix: string;
  policyGenerations(policy: string): string;
  policyDraining(policy: string): string;
  rolloutMeta(policy: string, generation: number): string;
  rolloutRecords(policy: string, generation: number): string;
  rolloutStateSet(policy: string, generation: number, state: string): string;
  rolloutDesired(policy: string, generation: number): string;
  nodeState(node: string): string;
}

/** Builds the key layout of one isolation prefix (default {@link DEFAULT_KEY_PREFIX}). */
export function createKeyLayout(prefix: string = DEFAULT_KEY_PREFIX): KeyLayout {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new QueueError('invalid', `key prefix ${JSON.stringify(prefix)} is invalid: expected 1-63 characters of a-z, 0-9, '.', '_' or '-'`);
  }
  const root = `nmfleet:{${prefix}}`;
  const rollout = (policy: string, generation: number) => `${root}:rollout:${policy}:${generation}`;
  return {
    root,
    leaderEpoch: `${root}:leader-epoch`,
    rollouts: `${root}:rollouts`,
    inflight: `${root}:inflight`,
    reports: `${root}:reports`,
    bullPrefix: `${root}:q`,
    policyGenerations: (policy) => `${root}:policy:${policy}:generations`,
    policyDraining: (policy) => `${root}:policy:${policy}:draining`,
    rolloutMeta: (policy, generation) => `${rollout(policy, generation)}:meta`,
    rolloutRecords: (policy, generation) => `${rollout(policy, generation)}:records`,
    rolloutStateSet: (policy, generation, state) => `${rollout(policy, generation)}:${state}`,
    rolloutDesired: (policy, generation) => `${rollout(policy, generation)}:desired`,
    nodeState: (node) => `${root}:node-state:${node}`,
  };
}

/** Throws an `invalid` {@link QueueError} unless `name` can be a policy or node name in keys and job ids. */
export function assertObjectName(name: string, what: 'policy' | 'node'): void {
  if (!NAME_PATTERN.test(name)) {
    throw new QueueError(
      'invalid',
      `${what} name ${JSON.stringify(name)} is invalid: expected a DNS subdomain (lowercase a-z, 0-9, '-', '.'; at most 253 characters)`,
    );
  }
}

/** Throws an `invalid` {@link QueueError} unless `generation` is a positive integer. */
export function assertGeneration(generation: number): void {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new QueueError('invalid', `generation ${generation} is invalid: expected a positive integer`);
  }
}
