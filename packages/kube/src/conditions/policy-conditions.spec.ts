import { describe, expect, it } from 'vitest';
import type { Condition } from '../api/condition.js';
import type { NodeNetworkConfigurationEnactment } from '../api/node-network-configuration-enactment.js';
import { notifyAborted, notifyFailing, notifyPending, notifyProgressing, notifyRetrying, notifySuccess } from './enactment-conditions.js';
import {
  computePolicyConditions,
  countEnactmentConditions,
  setPolicyFailedToConfigure,
  setPolicyNotMatching,
  setPolicyProgressing,
  setPolicySuccess,
} from './policy-conditions.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const GENERATION = 3;

type EnactmentState = 'unknown' | 'progressing' | 'success' | 'failed' | 'pending' | 'aborted' | 'retrying';

function enactment(state: EnactmentState, generation = GENERATION): NodeNetworkConfigurationEnactment {
  const build: Record<EnactmentState, () => Condition[]> = {
    unknown: () => [],
    progressing: () => notifyProgressing([], NOW),
    success: () => notifySuccess([], NOW),
    failed: () => notifyFailing([], 'boom', NOW),
    pending: () => notifyPending([], NOW),
    aborted: () => notifyAborted([], 'aborted', NOW),
    retrying: () => notifyRetrying([], 'retry', NOW),
  };
  return { status: { policyGeneration: generation, conditions: build[state]() } };
}

interface Case {
  name: string;
  enactments: NodeNetworkConfigurationEnactment[];
  matchingNodes: number;
  readyMatchingNodes?: number;
  expected: (conditions: Condition[] | undefined, now: number) => Condition[];
}

const e = enactment;
const progressing = (message: string) => (c: Condition[] | undefined, now: number) => setPolicyProgressing(c, message, now);
const success = (message: string) => (c: Condition[] | undefined, now: number) => setPolicySuccess(c, message, now);
const degraded = (message: string) => (c: Condition[] | undefined, now: number) => setPolicyFailedToConfigure(c, message, now);

// The scenarios of upstream's policyconditions table, plus the ones our rollout adds.
const CASES: Case[] = [
  { name: 'all progressing', enactments: [e('progressing'), e('progressing'), e('progressing')], matchingNodes: 3, expected: progressing('Policy is progressing 0/3 nodes finished') },
  { name: 'all succeeded', enactments: [e('success'), e('success'), e('success')], matchingNodes: 3, expected: success('3/3 nodes successfully configured') },
  { name: 'an enactment not created yet', enactments: [e('success'), e('success'), e('success')], matchingNodes: 4, expected: progressing('Policy is progressing 3/4 nodes finished') },
  { name: 'progressing and succeeded', enactments: [e('success'), e('progressing'), e('success')], matchingNodes: 3, expected: progressing('Policy is progressing 2/3 nodes finished') },
  { name: 'one failed among others', enactments: [e('success'), e('progressing'), e('failed'), e('success')], matchingNodes: 4, expected: degraded('1/4 nodes failed to configure') },
  { name: 'failed and succeeded', enactments: [e('failed'), e('failed'), e('success')], matchingNodes: 3, expected: degraded('2/3 nodes failed to configure') },
  { name: 'all failed', enactments: [e('failed'), e('failed'), e('failed')], matchingNodes: 3, expected: degraded('3/3 nodes failed to configure') },
  { name: 'failures reached maxUnavailable, the rest aborted', enactments: [e('failed'), e('failed'), e('aborted'), e('aborted'), e('aborted')], matchingNodes: 5, expected: degraded('2/5 nodes failed to configure, 3 nodes aborted configuration') },
  { name: 'a retrying node counts as failing', enactments: [e('retrying'), e('success')], matchingNodes: 2, expected: degraded('1/2 nodes failed to configure') },
  { name: 'no matching node', enactments: [], matchingNodes: 0, expected: (c, now) => setPolicyNotMatching(c, 'Policy does not match any node', now) },
  { name: 'enactments without conditions', enactments: [e('unknown'), e('unknown'), e('success')], matchingNodes: 3, expected: progressing('Policy is progressing 1/3 nodes finished') },
  { name: 'enactments of an older generation do not count', enactments: [e('success', 2), e('success'), e('success')], matchingNodes: 3, expected: progressing('Policy is progressing 2/3 nodes finished') },
  { name: 'a NotReady node is not waited for', enactments: [e('success'), e('success'), e('success')], matchingNodes: 4, readyMatchingNodes: 3, expected: success('3/4 nodes successfully configured, 1 nodes ignored due to NotReady state') },
  { name: 'pending while ready nodes are unfinished', enactments: [e('success'), e('success'), e('pending')], matchingNodes: 3, expected: progressing('Policy is progressing 2/3 nodes finished') },
  { name: 'ready nodes finished, a NotReady one pending', enactments: [e('success'), e('success'), e('success'), e('pending')], matchingNodes: 4, readyMatchingNodes: 3, expected: progressing('Policy is progressing 3/3 nodes finished, 1 pending, 1 nodes ignored due to NotReady state') },
  { name: 'pending on maxUnavailable', enactments: [e('success'), e('success'), e('success'), e('pending')], matchingNodes: 4, expected: progressing('Policy is progressing 3/4 nodes finished') },
];

describe('computePolicyConditions', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const counts = countEnactmentConditions(c.enactments, GENERATION);
    const input = { matchingNodes: c.matchingNodes, readyMatchingNodes: c.readyMatchingNodes ?? c.matchingNodes, enactments: counts };
    expect(computePolicyConditions(undefined, input, NOW)).toEqual(c.expected(undefined, NOW));
  });

  it('sets exactly one condition True, and the printer columns read its type and reason', () => {
    const input = { matchingNodes: 5, readyMatchingNodes: 5, enactments: countEnactmentConditions([e('failed'), e('aborted')], GENERATION) };
    const conditions = computePolicyConditions(undefined, input, NOW);
    expect(conditions.filter((c) => c.status === 'True').map((c) => [c.type, c.reason])).toEqual([['Degraded', 'FailedToConfigure']]);
    expect(conditions.map((c) => c.type)).toEqual(['Available', 'Degraded', 'Progressing', 'Ignored']);
  });

  it('moves lastTransitionTime only for conditions whose status changes', () => {
    const later = NOW + 60_000;
    const before = computePolicyConditions(undefined, { matchingNodes: 2, readyMatchingNodes: 2, enactments: countEnactmentConditions([e('progressing')], GENERATION) }, NOW);
    const after = computePolicyConditions(before, { matchingNodes: 2, readyMatchingNodes: 2, enactments: countEnactmentConditions([e('success'), e('success')], GENERATION) }, later);
    const time = (list: Condition[], type: string) => list.find((c) => c.type === type)?.lastTransitionTime;
    expect(time(after, 'Available')).toBe('2026-01-02T03:05:05Z');
    expect(time(after, 'Ignored')).toBe('2026-01-02T03:04:05Z');
  });

  it('returns an equal list when nothing changed, so the writer can skip it', () => {
    const input = { matchingNodes: 2, readyMatchingNodes: 2, enactments: countEnactmentConditions([e('success'), e('success')], GENERATION) };
    const first = computePolicyConditions(undefined, input, NOW);
    expect(computePolicyConditions(first, input, NOW + 5_000)).toEqual(first);
  });
});
