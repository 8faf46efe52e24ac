import {
  buildEnactment,
  computePolicyConditions,
  formatAbortedMessage,
  formatApplyFailureMessage,
  formatEnactmentName,
  formatGenerateFailureMessage,
  formatKubeTime,
  notifyAborted,
  notifyFailing,
  notifyPending,
  notifyProgressing,
  notifyStateRetrieved,
  notifySuccess,
  setPolicyFailedToConfigure,
  type Condition,
  type KubeClient,
  type NodeNetworkConfigurationEnactment,
  type NodeNetworkConfigurationEnactmentStatus,
  type NodeNetworkConfigurationPolicy,
  type NodeNetworkState,
  type StatusWriter,
  type WriteCallback,
} from '@nmfleet/kube';
import type { RolloutCounts, RolloutId } from '@nmfleet/queue';
import type { Logger } from '@nmfleet/telemetry';
import type { RenderedState } from './desired-state-renderer.js';
import { trimNodeState } from './node-state-trimmer.js';

type NetworkState = NonNullable<NodeNetworkConfigurationEnactmentStatus['desiredState']>;
type CapturedStates = NodeNetworkConfigurationEnactmentStatus['capturedStates'];

/** The enactment condition that is True, as the API mirror should show it. */
export type EnactmentPhase = 'Pending' | 'Progressing' | 'Available' | 'Failing' | 'Aborted';

/** Options of {@link StatusPublisher}. */
export interface StatusPublisherOptions {
  client: KubeClient;
  writer: StatusWriter;
  logger: Logger;
  now?: () => number;
}

/** What the policy's conditions are computed from. */
export interface PolicyStatusInput {
  matchingNodes: number;
  readyMatchingNodes: number;
  counts: RolloutCounts;
}

/** What an enactment's status is rendered from: its phase since when, and what it carries. */
interface EnactmentModel {
  readonly object: NodeNetworkConfigurationEnactment;
  generation: number;
  phase: EnactmentPhase | undefined;
  /** When it entered `phase`, in milliseconds: the transition time its conditions show. */
  since: number;
  /** The Failing or Aborted message. */
  message?: string;
  desiredState?: NetworkState;
  features?: string[];
  capturedStates?: CapturedStates;
  /** Conditions of the last status rendered (or seen on the server), and of which generation. */
  conditions?: Condition[];
  conditionsGeneration?: number;
  render?: () => unknown;
  onResult?: WriteCallback;
}

/** What a policy's status is rendered from. */
interface PolicyModel {
  /** The counts now (read when the status is rendered), or why the generation was refused; unset until a status is submitted. */
  source?: { input: () => PolicyStatusInput } | { refusal: string };
  conditions?: Condition[];
  render?: () => unknown;
  onResult?: WriteCallback;
}

/** What a NodeNetworkState is rendered from: the node's last reported state. */
interface NodeStateModel {
  state: unknown;
  reportedAt: number;
  conditions?: Condition[];
  render?: () => unknown;
  onResult?: WriteCallback;
}

/**
 * Turns record transitions into Kubernetes status through the status writer:
 * NNCE per matching node (created with its first status), NNCP conditions from the
 * record counts, NodeNetworkState from the agents' reports. It never waits for the
 * API. A transition only updates a small model of the object and tells the writer
 * the object is due; the status itself is rendered when the writer sends it, so
 * under a tight QPS an object that moved through several phases while it waited
 * costs one rendering and one request. Statuses are built with kube's named
 * transitions, so an unchanged transition gives an identical status that the
 * writer skips.
 */
export class StatusPublisher {
  private readonly client: KubeClient;
  private readonly writer: StatusWriter;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly enactments = new Map<string, EnactmentModel>();
  private readonly policies = new Map<string, PolicyModel>();
  private readonly states = new Map<string, NodeStateModel>();

