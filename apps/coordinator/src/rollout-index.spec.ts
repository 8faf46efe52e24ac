import { describe, expect, it } from 'vitest';
import { RolloutIndex, zeroCounts } from './rollout-index.js';

function addRollout(index: RolloutIndex, policy: string, nodes: string[], maxUnavailable = 2) {
  return index.add(
    { id: { policy, generation: 1, uid: 'u' }, maxUnavailable, counts: { ...zeroCounts(), pending: nodes.length }, template: undefined },
    nodes.map((node): [string, 'pending'] => [node, 'pending']),
  );
}

describe('RolloutIndex', () => {
  it('lists a node’s pending policies in name order', () => {
    const index = new RolloutIndex();
    for (const policy of ['c', 'a', 'b']) addRollout(index, policy, ['n1']);
    expect(index.pendingPolicies('n1')).toEqual(['a', 'b', 'c']);
    const b = index.get('b');
    if (b) index.setState(b, 'n1', 'progressing');
    expect(index.pendingPolicies('n1')).toEqual(['a', 'c']);
  });

  it('moves a node out of every idle set while it is busy, and back when it is released', () => {
    const index = new RolloutIndex();
    const a = addRollout(index, 'a', ['n1', 'n2']);
    const b = addRollout(index, 'b', ['n1']);
    expect([...a.pendingIdle]).toEqual(['n1', 'n2']);
    index.markBusy('n1', 'a.1.u');
    expect([...a.pendingIdle]).toEqual(['n2']);
    expect([...b.pendingIdle]).toEqual([]);
    expect(index.busyJob('n1')).toBe('a.1.u');
    index.markIdle('n1');
    expect([...b.pendingIdle]).toEqual(['n1']);
    expect(a.pendingIdle.has('n1')).toBe(true);
  });

  it('counts reservations and draining nodes against maxUnavailable', () => {
    const index = new RolloutIndex();
    const a = addRollout(index, 'a', ['n1', 'n2', 'n3'], 2);
    expect(index.hasFreeSlot(a)).toBe(true);
    a.reserved = 1;
    a.counts = { ...a.counts, draining: 1 };
    expect(index.hasFreeSlot(a)).toBe(false);
    a.reserved = 0;
    expect(index.hasFreeSlot(a)).toBe(true);
    a.counts = { ...a.counts, failing: 1 };
    expect(index.hasFreeSlot(a)).toBe(false);
  });

  it('offers free slots to the idle nodes with the most pending work first, ties by name', () => {
    const index = new RolloutIndex();
    const a = addRollout(index, 'a', ['n1', 'n2', 'n3', 'n4']);
    addRollout(index, 'b', ['n3', 'n4']);
    addRollout(index, 'c', ['n4']);
    expect(index.selectCandidates(a, 2, () => false)).toEqual(['n4', 'n3']);
    expect(index.selectCandidates(a, 3, (node) => node === 'n4')).toEqual(['n3', 'n1', 'n2']);
    index.markBusy('n3', 'x');
    expect(index.selectCandidates(a, 10, () => false)).toEqual(['n4', 'n1', 'n2']);
    expect(index.selectCandidates(a, 0, () => false)).toEqual([]);
  });

  it('forgets a replaced rollout’s pending marks', () => {
    const index = new RolloutIndex();
    addRollout(index, 'a', ['n1']);
    addRollout(index, 'b', ['n1']);
    index.remove('a');
    expect(index.pendingPolicies('n1')).toEqual(['b']);
    addRollout(index, 'b', ['n2']);
    expect(index.pendingPolicies('n1')).toEqual([]);
    expect(index.pendingPolicies('n2')).toEqual(['b']);
  });
});
