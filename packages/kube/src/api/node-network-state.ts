import type { Condition } from './condition.js';
import type { NetworkState } from './network-state.js';
import type { KubeObject } from './object-meta.js';

/** A node's reported network state (upstream `NodeNetworkStateStatus`). */
export interface NodeNetworkStateStatus {
  currentState?: NetworkState;
  /** RFC 3339. */
  lastSuccessfulUpdateTime?: string;
  conditions?: Condition[];
  handlerNetworkManagerVersion?: string;
  handlerNmstateVersion?: string;
  hostNetworkManagerVersion?: string;
}

/** A NodeNetworkState (nmstate.io/v1beta1), one per node, named after it. */
export interface NodeNetworkState extends KubeObject {
  status?: NodeNetworkStateStatus;
}

/** Condition types of a NodeNetworkState. */
export const STATE_CONDITION_TYPES = ['Available', 'Failing'] as const;
/** A NodeNetworkState condition type. */
export type StateConditionType = (typeof STATE_CONDITION_TYPES)[number];

/** Reasons a NodeNetworkState condition carries. */
export const StateConditionReason = {
  FailedToConfigure: 'FailedToConfigure',
  SuccessfullyConfigured: 'SuccessfullyConfigured',
} as const;
/** A NodeNetworkState condition reason. */
export type StateConditionReason = (typeof StateConditionReason)[keyof typeof StateConditionReason];
