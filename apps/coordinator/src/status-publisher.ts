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
} from '@nmfleet/kube';
import type { RolloutCounts, RolloutId } from '@nmfleet/queue';
import type { Logger } from '@nmfleet/telemetry';
import type { RenderedState } from './desired-state-renderer.js';
import { trimNodeState } from './node-state-trimmer.js';

type NetworkState = NonNullable<NodeNetworkConfigurationEnactmentStatus['desiredState']>;

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

/**
 * Turns record transitions into Kubernetes status through the status writer:
 * NNCE per matching node (created with its first status), NNCP conditions from the
 * record counts, NodeNetworkState from the agents' reports. It never waits for the
 * API: the writer coalesces, so under a tight QPS only the newest status of each
 * object is sent. Statuses are built with kube's named transitions, so an unchanged
 * transition gives an identical status that the writer skips.
 */
export class StatusPublisher {
  private readonly client: KubeClient;
  private readonly writer: StatusWriter;
  private readonly logger: Logger;
  private readonly now: () => number;
  /** Last status submitted per NNCE: transitions start from its conditions, and it keeps desiredState. */
  private readonly enactments = new Map<string, NodeNetworkConfigurationEnactmentStatus>();
  private readonly policyConditions = new Map<string, Condition[]>();
  private readonly stateConditions = new Map<string, Condition[]>();

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
    if (enactment.status !== undefined) {
      this.enactments.set(name, enactment.status);
      this.writer.noteCurrentStatus(this.client.enactments, name, enactment.status);
    } else {
      this.writer.noteExisting(this.client.enactments, name);
    }
  }

  /** Seeds a policy's current conditions from the informer. */
  noteExistingPolicy(policy: NodeNetworkConfigurationPolicy): void {
    const name = policy.metadata?.name;
    if (name === undefined) return;
    if (policy.status?.conditions !== undefined) {
      this.policyConditions.set(name, policy.status.conditions);
      this.writer.noteCurrentStatus(this.client.policies, name, policy.status);
    }
  }

  /** Seeds a NodeNetworkState that exists. */
  noteExistingNodeState(state: NodeNetworkState): void {
    const name = state.metadata?.name;
    if (name === undefined) return;
    if (state.status?.conditions !== undefined) this.stateConditions.set(name, state.status.conditions);
    this.writer.noteExisting(this.client.states, name);
  }

  /** The condition that is True on the enactment as last submitted (or seen), if any. */
  enactmentPhase(node: string, policy: string, generation: number): EnactmentPhase | undefined {
    const status = this.enactments.get(formatEnactmentName(node, policy));
    if (status?.policyGeneration !== generation) return undefined;
    const phase = status.conditions?.find((c) => c.status === 'True')?.type;
    return phase as EnactmentPhase | undefined;
  }

  enactmentPending(rollout: RolloutId, node: string, rendered?: RenderedState): void {
    this.submitEnactment(rollout, node, (c, now) => notifyPending(c, now), rendered);
  }

  enactmentProgressing(rollout: RolloutId, node: string, rendered: RenderedState): void {
    this.submitEnactment(rollout, node, (c, now) => notifyProgressing(c, now), rendered);
  }

  enactmentAvailable(rollout: RolloutId, node: string): void {
    this.submitEnactment(rollout, node, (c, now) => notifySuccess(c, now));
  }

  /** Failing after an apply: upstream's message with the agent's output and error. */
  enactmentFailing(rollout: RolloutId, node: string, output: string, error: string): void {
    const message = formatApplyFailureMessage(node, output, error);
    this.submitEnactment(rollout, node, (c, now) => notifyFailing(c, message, now));
  }

  /** Failing because the desired state could not be rendered for the node. */
  enactmentRenderFailed(rollout: RolloutId, node: string, error: string): void {
    const message = formatGenerateFailureMessage(error);
    this.submitEnactment(rollout, node, (c, now) => notifyFailing(c, message, now));
  }

  enactmentAborted(rollout: RolloutId, node: string): void {
    const message = formatAbortedMessage(formatEnactmentName(node, rollout.policy));
    this.submitEnactment(rollout, node, (c, now) => notifyAborted(c, message, now));
  }

  deleteEnactment(policy: string, node: string): void {
    const name = formatEnactmentName(node, policy);
    this.enactments.delete(name);
    void this.writer.delete(this.client.enactments, name).then((result) => this.logFailure('delete', name, result));
  }

  /** Writes the policy's conditions from its counts. */
  policyStatus(policy: string, input: PolicyStatusInput): void {
    const { counts } = input;
    const conditions = computePolicyConditions(
      this.policyConditions.get(policy),
      {
        matchingNodes: input.matchingNodes,
        readyMatchingNodes: input.readyMatchingNodes,
        enactments: {
          available: counts.available,
          failing: counts.failing,
          progressing: counts.progressing,
          pending: counts.pending,
          aborted: counts.aborted,
        },
      },
      this.now(),
    );
    this.submitPolicy(policy, conditions);
  }

  /** Degraded with a reason of our own making (an invalid desiredState or maxUnavailable): nothing is enqueued. */
  policyRefused(policy: string, message: string): void {
    this.submitPolicy(policy, setPolicyFailedToConfigure(this.policyConditions.get(policy), message, this.now()));
  }

  /** Forgets a deleted policy. */
  forgetPolicy(policy: string): void {
    this.policyConditions.delete(policy);
  }

  /** Writes a node's reported state (trimmed under etcd's limit) as its NodeNetworkState. */
  nodeState(node: string, state: unknown): void {
    const trimmed = trimNodeState(state);
    if (trimmed.dropped.length > 0) this.logger.warn('node state trimmed to fit', { node, bytes: trimmed.bytes, dropped: trimmed.dropped });
    const now = this.now();
    const conditions = notifyStateRetrieved(this.stateConditions.get(node), now);
    this.stateConditions.set(node, conditions);
    const object: NodeNetworkState = { apiVersion: 'nmstate.io/v1beta1', kind: 'NodeNetworkState', metadata: { name: node } };
    const status = { currentState: trimmed.state as NetworkState, lastSuccessfulUpdateTime: formatKubeTime(now), conditions };
    void this.writer.ensureStatus(this.client.states, object, status).then((result) => this.logFailure('node state', node, result));
  }

  deleteNodeState(node: string): void {
    this.stateConditions.delete(node);
    void this.writer.delete(this.client.states, node).then((result) => this.logFailure('delete', node, result));
  }

  private submitPolicy(policy: string, conditions: Condition[]): void {
    this.policyConditions.set(policy, conditions);
    void this.writer.writeStatus(this.client.policies, policy, { conditions }).then((result) => this.logFailure('policy', policy, result));
  }

  private submitEnactment(
    rollout: RolloutId,
    node: string,
    transition: (conditions: Condition[] | undefined, now: number) => Condition[],
    rendered?: RenderedState,
  ): void {
    const name = formatEnactmentName(node, rollout.policy);
    const previous = this.enactments.get(name);
    const sameGeneration = previous?.policyGeneration === rollout.generation;
    const status: NodeNetworkConfigurationEnactmentStatus = {
      policyGeneration: rollout.generation,
      // A new generation starts from fresh conditions, as upstream resets them.
      conditions: transition(sameGeneration ? previous?.conditions : undefined, this.now()),
    };
    const desiredState = rendered ? (rendered.state as NetworkState) : sameGeneration ? previous?.desiredState : undefined;
    if (desiredState !== undefined) status.desiredState = desiredState;
    const features = rendered ? rendered.features : sameGeneration ? previous?.features : undefined;
    if (features !== undefined && features.length > 0) status.features = features;
    const captured = rendered ? rendered.capturedStates : sameGeneration ? previous?.capturedStates : undefined;
    if (captured !== undefined) status.capturedStates = captured as NodeNetworkConfigurationEnactmentStatus['capturedStates'];
    this.enactments.set(name, status);
    const object = buildEnactment(node, { name: rollout.policy, uid: rollout.uid });
    void this.writer.ensureStatus(this.client.enactments, object, status).then((result) => this.logFailure('enactment', name, result));
  }

  private logFailure(what: string, name: string, result: { outcome: string; error?: Error }): void {
    if (result.outcome === 'failed') this.logger.error('status write failed', { what, name, error: result.error });
  }
}
