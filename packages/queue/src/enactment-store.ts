import type { Redis } from 'ioredis';
import {
  decodeEnactmentRecord,
  decodeRolloutCounts,
  type ApplyOutcome,
  type EnactmentRecord,
  type EnactmentState,
  type RolloutCounts,
} from './enactment-record.js';
import { QueueError, toQueueError } from './errors.js';
import { formatJobId } from './job-id.js';
import { assertGeneration, assertObjectName, type KeyLayout } from './key-layout.js';
import { registerScripts, runScript } from './redis-connection.js';
import {
  ADMIT_NODES,
  DELETE_POLICY,
  FINISH_ENACTMENT,
  FORGET_NODE,
  REMOVE_NODES,
  UPSERT_ROLLOUT,
} from './scripts/script-registry.js';
import type { ScriptDefinition } from './scripts/script-definition.js';

/** Longest error message kept in a record, in characters: records stay small. */
export const MAX_RECORD_ERROR_CHARS = 4096;

/** Identifies one rollout: a policy object (by name and UID) at one generation. */
export interface RolloutId {
  policy: string;
  generation: number;
  /** `metadata.uid` of the policy: a deleted and re-created policy is a different rollout. */
  uid: string;
}

/** A job that was in flight for a rollout that was superseded or deleted. */
export interface InflightJob {
  node: string;
  jobId: string;
}

/** Result of {@link EnactmentStore.upsertRollout}. */
export type UpsertRolloutResult =
  | {
      status: 'ok';
      /** Nodes that got a new pending record. */
      created: string[];
      /** Nodes that got a new record already aborted (the rollout is degraded). */
      aborted: string[];
      /** In-flight jobs of the generation this one superseded; their waiting jobs may be cancelled. */
      superseded: InflightJob[];
      /** In-flight jobs of an older object with the same name, whose rollouts were deleted. */
      retired: InflightJob[];
      counts: RolloutCounts;
    }
  /** A newer generation is already active. */
  | { status: 'stale'; activeGeneration: number }
  /** This generation was already superseded. */
  | { status: 'inactive'; rolloutStatus: string };

/** Answer of admission for one candidate node. */
export type AdmitResult = 'admitted' | 'busy' | 'full' | 'missing' | Exclude<EnactmentState, 'pending'>;

/** Result of {@link EnactmentStore.admit}. */
export type AdmitNodesResult =
  | { status: 'ok'; jobId: string; results: Map<string, AdmitResult>; counts: RolloutCounts }
  | { status: 'inactive'; rolloutStatus: string };

/** How a job ended, as recorded by {@link EnactmentStore.finish}. */
export type FinishOutcome = ApplyOutcome | 'skipped' | 'cancelled';

/** A node's next job, to admit in the same script that finishes its current one (see {@link EnactmentStore.finish}). */
export interface NextAdmission {
  rollout: RolloutId;
  /** Hash of the rendered desired state the job will carry. */
  desiredHash: string;
}

/** How admitting the node's next job went, when one was named and the node was released. */
export type NextAdmissionResult =
  | { status: 'ok'; jobId: string; result: AdmitResult; counts: RolloutCounts }
  | { status: 'inactive'; rolloutStatus: string };

/** Result of {@link EnactmentStore.finish}. */
export type FinishResult = (
  | {
      status: 'ok';
      state: EnactmentState;
      /** Whether the node left `inflight` (it can take its next job). */
      released: boolean;
      /** Pending records aborted because failures reached maxUnavailable. */
      aborted: string[];
      /** Set when this was the last in-flight record of a superseded generation (its keys are gone). */
      retired: boolean;
      counts?: RolloutCounts;
    }
  | { status: 'duplicate'; state: EnactmentState; released: boolean; counts: RolloutCounts }
  | { status: 'gone'; released: boolean }
) & {
  /** Set when a next job was named and the node was released. */
  next?: NextAdmissionResult;
};

/** A rollout as stored: metadata and every record. */
export interface RolloutSnapshot extends RolloutId {
  status: 'active' | 'superseded';
  maxUnavailable: number;
  createdAt: number;
  records: EnactmentRecord[];
}