  constructor(options: StatusPublisherOptions) {
    this.client = options.client;
    this.writer = options.writer;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** Seeds what the API already shows (listed at leader start), so nothing equal is written again. */
  noteExistingEnactment(enactment: NodeNetworkConfigurationEnactment): void {
    const name = enactment.metadata?.name;
    if (name === undefined) return;
    const status = enactment.status;
    if (status === undefined) {
      this.writer.noteExisting(this.client.enactments, name);
      return;
    }
    const labels = enactment.metadata?.labels ?? {};
    const conditions = status.conditions ?? [];
    const phase = conditions.find((c) => c.status === 'True')?.type as EnactmentPhase | undefined;
    const model: EnactmentModel = {
      object: { apiVersion: enactment.apiVersion, kind: enactment.kind, metadata: { name, labels, ...(enactment.metadata?.ownerReferences ? { ownerReferences: enactment.metadata.ownerReferences } : {}) } },
      generation: status.policyGeneration ?? 0,
      phase,
      since: this.now(),
      conditions,
      conditionsGeneration: status.policyGeneration ?? 0,
    };
    const message = conditions.find((c) => c.status === 'True')?.message;
    if (message !== undefined && (phase === 'Failing' || phase === 'Aborted')) model.message = message;
    if (status.desiredState !== undefined) model.desiredState = status.desiredState;
    if (status.features !== undefined) model.features = status.features;
    if (status.capturedStates !== undefined) model.capturedStates = status.capturedStates;
    this.enactments.set(name, model);
    this.writer.noteCurrentStatus(this.client.enactments, name, status);
  }

  /** Seeds a policy's current conditions from the informer. */
  noteExistingPolicy(policy: NodeNetworkConfigurationPolicy): void {
    const name = policy.metadata?.name;
    if (name === undefined || policy.status?.conditions === undefined) return;
    const model = this.policies.get(name);
    if (model !== undefined) model.conditions = policy.status.conditions;
    else this.policies.set(name, { conditions: policy.status.conditions });
    this.writer.noteCurrentStatus(this.client.policies, name, policy.status);
  }

  /** Seeds a NodeNetworkState that exists. */
  noteExistingNodeState(state: NodeNetworkState): void {
    const name = state.metadata?.name;
    if (name === undefined) return;
    if (state.status?.conditions !== undefined) {
      this.states.set(name, { state: state.status.currentState, reportedAt: this.now(), conditions: state.status.conditions });
    }
    this.writer.noteExisting(this.client.states, name);
  }

  /** The condition that is True on the enactment as last submitted (or seen), if any. */
  enactmentPhase(node: string, policy: string, generation: number): EnactmentPhase | undefined {
    const model = this.enactments.get(formatEnactmentName(node, policy));
    return model?.generation === generation ? model.phase : undefined;
  }

  enactmentPending(rollout: RolloutId, node: string, rendered?: RenderedState): void {
    this.transitionEnactment(rollout, node, 'Pending', undefined, rendered);
  }

  enactmentProgressing(rollout: RolloutId, node: string, rendered: RenderedState): void {
    this.transitionEnactment(rollout, node, 'Progressing', undefined, rendered);
  }

  enactmentAvailable(rollout: RolloutId, node: string): void {
    this.transitionEnactment(rollout, node, 'Available');
  }

  /** Failing after an apply: upstream's message with the agent's output and error. */
  enactmentFailing(rollout: RolloutId, node: string, output: string, error: string): void {
    this.transitionEnactment(rollout, node, 'Failing', formatApplyFailureMessage(node, output, error));
  }

  /** Failing because the desired state could not be rendered for the node. */
  enactmentRenderFailed(rollout: RolloutId, node: string, error: string): void {
    this.transitionEnactment(rollout, node, 'Failing', formatGenerateFailureMessage(error));
  }

  enactmentAborted(rollout: RolloutId, node: string): void {
    this.transitionEnactment(rollout, node, 'Aborted', formatAbortedMessage(formatEnactmentName(node, rollout.policy)));
  }

  deleteEnactment(policy: string, node: string): void {
    const name = formatEnactmentName(node, policy);
    this.enactments.delete(name);
    void this.writer.delete(this.client.enactments, name).then((result) => this.logFailure('delete', name, result));
  }

  /** Writes the policy's conditions from the counts `input` gives when the status is sent. */
  policyStatus(policy: string, input: () => PolicyStatusInput): void {
    this.submitPolicy(policy, { input });
  }

  /** Degraded with a reason of our own making (an invalid desiredState or maxUnavailable): nothing is enqueued. */
  policyRefused(policy: string, message: string): void {
    this.submitPolicy(policy, { refusal: message });
  }

  /** Forgets a deleted policy. */
  forgetPolicy(policy: string): void {
    this.policies.delete(policy);
  }

  /** Writes a node's reported state (trimmed under etcd's limit when sent) as its NodeNetworkState. */
  nodeState(node: string, state: unknown): void {
    let model = this.states.get(node);
    if (model === undefined) {
      model = { state, reportedAt: this.now() };
      this.states.set(node, model);
    } else {
      model.state = state;
      model.reportedAt = this.now();
    }
    const object: NodeNetworkState = { apiVersion: 'nmstate.io/v1beta1', kind: 'NodeNetworkState', metadata: { name: node } };
    const current = model;
    current.render ??= () => this.renderNodeState(node, current);
    current.onResult ??= (result) => this.logFailure('node state', node, result);
    this.writer.ensureStatusFrom(this.client.states, object, current.render, current.onResult);
  }

  deleteNodeState(node: string): void {
    this.states.delete(node);
    void this.writer.delete(this.client.states, node).then((result) => this.logFailure('delete', node, result));
  }

  private renderNodeState(node: string, model: NodeStateModel): unknown {
    const trimmed = trimNodeState(model.state);
    if (trimmed.dropped.length > 0) this.logger.warn('node state trimmed to fit', { node, bytes: trimmed.bytes, dropped: trimmed.dropped });
    model.conditions = notifyStateRetrieved(model.conditions, model.reportedAt);
    return { currentState: trimmed.state as NetworkState, lastSuccessfulUpdateTime: formatKubeTime(model.reportedAt), conditions: model.conditions };
  }

  private submitPolicy(policy: string, source: NonNullable<PolicyModel['source']>): void {
    let model = this.policies.get(policy);
    if (model === undefined) {
      model = { source };
      this.policies.set(policy, model);
    } else {
      model.source = source;
    }
    const current = model;
    current.render ??= () => this.renderPolicy(current);
    current.onResult ??= (result) => this.logFailure('policy', policy, result);
    this.writer.writeStatusFrom(this.client.policies, policy, current.render, current.onResult);
  }

  private renderPolicy(model: PolicyModel): unknown {
    const now = this.now();
    const { source } = model;
    if (source === undefined) return { conditions: model.conditions ?? [] };
    if ('refusal' in source) {
      model.conditions = setPolicyFailedToConfigure(model.conditions, source.refusal, now);
    } else {
      const { matchingNodes, readyMatchingNodes, counts } = source.input();
      model.conditions = computePolicyConditions(
        model.conditions,
        {
          matchingNodes,
          readyMatchingNodes,
          enactments: { available: counts.available, failing: counts.failing, progressing: counts.progressing, pending: counts.pending, aborted: counts.aborted },
        },
        now,
      );
    }
    return { conditions: model.conditions };
  }

  private transitionEnactment(rollout: RolloutId, node: string, phase: EnactmentPhase, message?: string, rendered?: RenderedState): void {
    const name = formatEnactmentName(node, rollout.policy);
    let model = this.enactments.get(name);
    if (model === undefined || model.object.metadata?.ownerReferences?.[0]?.uid !== rollout.uid) {
      model = { object: buildEnactment(node, { name: rollout.policy, uid: rollout.uid }), generation: rollout.generation, phase: undefined, since: 0 };
      this.enactments.set(name, model);
    }
    if (model.generation !== rollout.generation) {
      // A new generation starts from fresh conditions and carries only its own desired state, as upstream resets them.
      model.generation = rollout.generation;
      delete model.desiredState;
      delete model.features;
      delete model.capturedStates;
    }
    model.phase = phase;
    model.since = this.now();
    if (message === undefined) delete model.message;
    else model.message = message;
    if (rendered !== undefined) {
      model.desiredState = rendered.state as NetworkState;
      if (rendered.features.length > 0) model.features = rendered.features;
      else delete model.features;
      if (rendered.capturedStates !== undefined) model.capturedStates = rendered.capturedStates as CapturedStates;
      else delete model.capturedStates;
    }
    const current = model;
    // One renderer and one callback per object, made once: submissions on every transition allocate nothing.
    current.render ??= () => this.renderEnactment(current);
    current.onResult ??= (result) => this.logFailure('enactment', name, result);
    this.writer.ensureStatusFrom(this.client.enactments, current.object, current.render, current.onResult);
  }

  private renderEnactment(model: EnactmentModel): NodeNetworkConfigurationEnactmentStatus {
    const previous = model.conditionsGeneration === model.generation ? model.conditions : undefined;
    const at = model.since;
    const message = model.message ?? '';
    const conditions =
      model.phase === 'Pending'
        ? notifyPending(previous, at)
        : model.phase === 'Progressing'
          ? notifyProgressing(previous, at)
          : model.phase === 'Available'
            ? notifySuccess(previous, at)
            : model.phase === 'Failing'
              ? notifyFailing(previous, message, at)
              : model.phase === 'Aborted'
                ? notifyAborted(previous, message, at)
                : (previous ?? []);
    model.conditions = conditions;
    model.conditionsGeneration = model.generation;
    const status: NodeNetworkConfigurationEnactmentStatus = { policyGeneration: model.generation, conditions };
    if (model.desiredState !== undefined) status.desiredState = model.desiredState;
    if (model.features !== undefined) status.features = model.features;
    if (model.capturedStates !== undefined) status.capturedStates = model.capturedStates;
    return status;
  }

  private logFailure(what: string, name: string, result: { outcome: string; error?: Error }): void {
    if (result.outcome === 'failed') this.logger.error('status write failed', { what, name, error: result.error });
  }
}
