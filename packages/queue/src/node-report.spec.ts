import { describe, expect, it } from 'vitest';
import { decodeEnactmentRecord, decodeRolloutCounts } from './enactment-record.js';
import { decodeReport, encodeReportFields, type EnactmentReport, type StateReport } from './node-report.js';

describe('report encoding', () => {
  it('round-trips an enactment report with every optional field', () => {
    const report: EnactmentReport = {
      kind: 'enactment',
      node: 'node-1',
      policy: 'br1',
      generation: 2,
      jobId: 'br1.2.abcdef12',
      outcome: 'failing',
      attempt: 2,
      startedAt: 1_700_000_000_000,
      endedAt: 1_700_000_000_250,
      applySeconds: 0.2,
      probeSeconds: 0.05,
      error: 'verification failed: eth1.ipv4.address',
      errorKind: 'verification-failed',
      rolledBack: true,
      desiredHash: 'h1',
      probes: [{ kind: 'gateway', selected: true, passed: false, seconds: 0.01 }],
      stateHash: 's1',
    };
    const fields = [...encodeReportFields(report), 'state', JSON.stringify({ interfaces: [] })];
    expect(decodeReport('1-0', fields)).toEqual({ ...report, id: '1-0', state: { interfaces: [] } });
  });

  it('round-trips a state report', () => {
    const report: StateReport = { kind: 'state', node: 'n', at: 5, stateHash: 'x', state: undefined };
    const decoded = decodeReport('2-0', [...encodeReportFields(report), 'state', '{"a":1}']);
    expect(decoded).toEqual({ kind: 'state', id: '2-0', node: 'n', at: 5, stateHash: 'x', state: { a: 1 } });
  });

  it.each([
    [['node', 'n'], /lacks the field kind/],
    [['kind', 'other', 'node', 'n'], /unknown kind "other"/],
    [['kind', 'enactment', 'node', 'n', 'policy', 'p', 'generation', '1', 'jobId', 'j', 'outcome', 'maybe'], /unknown outcome/],
    [['kind', 'state', 'node', 'n', 'at', '1', 'stateHash', 'h', 'state', '{'], /not JSON/],
  ])('refuses a malformed entry %j', (fields, message) => {
    expect(() => decodeReport('3-0', fields)).toThrow(message);
  });
});

describe('record decoding', () => {
  it('maps the compact stored keys', () => {
    const record = decodeEnactmentRecord('n1', '{"s":"failing","c":1,"a":2,"st":3,"f":4,"n":1,"h":"h","j":"p.1.a","e":"boom","r":"failing","ep":7}');
    expect(record).toEqual({
      node: 'n1',
      state: 'failing',
      createdAt: 1,
      admittedAt: 2,
      startedAt: 3,
      finishedAt: 4,
      attempts: 1,
      desiredHash: 'h',
      jobId: 'p.1.a',
      error: 'boom',
      reported: 'failing',
      epoch: 7,
    });
  });

  it('refuses an unknown state', () => {
    expect(() => decodeEnactmentRecord('n1', '{"s":"weird"}')).toThrow(/unknown state "weird"/);
  });

  it('decodes counts in state order, draining last', () => {
    expect(decodeRolloutCounts([1, 2, 3, 4, 5, 6, 7])).toEqual({
      pending: 1,
      progressing: 2,
      available: 3,
      failing: 4,
      aborted: 5,
      superseded: 6,
      draining: 7,
    });
  });
});
