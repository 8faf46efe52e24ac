import { isConditionTrue, setConditions, type Condition, type ConditionStatus } from '../api/condition.js';
import {
  ENACTMENT_CONDITION_TYPES,
  EnactmentConditionReason,
  type EnactmentConditionType,
} from '../api/node-network-configuration-enactment.js';

/**
 * Fixed condition messages of upstream's enactment transitions, verbatim, so
 * that tooling matching on them keeps working.
 */
export const ENACTMENT_MESSAGES = {
  progressing: 'Applying desired state',
  finalizing: 'Desired state applied, finalizing',
  success: 'successfully reconciled',
  pending: 'Waiting for progressing nodes to finish',
  interrupted: 'interrupted by handler restart; waiting to be reapplied',
} as const;

/** The Aborted message upstream writes on nodes not started once failures reach maxUnavailable. */
export function formatAbortedMessage(enactmentName: string): string {
  return `reconciliation of enactment "${enactmentName}" has aborted`;
}

/** The Failing message when rendering the desired state (captures) failed. */
export function formatGenerateFailureMessage(error: string): string {
  return `failure generating desiredState and capturedStates: ${error}`;
}

/** The Failing message when applying on the node failed and was rolled back. */
export function formatApplyFailureMessage(node: string, output: string, error: string): string {
  return `error reconciling NodeNetworkConfigurationPolicy on node ${node} at desired state apply: ${quoteLikeGo(output)},\n ${error}`;
}

/** The message of a failed attempt that will be retried (`attempt` counts from 1). */
export function formatRetryingMessage(node: string, attempt: number, maxAttempts: number): string {
  return `failed to reconcile NodeNetworkConfigurationPolicy on node ${node}. Retrying ${attempt}/${maxAttempts}`;
}

// Go's %q: a double-quoted string with Go escapes, which JSON's escapes match
// except for a few control characters Go writes in short form.
function quoteLikeGo(text: string): string {
  return JSON.stringify(text)
    .replace(/\\u0007/g, '\\a')
    .replace(/\\u000b/g, '\\v');
}

type Statuses = Record<EnactmentConditionType, ConditionStatus>;

// Every transition sets all five condition types, like upstream's setters: the
// type whose status is True carries the message, the others an empty one.
function applyTransition(
  conditions: readonly Condition[] | undefined,
  nowMs: number,
  statuses: Statuses,
  reasons: Partial<Record<EnactmentConditionType, string>> & { default: string },
  messages: Partial<Record<EnactmentConditionType, string>>,
): Condition[] {
  return setConditions(
    conditions,
    ENACTMENT_CONDITION_TYPES.map((type) => ({
      type,
      status: statuses[type],
      reason: reasons[type] ?? reasons.default,
      message: messages[type] ?? '',
    })),
    nowMs,
  );
}

/**
 * All five condition types `Unknown` with no reason: how an enactment starts
 * before the controller looked at it (upstream `NewEnactment`).
 */
export function initializeEnactmentConditions(nowMs: number): Condition[] {
  return setConditions(
    [],
    ENACTMENT_CONDITION_TYPES.map((type) => ({ type, status: 'Unknown' as const, reason: '', message: '' })),
    nowMs,
  );
}

/**
 * Pending: waiting for a maxUnavailable slot (reason `MaxUnavailableLimitReached`),
 * or waiting to be reapplied after the applying process died (`ConfigurationInterrupted`).
 */
export function notifyPending(
  conditions: readonly Condition[] | undefined,
  nowMs: number,
  cause: 'max-unavailable' | 'interrupted' = 'max-unavailable',
): Condition[] {
  const interrupted = cause === 'interrupted';
  const message = interrupted ? ENACTMENT_MESSAGES.interrupted : ENACTMENT_MESSAGES.pending;
  const reason = interrupted
    ? EnactmentConditionReason.ConfigurationInterrupted
    : EnactmentConditionReason.MaxUnavailableLimitReached;
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'False', Failing: 'False', Progressing: 'False', Pending: 'True', Aborted: 'False' },
    { default: reason },
    // Upstream repeats the message on Progressing=False here, and only here.
    { Pending: message, Progressing: message },
  );
}