/** Options of {@link EnactmentStore}. */
export interface EnactmentStoreOptions {
  /** The shared command connection (see `createRedisConnection`). */
  connection: Redis;
  keys: KeyLayout;
  /** Clock for record timestamps, in milliseconds. Default: `Date.now`. */
  now?: () => number;
}

function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/**
 * The enactment records: one per (policy generation, node), the single source of
 * truth of rollout progress. Every transition is one Lua script that checks the
 * leader's fencing epoch, so a deposed coordinator can no longer change anything.
 * Call {@link acquireLeaderEpoch} once after winning the election.
 */
export class EnactmentStore {
  readonly keys: KeyLayout;
  private readonly redis: Redis;
  private readonly now: () => number;
  private leaderEpoch: number | undefined;

  constructor(options: EnactmentStoreOptions) {
    this.redis = options.connection;
    this.keys = options.keys;
    this.now = options.now ?? Date.now;
    registerScripts(this.redis);
  }

  /** The epoch this store writes with, once acquired. */
  get epoch(): number | undefined {
    return this.leaderEpoch;
  }

  /** Takes a new fencing epoch: every write of an earlier leader is refused from now on. */
  async acquireLeaderEpoch(): Promise<number> {
    try {
      this.leaderEpoch = await this.redis.incr(this.keys.leaderEpoch);
      return this.leaderEpoch;
    } catch (error) {
      throw toQueueError(error, 'acquiring the leader epoch');
    }
  }

  /** Whether this store's epoch is still the current one (false once a newer leader took over). */
  async isCurrentLeader(): Promise<boolean> {
    const current = await this.redis.get(this.keys.leaderEpoch);
    return this.leaderEpoch !== undefined && current === String(this.leaderEpoch);
  }

  /** Creates or extends a rollout, superseding an older generation (see the script's contract). */
  async upsertRollout(rollout: RolloutId & { maxUnavailable: number; nodes: readonly string[] }): Promise<UpsertRolloutResult> {
    this.assertRollout(rollout);
    if (!Number.isSafeInteger(rollout.maxUnavailable) || rollout.maxUnavailable < 1) {
      throw new QueueError('invalid', `maxUnavailable ${rollout.maxUnavailable} is invalid: expected a positive integer`);
    }
    for (const node of rollout.nodes) assertObjectName(node, 'node');
    const reply = await this.run(UPSERT_ROLLOUT, 'creating the rollout', [
      rollout.policy,
      rollout.generation,
      rollout.uid,
      rollout.maxUnavailable,
      this.now(),
      ...rollout.nodes,
    ]);
    if (reply.status === 'stale') return { status: 'stale', activeGeneration: Number(reply.active) };
    if (reply.status === 'inactive') return { status: 'inactive', rolloutStatus: String(reply.rolloutStatus) };
    return {
      status: 'ok',
      created: asArray<string>(reply.created),
      aborted: asArray<string>(reply.aborted),
      superseded: asArray<InflightJob>(reply.superseded),
      retired: asArray<InflightJob>(reply.retired),
      counts: decodeRolloutCounts(reply.counts),
    };
  }

  /**
   * Tries to admit candidates in the given order, each with the hash of the desired
   * state its job will carry. Stops granting when the policy has no free slot.
   */
  async admit(rollout: RolloutId, candidates: readonly { node: string; desiredHash: string }[]): Promise<AdmitNodesResult> {
    this.assertRollout(rollout);
    const jobId = formatJobId(rollout);
    const args: (string | number)[] = [rollout.policy, rollout.generation, jobId, this.now()];
    for (const candidate of candidates) args.push(candidate.node, candidate.desiredHash);
    const reply = await this.run(ADMIT_NODES, 'admitting nodes', args);
    if (reply.status === 'inactive') return { status: 'inactive', rolloutStatus: String(reply.rolloutStatus) };
    const results = new Map<string, AdmitResult>();
    const raw = (reply.results ?? {}) as Record<string, AdmitResult>;
    for (const candidate of candidates) {
      const result = raw[candidate.node];
      if (result !== undefined) results.set(candidate.node, result);
    }
    return { status: 'ok', jobId, results, counts: decodeRolloutCounts(reply.counts) };
  }

