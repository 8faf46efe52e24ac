import { findCondition, setConditions, type Condition, type ConditionStatus } from '../api/condition.js';
import type { NodeNetworkConfigurationEnactment } from '../api/node-network-configuration-enactment.js';
import {
  POLICY_CONDITION_TYPES,
  PolicyConditionReason,
  type PolicyConditionType,
} from '../api/node-network-configuration-policy.js';

/**
 * How many enactments of the current policy generation have each condition
 * `True`. An enactment of another generation, or without the condition, counts
 * for none: its conditions describe an older spec.
 */
export interface EnactmentConditionCounts {
  available: number;
  failing: number;
  progressing: number;
  pending: number;
  aborted: number;
}

/** Counts the enactments of `policyGeneration` by condition (upstream `enactmentconditions.Count`). */
export function countEnactmentConditions(
  enactments: Iterable<Pick<NodeNetworkConfigurationEnactment, 'status'>>,
  policyGeneration: number,
): EnactmentConditionCounts {
  const counts: EnactmentConditionCounts = { available: 0, failing: 0, progressing: 0, pending: 0, aborted: 0 };
  for (const enactment of enactments) {
    if (enactment.status?.policyGeneration !== policyGeneration) continue;
    const conditions = enactment.status.conditions;
    if (findCondition(conditions, 'Available')?.status === 'True') counts.available += 1;
    if (findCondition(conditions, 'Failing')?.status === 'True') counts.failing += 1;
    if (findCondition(conditions, 'Progressing')?.status === 'True') counts.progressing += 1;
    if (findCondition(conditions, 'Pending')?.status === 'True') counts.pending += 1;
    if (findCondition(conditions, 'Aborted')?.status === 'True') counts.aborted += 1;
  }
  return counts;
}

/** What the policy's conditions are computed from. */
export interface PolicyConditionInput {
  /** Nodes that match the selector and run an agent. */
  matchingNodes: number;
  /** Of those, the nodes whose Ready condition is True. */
  readyMatchingNodes: number;
  enactments: EnactmentConditionCounts;
}

type Statuses = Record<PolicyConditionType, ConditionStatus>;

function applyTransition(
  conditions: readonly Condition[] | undefined,
  nowMs: number,
  statuses: Statuses,
  reasons: Partial<Record<PolicyConditionType, string>> & { default: string },
  messages: Partial<Record<PolicyConditionType, string>>,
): Condition[] {
  return setConditions(
    conditions,
    POLICY_CONDITION_TYPES.map((type) => ({
      type,
      status: statuses[type],
      reason: reasons[type] ?? reasons.default,
      message: messages[type] ?? '',
    })),
    nowMs,
  );
}

/** Progressing: some matching ready nodes have not finished. */
export function setPolicyProgressing(conditions: readonly Condition[] | undefined, message: string, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'Unknown', Degraded: 'Unknown', Progressing: 'True', Ignored: 'False' },
    { default: PolicyConditionReason.ConfigurationProgressing },
    { Progressing: message },
  );
}

/** Available: every matching ready node finished successfully. */
export function setPolicySuccess(conditions: readonly Condition[] | undefined, message: string, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'True', Degraded: 'False', Progressing: 'False', Ignored: 'False' },
    { default: PolicyConditionReason.SuccessfullyConfigured },
    { Available: message },
  );
}

/** Ignored: no node matches the selector. */
export function setPolicyNotMatching(conditions: readonly Condition[] | undefined, message: string, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'False', Degraded: 'False', Progressing: 'False', Ignored: 'True' },
    { default: PolicyConditionReason.NoMatchingNode },
    { Ignored: message },
  );
}

/** Degraded: at least one node failed, or was aborted because others failed. */
export function setPolicyFailedToConfigure(
  conditions: readonly Condition[] | undefined,
  message: string,
  nowMs: number,
): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'False', Degraded: 'True', Progressing: 'False', Ignored: 'False' },
    // Upstream leaves Progressing with its progressing reason here.
    { default: PolicyConditionReason.FailedToConfigure, Progressing: PolicyConditionReason.ConfigurationProgressing },
    { Degraded: message },
  );
}

/** Every condition `Unknown` with no reason: a new generation nobody has looked at yet. */
export function setPolicyStatusUnknown(conditions: readonly Condition[] | undefined, nowMs: number): Condition[] {
  return setConditions(
    conditions,
    POLICY_CONDITION_TYPES.map((type) => ({ type, status: 'Unknown' as const, reason: '', message: '' })),
    nowMs,
  );
}

/**
 * The policy's conditions from node and enactment counts, with upstream's
 * precedence and messages: no matching node → Ignored; any failed or aborted
 * enactment → Degraded (`"2/5 nodes failed to configure, 3 nodes aborted
 * configuration"` once failures reached maxUnavailable); ready nodes not all
 * finished, or some pending → Progressing; otherwise Available. NotReady nodes
 * are mentioned but not waited for.
 */
export function computePolicyConditions(
  previous: readonly Condition[] | undefined,
  input: PolicyConditionInput,
  nowMs: number,
): Condition[] {
  const { matchingNodes, readyMatchingNodes, enactments } = input;
  const notReady = matchingNodes - readyMatchingNodes;
  const notReadySuffix = notReady > 0 ? `, ${notReady} nodes ignored due to NotReady state` : '';
  const finished = enactments.available + enactments.failing + enactments.aborted;

  if (matchingNodes === 0) {
    return setPolicyNotMatching(previous, 'Policy does not match any node', nowMs);
  }
  if (enactments.failing > 0 || enactments.aborted > 0) {
    const aborted = enactments.aborted > 0 ? `, ${enactments.aborted} nodes aborted configuration` : '';
    return setPolicyFailedToConfigure(
      previous,
      `${enactments.failing}/${matchingNodes} nodes failed to configure${aborted}`,
      nowMs,
    );
  }
  if (finished < readyMatchingNodes) {
    return setPolicyProgressing(
      previous,
      `Policy is progressing ${finished}/${readyMatchingNodes} nodes finished${notReadySuffix}`,
      nowMs,
    );
  }
  if (enactments.pending > 0) {
    return setPolicyProgressing(
      previous,
      `Policy is progressing ${finished}/${readyMatchingNodes} nodes finished, ${enactments.pending} pending${notReadySuffix}`,
      nowMs,
    );
  }
  return setPolicySuccess(
    previous,
    `${enactments.available}/${matchingNodes} nodes successfully configured${notReadySuffix}`,
    nowMs,
  );
}