/** Progressing: the node holds a maxUnavailable slot and is applying. */
export function notifyProgressing(conditions: readonly Condition[] | undefined, nowMs: number): Condition[] {
  return setProgressingWith(conditions, nowMs, EnactmentConditionReason.ConfigurationProgressing, ENACTMENT_MESSAGES.progressing);
}

/**
 * Still Progressing (the slot is held) but the state is applied and committed;
 * only recording the outcome remains, so a retry must not apply again.
 */
export function notifyFinalizing(conditions: readonly Condition[] | undefined, nowMs: number): Condition[] {
  return setProgressingWith(conditions, nowMs, EnactmentConditionReason.ConfigurationFinalizing, ENACTMENT_MESSAGES.finalizing);
}

function setProgressingWith(
  conditions: readonly Condition[] | undefined,
  nowMs: number,
  reason: string,
  message: string,
): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'Unknown', Failing: 'Unknown', Progressing: 'True', Pending: 'False', Aborted: 'False' },
    { default: reason },
    { Progressing: message },
  );
}

/** Available: applied, verified and committed on the node. */
export function notifySuccess(conditions: readonly Condition[] | undefined, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'True', Failing: 'False', Progressing: 'False', Pending: 'False', Aborted: 'False' },
    { default: EnactmentConditionReason.SuccessfullyConfigured },
    { Available: ENACTMENT_MESSAGES.success },
  );
}

/**
 * Failing for good (`FailedToConfigure`): the apply failed and was rolled back
 * and no retries remain, or the desired state could not be rendered.
 */
export function notifyFailing(conditions: readonly Condition[] | undefined, message: string, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'False', Failing: 'True', Progressing: 'False', Pending: 'False', Aborted: 'False' },
    { default: EnactmentConditionReason.FailedToConfigure, Aborted: EnactmentConditionReason.SuccessfullyConfigured },
    { Failing: message },
  );
}

/** Failing because rendering the desired state (captures) failed. */
export function notifyGenerateFailure(
  conditions: readonly Condition[] | undefined,
  error: string,
  nowMs: number,
): Condition[] {
  return notifyFailing(conditions, formatGenerateFailureMessage(error), nowMs);
}

/** An attempt failed and another will follow: Failing and Progressing are both True (`Retrying`). */
export function notifyRetrying(conditions: readonly Condition[] | undefined, message: string, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'False', Failing: 'True', Progressing: 'True', Pending: 'False', Aborted: 'False' },
    { default: EnactmentConditionReason.Retrying, Aborted: EnactmentConditionReason.SuccessfullyConfigured },
    { Failing: message, Progressing: message },
  );
}

/**
 * Aborted: the node never started because failures of the policy reached
 * maxUnavailable. Use {@link formatAbortedMessage} for upstream's message.
 */
export function notifyAborted(conditions: readonly Condition[] | undefined, message: string, nowMs: number): Condition[] {
  return applyTransition(
    conditions,
    nowMs,
    { Available: 'False', Failing: 'False', Progressing: 'False', Pending: 'False', Aborted: 'True' },
    { default: EnactmentConditionReason.ConfigurationAborted },
    { Aborted: message },
  );
}

/** Whether the enactment holds a maxUnavailable slot (Progressing is True). */
export function isEnactmentProgressing(conditions: readonly Condition[] | undefined): boolean {
  return isConditionTrue(conditions, 'Progressing');
}

/** Whether the enactment finished successfully. */
export function isEnactmentAvailable(conditions: readonly Condition[] | undefined): boolean {
  return isConditionTrue(conditions, 'Available');
}

/** Whether the enactment failed for good (Failing True and no longer Progressing). */
export function hasEnactmentFailed(conditions: readonly Condition[] | undefined): boolean {
  return isConditionTrue(conditions, 'Failing') && !isConditionTrue(conditions, 'Progressing');
}
