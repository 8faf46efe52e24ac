import { describe, expect, it } from 'vitest';
import {
  formatAbortedMessage,
  formatApplyFailureMessage,
  formatRetryingMessage,
  hasEnactmentFailed,
  initializeEnactmentConditions,
  isEnactmentAvailable,
  isEnactmentProgressing,
  notifyAborted,
  notifyFailing,
  notifyFinalizing,
  notifyGenerateFailure,
  notifyPending,
  notifyProgressing,
  notifyRetrying,
  notifySuccess,
} from './enactment-conditions.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const T = '2026-01-02T03:04:05Z';

/** [type, status, reason, message] of each condition, in upstream's order. */
function summarize(conditions: { type: string; status: string; reason?: string; message?: string }[]) {
  return conditions.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']);
}

describe('enactment transitions (upstream setters, condition by condition)', () => {
  it('notifyPending: waiting for a maxUnavailable slot', () => {
    expect(summarize(notifyPending([], NOW))).toEqual([
      ['Available', 'False', 'MaxUnavailableLimitReached', ''],
      ['Failing', 'False', 'MaxUnavailableLimitReached', ''],
      ['Progressing', 'False', 'MaxUnavailableLimitReached', 'Waiting for progressing nodes to finish'],
      ['Pending', 'True', 'MaxUnavailableLimitReached', 'Waiting for progressing nodes to finish'],
      ['Aborted', 'False', 'MaxUnavailableLimitReached', ''],
    ]);
    expect(notifyPending([], NOW, 'interrupted').find((c) => c.type === 'Pending')).toMatchObject({
      reason: 'ConfigurationInterrupted',
      message: 'interrupted by handler restart; waiting to be reapplied',
    });
  });

  it('notifyProgressing and notifyFinalizing hold the slot', () => {
    expect(summarize(notifyProgressing([], NOW))).toEqual([
      ['Available', 'Unknown', 'ConfigurationProgressing', ''],
      ['Failing', 'Unknown', 'ConfigurationProgressing', ''],
      ['Progressing', 'True', 'ConfigurationProgressing', 'Applying desired state'],
      ['Pending', 'False', 'ConfigurationProgressing', ''],
      ['Aborted', 'False', 'ConfigurationProgressing', ''],
    ]);
    const finalizing = notifyFinalizing([], NOW);
    expect(isEnactmentProgressing(finalizing)).toBe(true);
    expect(finalizing.find((c) => c.type === 'Progressing')).toMatchObject({
      reason: 'ConfigurationFinalizing',
      message: 'Desired state applied, finalizing',
    });
  });

  it('notifySuccess', () => {
    expect(summarize(notifySuccess([], NOW))).toEqual([
      ['Available', 'True', 'SuccessfullyConfigured', 'successfully reconciled'],
      ['Failing', 'False', 'SuccessfullyConfigured', ''],
      ['Progressing', 'False', 'SuccessfullyConfigured', ''],
      ['Pending', 'False', 'SuccessfullyConfigured', ''],
      ['Aborted', 'False', 'SuccessfullyConfigured', ''],
    ]);
  });

  it('notifyFailing, notifyGenerateFailure and notifyRetrying', () => {
    const message = formatApplyFailureMessage('node01', 'nmstatectl said "no"', 'exit status 1');
    expect(message).toBe(
      'error reconciling NodeNetworkConfigurationPolicy on node node01 at desired state apply: "nmstatectl said \\"no\\"",\n exit status 1',
    );
    expect(summarize(notifyFailing([], message, NOW))).toEqual([
      ['Available', 'False', 'FailedToConfigure', ''],
      ['Failing', 'True', 'FailedToConfigure', message],
      ['Progressing', 'False', 'FailedToConfigure', ''],
      ['Pending', 'False', 'FailedToConfigure', ''],
      ['Aborted', 'False', 'SuccessfullyConfigured', ''],
    ]);
    expect(notifyGenerateFailure([], 'capture x: no match', NOW).find((c) => c.type === 'Failing')?.message).toBe(
      'failure generating desiredState and capturedStates: capture x: no match',
    );
    const retrying = notifyRetrying([], formatRetryingMessage('node01', 2, 5), NOW);
    expect(summarize(retrying).slice(0, 3)).toEqual([
      ['Available', 'False', 'Retrying', ''],
      ['Failing', 'True', 'Retrying', 'failed to reconcile NodeNetworkConfigurationPolicy on node node01. Retrying 2/5'],
      ['Progressing', 'True', 'Retrying', 'failed to reconcile NodeNetworkConfigurationPolicy on node node01. Retrying 2/5'],
    ]);
    expect(hasEnactmentFailed(retrying)).toBe(false);
    expect(hasEnactmentFailed(notifyFailing(retrying, message, NOW))).toBe(true);
  });

  it('notifyAborted carries upstream\'s message', () => {
    const aborted = notifyAborted([], formatAbortedMessage('node03.br1'), NOW);
    expect(summarize(aborted)).toEqual([
      ['Available', 'False', 'ConfigurationAborted', ''],
      ['Failing', 'False', 'ConfigurationAborted', ''],
      ['Progressing', 'False', 'ConfigurationAborted', ''],
      ['Pending', 'False', 'ConfigurationAborted', ''],
      ['Aborted', 'True', 'ConfigurationAborted', 'reconciliation of enactment "node03.br1" has aborted'],
    ]);
  });

  it('starts with every condition Unknown', () => {
    expect(initializeEnactmentConditions(NOW)).toEqual(
      ['Available', 'Failing', 'Progressing', 'Pending', 'Aborted'].map((type) => ({
        type,
        status: 'Unknown',
        lastHeartbeatTime: T,
        lastTransitionTime: T,
      })),
    );
  });

  it('keeps transition times of conditions whose status did not change', () => {
    const later = NOW + 90_000;
    const progressing = notifyProgressing(initializeEnactmentConditions(NOW), NOW);
    const done = notifySuccess(progressing, later);
    expect(isEnactmentAvailable(done)).toBe(true);
    // Pending was False before and after: its times stay; Available went Unknown → True.
    expect(done.find((c) => c.type === 'Pending')?.lastTransitionTime).toBe(T);
    expect(done.find((c) => c.type === 'Available')?.lastTransitionTime).toBe('2026-01-02T03:05:35Z');
  });
});