  /**
   * Records how a job ended (idempotent; see the script's contract). With `next`, a node
   * the job released is admitted to that job in the same script, under admission's
   * rules; the result's `next` tells how that went.
   */
  async finish(
    ending: {
      policy: string;
      generation: number;
      node: string;
      jobId: string;
      outcome: FinishOutcome;
      error?: string;
    },
    next?: NextAdmission,
  ): Promise<FinishResult> {
    const args: (string | number)[] = [
      ending.policy,
      ending.generation,
      ending.node,
      ending.jobId,
      ending.outcome,
      this.now(),
      (ending.error ?? '').slice(0, MAX_RECORD_ERROR_CHARS),
    ];
    const nextJobId = next === undefined ? undefined : formatJobId(next.rollout);
    if (next !== undefined && nextJobId !== undefined) {
      this.assertRollout(next.rollout);
      args.push(next.rollout.policy, next.rollout.generation, nextJobId, next.desiredHash);
    }
    const reply = await this.run(FINISH_ENACTMENT, 'recording a job outcome', args);
    const released = reply.released === true;
    let result: FinishResult;
    if (reply.status === 'gone') {
      result = { status: 'gone', released };
    } else if (reply.status === 'duplicate') {
      result = { status: 'duplicate', state: reply.state as EnactmentState, released, counts: decodeRolloutCounts(reply.counts) };
    } else {
      result = {
        status: 'ok',
        state: reply.state as EnactmentState,
        released,
        aborted: asArray<string>(reply.aborted),
        retired: reply.retired === true,
      };
      if (reply.counts !== undefined) result.counts = decodeRolloutCounts(reply.counts);
    }
    const nextReply = reply.next as Record<string, unknown> | undefined;
    if (nextReply !== undefined && nextJobId !== undefined) {
      result.next =
        nextReply.status === 'ok'
          ? { status: 'ok', jobId: nextJobId, result: nextReply.result as AdmitResult, counts: decodeRolloutCounts(nextReply.counts) }
          : { status: 'inactive', rolloutStatus: String(nextReply.rolloutStatus) };
    }
    return result;
  }

  /** Removes the records of nodes that no longer match the policy. */
  async removeNodes(rollout: RolloutId, nodes: readonly string[]): Promise<{ removed: string[]; counts: RolloutCounts }> {
    this.assertRollout(rollout);
    const reply = await this.run(REMOVE_NODES, 'removing nodes from a rollout', [rollout.policy, rollout.generation, ...nodes]);
    return { removed: asArray<string>(reply.removed), counts: decodeRolloutCounts(reply.counts) };
  }

  /** Deletes every rollout of a deleted policy; returns the jobs still in flight for it. */
  async deletePolicy(policy: string): Promise<InflightJob[]> {
    assertObjectName(policy, 'policy');
    const reply = await this.run(DELETE_POLICY, 'deleting a policy', [policy]);
    return asArray<InflightJob>(reply.retired);
  }

  /** Forgets a node that left the cluster (in-flight marker, draining entry, reported state). */
  async forgetNode(node: string): Promise<void> {
    assertObjectName(node, 'node');
    await this.run(FORGET_NODE, 'forgetting a node', [node]);
  }

  /** Stores a rendered desired state under its hash, so a new leader can re-add a lost job. */
  async storeDesiredState(rollout: RolloutId, desiredHash: string, desiredStateJson: string): Promise<void> {
    try {
      await this.redis.hsetnx(this.keys.rolloutDesired(rollout.policy, rollout.generation), desiredHash, desiredStateJson);
    } catch (error) {
      throw toQueueError(error, 'storing a desired state');
    }
  }

  /** Reads a desired state stored by {@link storeDesiredState} (its JSON text). */
  async readDesiredState(rollout: Pick<RolloutId, 'policy' | 'generation'>, desiredHash: string): Promise<string | undefined> {
    try {
      return (await this.redis.hget(this.keys.rolloutDesired(rollout.policy, rollout.generation), desiredHash)) ?? undefined;
    } catch (error) {
      throw toQueueError(error, 'reading a desired state');
    }
  }

  /** The active generation of every policy that has one. */
  async readActiveGenerations(): Promise<Map<string, number>> {
    try {
      const raw = await this.redis.hgetall(this.keys.rollouts);
      return new Map(Object.entries(raw).map(([policy, generation]) => [policy, Number(generation)]));
    } catch (error) {
      throw toQueueError(error, 'reading active rollouts');
    }
  }

