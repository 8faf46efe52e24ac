import { describe, expect, it } from 'vitest';
import { QueueError } from './errors.js';
import { formatJobId, parseJobId } from './job-id.js';
import { assertObjectName, createKeyLayout } from './key-layout.js';

describe('createKeyLayout', () => {
  it('puts every key under one hash tag', () => {
    const keys = createKeyLayout('suite-a');
    expect(keys.root).toBe('nmfleet:{suite-a}');
    expect(keys.rolloutRecords('br1', 3)).toBe('nmfleet:{suite-a}:rollout:br1:3:records');
    expect(keys.nodeState('node-1')).toBe('nmfleet:{suite-a}:node-state:node-1');
    expect(keys.bullPrefix).toBe('nmfleet:{suite-a}:q');
  });

  it.each(['', 'A', 'has:colon', 'brace{', 'x'.repeat(64)])('refuses the prefix %j', (prefix) => {
    expect(() => createKeyLayout(prefix)).toThrow(/key prefix .* is invalid: expected/);
  });
});

describe('assertObjectName', () => {
  it.each(['node-1', 'worker.example.com', 'a'])('accepts %s', (name) => {
    expect(() => assertObjectName(name, 'node')).not.toThrow();
  });
  it.each(['', 'Node', 'a:b', 'a/b', '-a', 'a-', 'a b'])('refuses %j', (name) => {
    expect(() => assertObjectName(name, 'policy')).toThrow(QueueError);
  });
});

describe('job ids', () => {
  it('round-trips policy, generation and the uid part', () => {
    const id = formatJobId({ policy: 'br1.eth1', generation: 12, uid: '3F2504E0-4F89-11D3-9A0C-0305E82C3301' });
    expect(id).toBe('br1.eth1.12.3f2504e0');
    expect(parseJobId(id)).toEqual({ policy: 'br1.eth1', generation: 12, uidPart: '3f2504e0' });
  });

  it('differs for a re-created policy of the same name and generation', () => {
    const a = formatJobId({ policy: 'p', generation: 1, uid: 'aaaaaaaa-1' });
    const b = formatJobId({ policy: 'p', generation: 1, uid: 'bbbbbbbb-1' });
    expect(a).not.toBe(b);
  });

  it.each([
    [{ policy: 'p', generation: 0, uid: 'u' }, /generation 0 is invalid/],
    [{ policy: 'p', generation: 1.5, uid: 'u' }, /generation 1.5 is invalid/],
    [{ policy: 'p', generation: 1, uid: '--' }, /expected alphanumeric/],
    [{ policy: 'P', generation: 1, uid: 'u' }, /policy name "P" is invalid/],
  ])('refuses %j', (rollout, message) => {
    expect(() => formatJobId(rollout)).toThrow(message);
  });

  it.each(['p', 'p.1', 'p.x.abc', '.1.abc'])('refuses to parse %j', (id) => {
    expect(() => parseJobId(id)).toThrow(/expected "<policy>.<generation>.<uid>"/);
  });
});
