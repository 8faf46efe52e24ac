import type { Condition } from './condition.js';
import type { NetworkState } from './network-state.js';
import type { KubeObject } from './object-meta.js';

/** The policy's desired configuration and where it applies (upstream `NodeNetworkConfigurationPolicySpec`). */
export interface NodeNetworkConfigurationPolicySpec {
  /**
   * Node labels that must all be present with these values for the policy to
   * apply to a node (equality only; no matchExpressions). Absent: every node.
   */
  nodeSelector?: Record<string, string>;
  /** Named nmpolicy capture expressions that `desiredState` can reference. */
  capture?: Record<string, string>;
  /** The nmstate state to apply, possibly referencing captures. */
  desiredState?: NetworkState;
  /**
   * How many matching nodes may be applying the policy at once: a count, or a
   * percentage string such as `"25%"`. Default `"50%"` ({@link DEFAULT_MAX_UNAVAILABLE}).
   */
  maxUnavailable?: number | string;
}

/** What the controller observed (upstream `NodeNetworkConfigurationPolicyStatus`). */
export interface NodeNetworkConfigurationPolicyStatus {
  conditions?: Condition[];
  /** Nodes that may be unavailable while processing the policy. */
  unavailableNodeCount?: number;
  /** When `unavailableNodeCount` was last updated (RFC 3339). */
  lastUnavailableNodeCountUpdate?: string;
  /**
   * Upstream's per-generation counter of nodes in progress. Kept in the schema
   * for compatibility; nmfleet derives the count from enactments instead, so it
   * never writes this field (a leaked counter deadlocks upstream, #1427, #1571).
   */
  unavailableNodeCountMap?: Record<string, number>;
}

/** A NodeNetworkConfigurationPolicy (nmstate.io/v1, also served as v1beta1). */
export interface NodeNetworkConfigurationPolicy extends KubeObject {
  spec: NodeNetworkConfigurationPolicySpec;
  status?: NodeNetworkConfigurationPolicyStatus;
}

/** `maxUnavailable` when the policy does not say. */
export const DEFAULT_MAX_UNAVAILABLE = '50%';

/** Condition types of a policy, in upstream's order. */
export const POLICY_CONDITION_TYPES = ['Available', 'Degraded', 'Progressing', 'Ignored'] as const;
/** A policy condition type. */
export type PolicyConditionType = (typeof POLICY_CONDITION_TYPES)[number];

/** Reasons a policy condition carries. */
export const PolicyConditionReason = {
  FailedToConfigure: 'FailedToConfigure',
  SuccessfullyConfigured: 'SuccessfullyConfigured',
  ConfigurationProgressing: 'ConfigurationProgressing',
  NoMatchingNode: 'NoMatchingNode',
} as const;
/** A policy condition reason. */
export type PolicyConditionReason = (typeof PolicyConditionReason)[keyof typeof PolicyConditionReason];
