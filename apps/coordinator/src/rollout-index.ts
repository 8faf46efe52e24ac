import type { EnactmentState, RolloutCounts, RolloutId } from '@nmfleet/queue';
import type { DesiredTemplate } from './desired-state-renderer.js';

/** The leader's in-memory view of one active rollout, kept in step with the script replies. */
export interface RolloutEntry {
  readonly id: RolloutId;
  maxUnavailable: number;
  /** Counts from the last script reply (Redis is authoritative; every reply refreshes them). */
  counts: RolloutCounts;
  /** Admissions sent but not answered yet: they hold a slot in the leader's arithmetic. */
  reserved: number;
  /** Every node with a record, and the record's state. */
  readonly members: Map<string, EnactmentState>;
  /** Pending nodes that apply nothing right now: the candidates when a slot frees. */
  readonly pendingIdle: Set<string>;
  /** How the desired state is rendered for a node; undefined while unknown (nothing is admitted). */
  template: DesiredTemplate | undefined;
  /** Why this generation was refused (invalid desiredState, selector or maxUnavailable): it has no records. */
  refusal?: string;
}

interface NodeEntry {
  /** Job id the node is applying (Redis `inflight`), or undefined when idle. */
  busyJob: string | undefined;
  /** Policies with a pending record on this node, sorted by name (the order they apply in). */
  readonly pending: string[];
}

function insertSorted(list: string[], value: string): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as string) < value) low = middle + 1;
    else high = middle;
  }
  if (list[low] !== value) list.splice(low, 0, value);
}

function removeSorted(list: string[], value: string): void {
  const index = list.indexOf(value);
  if (index >= 0) list.splice(index, 1);
}

/** An empty set of counts. */
export function zeroCounts(): RolloutCounts {
  return { pending: 0, progressing: 0, available: 0, failing: 0, aborted: 0, superseded: 0, draining: 0 };
}

/**
 * Indexes for O(policies per node) scheduling decisions: per node its pending
 * policies in name order and whether it is busy; per rollout its pending idle nodes
 * and counts. A node becoming busy leaves the idle sets of its pending policies; a
 * node becoming idle joins them again. Nothing here is authoritative: the admission
 * script re-checks everything, and its reply corrects the index.
 */
export class RolloutIndex {
  private readonly rollouts = new Map<string, RolloutEntry>();
  private readonly nodes = new Map<string, NodeEntry>();

  get(policy: string): RolloutEntry | undefined {
    return this.rollouts.get(policy);
  }

  entries(): IterableIterator<RolloutEntry> {
    return this.rollouts.values();
  }

  get size(): number {
    return this.rollouts.size;
  }

  /** Adds a rollout (replacing the policy's previous one, whose pending marks are removed). */
  add(entry: Omit<RolloutEntry, 'members' | 'pendingIdle' | 'reserved'>, members: Iterable<[string, EnactmentState]> = []): RolloutEntry {
    this.remove(entry.id.policy);
    const full: RolloutEntry = { ...entry, reserved: 0, members: new Map(), pendingIdle: new Set() };
    this.rollouts.set(entry.id.policy, full);
    for (const [node, state] of members) this.setState(full, node, state);
    return full;
  }

  /** Forgets a policy's rollout. */
  remove(policy: string): RolloutEntry | undefined {
    const entry = this.rollouts.get(policy);
    if (entry === undefined) return undefined;
    for (const [node, state] of entry.members) {
      if (state === 'pending') removeSorted(this.node(node).pending, policy);
    }
    this.rollouts.delete(policy);
    return entry;
  }

  /** Whether the rollout can take one more node (by the leader's arithmetic, reservations included). */
  hasFreeSlot(entry: RolloutEntry): boolean {
    return this.countFreeSlots(entry) > 0;
  }

  /** How many more nodes the rollout can take (by the leader's arithmetic, reservations included). */
  countFreeSlots(entry: RolloutEntry): number {
    const { progressing, failing, draining } = entry.counts;
    return Math.max(0, entry.maxUnavailable - (progressing + failing + draining + entry.reserved));
  }

  /**
   * Up to `count` of the rollout's pending idle nodes to offer its free slots to, the
   * nodes with the most pending policies first (ties by name), skipping `excluded`. A
   * node with more work left is more likely to end the rollout last; serving it first
   * shortens the rollout, and no node's own order of policies changes.
   */
  selectCandidates(entry: RolloutEntry, count: number, excluded: (node: string) => boolean): string[] {
    const chosen: string[] = [];
    const taken = new Set<string>();
    while (chosen.length < count) {
      let best: string | undefined;
      let bestWork = -1;
      for (const node of entry.pendingIdle) {
        if (taken.has(node) || excluded(node)) continue;
        const work = this.nodes.get(node)?.pending.length ?? 0;
        if (work > bestWork || (work === bestWork && best !== undefined && node < best)) {
          best = node;
          bestWork = work;
        }
      }
      if (best === undefined) break;
      taken.add(best);
      chosen.push(best);
    }
    return chosen;
  }

  /** Records a node's record state in a rollout, maintaining the pending indexes. */
  setState(entry: RolloutEntry, node: string, state: EnactmentState): void {
    const previous = entry.members.get(node);
    entry.members.set(node, state);
    if (previous === state) return;
    const slot = this.node(node);
    if (previous === 'pending') {
      removeSorted(slot.pending, entry.id.policy);
      entry.pendingIdle.delete(node);
    }
    if (state === 'pending') {
      insertSorted(slot.pending, entry.id.policy);
      if (slot.busyJob === undefined) entry.pendingIdle.add(node);
    }
  }

  /** Removes a node's record from a rollout. */
  removeMember(entry: RolloutEntry, node: string): void {
    if (entry.members.get(node) === 'pending') {
      removeSorted(this.node(node).pending, entry.id.policy);
      entry.pendingIdle.delete(node);
    }
    entry.members.delete(node);
  }

  /** The node runs `jobId` (or something unknown): it leaves the idle sets. */
  markBusy(node: string, jobId: string): void {
    const slot = this.node(node);
    slot.busyJob = jobId;
    for (const policy of slot.pending) this.rollouts.get(policy)?.pendingIdle.delete(node);
  }

  /** The node finished its job: it joins the idle sets of its pending policies. */
  markIdle(node: string): void {
    const slot = this.node(node);
    slot.busyJob = undefined;
    for (const policy of slot.pending) this.rollouts.get(policy)?.pendingIdle.add(node);
  }

  isBusy(node: string): boolean {
    return this.nodes.get(node)?.busyJob !== undefined;
  }

  busyJob(node: string): string | undefined {
    return this.nodes.get(node)?.busyJob;
  }

  /** Policies with a pending record on the node, in name order. */
  pendingPolicies(node: string): readonly string[] {
    return this.nodes.get(node)?.pending ?? [];
  }

  /** Forgets a node entirely (it left the cluster). */
  forgetNode(node: string): void {
    for (const entry of this.rollouts.values()) this.removeMember(entry, node);
    this.nodes.delete(node);
  }

  private node(name: string): NodeEntry {
    let entry = this.nodes.get(name);
    if (entry === undefined) {
      entry = { busyJob: undefined, pending: [] };
      this.nodes.set(name, entry);
    }
    return entry;
  }
}
