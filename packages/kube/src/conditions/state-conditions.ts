import { setConditions, type Condition } from '../api/condition.js';
import { StateConditionReason } from '../api/node-network-state.js';

/** The message of a NodeNetworkState whose current state was read successfully. */
export const STATE_RETRIEVED_MESSAGE = 'Network state successfully retrieved';

/** Available: the node's current state was read and reported. */
export function notifyStateRetrieved(conditions: readonly Condition[] | undefined, nowMs: number): Condition[] {
  const reason = StateConditionReason.SuccessfullyConfigured;
  return setConditions(
    conditions,
    [
      { type: 'Available', status: 'True', reason, message: STATE_RETRIEVED_MESSAGE },
      { type: 'Failing', status: 'False', reason, message: STATE_RETRIEVED_MESSAGE },
    ],
    nowMs,
  );
}

/** Failing: the node could not read its current state; `message` says why. The last good state stays. */
export function notifyStateFailing(
  conditions: readonly Condition[] | undefined,
  message: string,
  nowMs: number,
): Condition[] {
  const reason = StateConditionReason.FailedToConfigure;
  return setConditions(
    conditions,
    [
      { type: 'Available', status: 'False', reason, message },
      { type: 'Failing', status: 'True', reason, message },
    ],
    nowMs,
  );
}