  /** Every generation of a policy whose records still exist (the active one and draining older ones). */
  async readGenerations(policy: string): Promise<number[]> {
    try {
      return (await this.redis.smembers(this.keys.policyGenerations(policy))).map(Number).sort((a, b) => a - b);
    } catch (error) {
      throw toQueueError(error, 'reading generations');
    }
  }

  /** Reads a rollout's metadata and records, or undefined when it does not exist. */
  async readRollout(policy: string, generation: number): Promise<RolloutSnapshot | undefined> {
    try {
      const [meta, records] = await Promise.all([
        this.redis.hgetall(this.keys.rolloutMeta(policy, generation)),
        this.redis.hgetall(this.keys.rolloutRecords(policy, generation)),
      ]);
      if (meta.status === undefined) return undefined;
      return {
        policy,
        generation,
        uid: meta.uid ?? '',
        status: meta.status === 'active' ? 'active' : 'superseded',
        maxUnavailable: Number(meta.maxUnavailable),
        createdAt: Number(meta.createdAt),
        records: Object.entries(records)
          .map(([node, json]) => decodeEnactmentRecord(node, json))
          .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
      };
    } catch (error) {
      throw toQueueError(error, 'reading a rollout');
    }
  }

  /** Counts a rollout's records by state, read from the per-state sets (O(1) per state). */
  async countStates(policy: string, generation: number): Promise<RolloutCounts> {
    try {
      const pipeline = this.redis.pipeline();
      for (const state of ['pending', 'progressing', 'available', 'failing', 'aborted', 'superseded']) {
        pipeline.scard(this.keys.rolloutStateSet(policy, generation, state));
      }
      pipeline.scard(this.keys.policyDraining(policy));
      const replies = (await pipeline.exec()) ?? [];
      return decodeRolloutCounts(replies.map(([, value]) => value));
    } catch (error) {
      throw toQueueError(error, 'counting records');
    }
  }

  /** The node's last reported state (parsed), or undefined when it never reported one. */
  async readNodeState(node: string): Promise<unknown> {
    let json: string | null;
    try {
      json = await this.redis.hget(this.keys.nodeState(node), 'state');
    } catch (error) {
      throw toQueueError(error, `reading the state of ${node}`);
    }
    if (json === null) return undefined;
    try {
      return JSON.parse(json) as unknown;
    } catch (error) {
      throw new QueueError('protocol', `the stored state of ${node} is not JSON`, { cause: error });
    }
  }

  /** Every node in flight, with the job id it is applying. */
  async readInflight(): Promise<Map<string, string>> {
    try {
      return new Map(Object.entries(await this.redis.hgetall(this.keys.inflight)));
    } catch (error) {
      throw toQueueError(error, 'reading in-flight nodes');
    }
  }

  /** Nodes still applying an older generation of the policy. */
  async readDraining(policy: string): Promise<string[]> {
    try {
      return (await this.redis.smembers(this.keys.policyDraining(policy))).sort();
    } catch (error) {
      throw toQueueError(error, 'reading draining nodes');
    }
  }

  private assertRollout(rollout: RolloutId): void {
    assertObjectName(rollout.policy, 'policy');
    assertGeneration(rollout.generation);
    if (rollout.uid === '') throw new QueueError('invalid', `policy ${rollout.policy} has an empty uid: expected metadata.uid`);
  }

  private async run(script: ScriptDefinition, action: string, args: readonly (string | number)[]): Promise<Record<string, unknown>> {
    if (this.leaderEpoch === undefined) {
      throw new QueueError('fenced', `${action}: this coordinator holds no leader epoch (call acquireLeaderEpoch first)`);
    }
    let reply: unknown;
    try {
      reply = await runScript(this.redis, script, [this.keys.root, this.leaderEpoch, ...args]);
    } catch (error) {
      throw toQueueError(error, action);
    }
    try {
      return JSON.parse(String(reply)) as Record<string, unknown>;
    } catch (error) {
      throw new QueueError('protocol', `${action}: unexpected script reply ${String(reply).slice(0, 80)}`, { cause: error });
    }
  }
}
