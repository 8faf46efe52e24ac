import type { Condition } from './condition.js';
import type { NetworkState } from './network-state.js';
import type { KubeObject } from './object-meta.js';

/** When and by which nmstate version a state was produced. */
export interface EnactmentMetaInfo {
  version?: string;
  /** RFC 3339. */
  time?: string;
}

/** One resolved capture of the policy, cached for the node. */
export interface EnactmentCapturedState {
  state?: NetworkState;
  metaInfo?: EnactmentMetaInfo;
}

/** The per-node outcome of a policy (upstream `NodeNetworkConfigurationEnactmentStatus`). */
export interface NodeNetworkConfigurationEnactmentStatus {
  /** The desired state rendered for this node from the policy's template. */
  desiredState?: NetworkState;
  desiredStateMetaInfo?: EnactmentMetaInfo;
  /** Captures resolved against this node's state, by capture name. */
  capturedStates?: Record<string, EnactmentCapturedState>;
  /** The policy generation these conditions belong to. */
  policyGeneration?: number;
  conditions?: Condition[];
  /** nmstate features the desired state uses. */
  features?: string[];
  /** Apply attempts per policy generation (key: the generation as a string). */
  retryCount?: Record<string, number>;
}

/** A NodeNetworkConfigurationEnactment (nmstate.io/v1beta1), named `<node>.<policy>`. */
export interface NodeNetworkConfigurationEnactment extends KubeObject {
  status?: NodeNetworkConfigurationEnactmentStatus;
}

/** Label naming the policy of an enactment. */
export const ENACTMENT_POLICY_LABEL = 'nmstate.io/policy';
/** Label naming the node of an enactment. */
export const ENACTMENT_NODE_LABEL = 'nmstate.io/node';

/** Condition types of an enactment, in upstream's order. */
export const ENACTMENT_CONDITION_TYPES = ['Available', 'Failing', 'Progressing', 'Pending', 'Aborted'] as const;
/** An enactment condition type. */
export type EnactmentConditionType = (typeof ENACTMENT_CONDITION_TYPES)[number];

/** Reasons an enactment condition carries. */
export const EnactmentConditionReason = {
  FailedToConfigure: 'FailedToConfigure',
  Retrying: 'Retrying',
  SuccessfullyConfigured: 'SuccessfullyConfigured',
  MaxUnavailableLimitReached: 'MaxUnavailableLimitReached',
  ConfigurationProgressing: 'ConfigurationProgressing',
  ConfigurationFinalizing: 'ConfigurationFinalizing',
  ConfigurationInterrupted: 'ConfigurationInterrupted',
  ConfigurationAborted: 'ConfigurationAborted',
} as const;
/** An enactment condition reason. */
export type EnactmentConditionReason = (typeof EnactmentConditionReason)[keyof typeof EnactmentConditionReason];

/** The enactment name of `policy` on `node`: `<node>.<policy>`. */
export function formatEnactmentName(node: string, policy: string): string {
  return `${node}.${policy}`;
}

/** What identifies the policy an enactment belongs to. */
export interface EnactmentOwner {
  name: string;
  uid?: string;
}

/**
 * The object to create for `policy` on `node`: name, labels (`nmstate.io/policy`,
 * `nmstate.io/node`) and, when the policy's uid is known, an owner reference so
 * a cluster's garbage collector removes it with the policy.
 */
export function buildEnactment(node: string, policy: EnactmentOwner): NodeNetworkConfigurationEnactment {
  const enactment: NodeNetworkConfigurationEnactment = {
    apiVersion: 'nmstate.io/v1beta1',
    kind: 'NodeNetworkConfigurationEnactment',
    metadata: {
      name: formatEnactmentName(node, policy.name),
      labels: { [ENACTMENT_POLICY_LABEL]: policy.name, [ENACTMENT_NODE_LABEL]: node },
    },
  };
  if (policy.uid !== undefined && enactment.metadata !== undefined) {
    enactment.metadata.ownerReferences = [
      { apiVersion: 'nmstate.io/v1', kind: 'NodeNetworkConfigurationPolicy', name: policy.name, uid: policy.uid },
    ];
  }
  return enactment;
}
