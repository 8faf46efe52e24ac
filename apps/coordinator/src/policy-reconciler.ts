import type { Informer, NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { resolveMaxUnavailable, selectNodes } from '@nmfleet/planner';
import type { EnactmentStore, RolloutId } from '@nmfleet/queue';
import type { Logger } from '@nmfleet/telemetry';
import { prepareTemplate, type DesiredTemplate } from './desired-state-renderer.js';
import type { NodeDirectory } from './node-directory.js';
import type { RolloutEngine } from './rollout-engine.js';
import type { RolloutIndex } from './rollout-index.js';
import type { StatusPublisher } from './status-publisher.js';
import type { ReconcileResult } from './work-queue.js';

/** Options of {@link PolicyReconciler}. */
export interface PolicyReconcilerOptions {
  policies: Informer<NodeNetworkConfigurationPolicy>;
  nodes: NodeDirectory;
  index: RolloutIndex;
  store: EnactmentStore;
  engine: RolloutEngine;
  publisher: StatusPublisher;
  logger: Logger;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reconciles one policy key against the informer cache and Redis: validates the
 * desired state with the model (an invalid one is refused in the policy's status and
 * nothing is enqueued), selects the matching nodes, resolves maxUnavailable, creates
 * or extends the generation's records (superseding an older generation), removes
 * nodes that stopped matching, and admits what has a free slot. A policy that is gone
 * stops its rollout and loses its enactments.
 */
export class PolicyReconciler {
  constructor(private readonly options: PolicyReconcilerOptions) {}

  async reconcile(name: string): Promise<ReconcileResult> {
    const { index, engine, publisher } = this.options;
    const policy = this.options.policies.get(name);
    if (policy === undefined || policy.metadata?.deletionTimestamp !== undefined) {
      await this.deletePolicy(name);
      return;
    }
    const generation = policy.metadata?.generation ?? 1;
    const uid = policy.metadata?.uid ?? '';
    const id: RolloutId = { policy: name, generation, uid };
    const existing = index.get(name);
    const isCurrent = existing !== undefined && existing.id.generation === generation && existing.id.uid === uid;

    if (isCurrent && existing.refusal !== undefined) return;

    let template: DesiredTemplate;
    if (isCurrent && existing.template !== undefined) {
      template = existing.template;
    } else {
      const prepared = prepareTemplate(policy.spec ?? {});
      if (!prepared.ok) return this.refuse(id, prepared.message);
      template = prepared.template;
    }
    let matching: string[];
    let maxUnavailable: number;
    try {
      matching = selectNodes(policy.spec?.nodeSelector, this.options.nodes.list()).map((node) => node.name);
      maxUnavailable = resolveMaxUnavailable(policy.spec?.maxUnavailable, matching.length);
    } catch (error) {
      return this.refuse(id, describe(error));
    }
    const limit = Math.max(1, maxUnavailable);
    const matchingSet = new Set(matching);

    if (isCurrent) {
      existing.template = template;
      const unchanged =
        existing.maxUnavailable === limit && existing.members.size === matchingSet.size && matching.every((node) => existing.members.has(node));
      if (unchanged) {
        engine.publishPolicyStatus(existing);
        await engine.fillRollout(existing);
        return;
      }
    }

    const result = await this.options.store.upsertRollout({ ...id, maxUnavailable: limit, nodes: matching });
    if (result.status === 'stale') {
      // Redis already holds a newer generation than this informer has seen; its update is on the way.
      this.options.logger.info('policy generation older than the active one; waiting for the informer', { policy: name, generation });
      return;
    }
    if (result.status === 'inactive') return;

    let entry = index.get(name);
    if (entry === undefined || entry.id.generation !== generation || entry.id.uid !== uid) {
      const previous = index.remove(name);
      entry = index.add({ id, maxUnavailable: limit, counts: result.counts, template });
      if (previous !== undefined) {
        this.options.logger.info('new policy generation supersedes the previous one', {
          policy: name,
          generation,
          previousGeneration: previous.id.generation,
        });
        for (const node of previous.members.keys()) if (!matchingSet.has(node)) publisher.deleteEnactment(name, node);
      }
    }
    entry.maxUnavailable = limit;
    entry.counts = result.counts;
    const staticRendered = template.kind === 'static' ? template.rendered : undefined;
    for (const node of result.created) {
      index.setState(entry, node, 'pending');
      publisher.enactmentPending(entry.id, node, staticRendered);
    }
    for (const node of result.aborted) {
      index.setState(entry, node, 'aborted');
      publisher.enactmentAborted(entry.id, node);
    }
    const gone = [...entry.members.keys()].filter((node) => !matchingSet.has(node));
    if (gone.length > 0) {
      const removal = await this.options.store.removeNodes(entry.id, gone);
      entry.counts = removal.counts;
      for (const node of removal.removed) {
        index.removeMember(entry, node);
        publisher.deleteEnactment(name, node);
      }
    }
    await engine.cancelJobs([...result.superseded, ...result.retired]);
    engine.publishPolicyStatus(entry);
    await engine.fillRollout(entry);
  }

  /**
   * Refuses a generation: it still supersedes the previous one (the user replaced that
   * spec), but gets no records, and the policy's status carries the reason.
   */
  private async refuse(id: RolloutId, message: string): Promise<ReconcileResult> {
    const { index, engine } = this.options;
    this.options.logger.warn('policy refused; nothing enqueued', { policy: id.policy, generation: id.generation, reason: message });
    const result = await this.options.store.upsertRollout({ ...id, maxUnavailable: 1, nodes: [] });
    if (result.status !== 'ok') return;
    const previous = index.remove(id.policy);
    // The previous generation's enactments stay (they tell what was applied) and go with the policy.
    const keep = [...(previous?.members.keys() ?? [])].map((node): [string, 'superseded'] => [node, 'superseded']);
    const entry = index.add({ id, maxUnavailable: 1, counts: result.counts, template: undefined, refusal: message }, keep);
    await engine.cancelJobs([...result.superseded, ...result.retired]);
    engine.publishPolicyStatus(entry);
  }

  private async deletePolicy(name: string): Promise<void> {
    const { index, engine, publisher } = this.options;
    const entry = index.remove(name);
    const retired = await this.options.store.deletePolicy(name);
    if (entry !== undefined || retired.length > 0) this.options.logger.info('policy deleted; rollout stopped', { policy: name });
    await engine.cancelJobs(retired);
    for (const node of entry?.members.keys() ?? []) publisher.deleteEnactment(name, node);
    publisher.forgetPolicy(name);
  }
}
