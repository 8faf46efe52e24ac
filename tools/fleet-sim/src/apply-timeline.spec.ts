import { describe, expect, it } from 'vitest';
import { computeMaxInProgress, countAppliesPerEnactment, type TimelineEntry } from './apply-timeline.js';

const entry = (node: string, policy: string, startedAt: number, endedAt: number): TimelineEntry => ({
  node,
  policy,
  generation: 1,
  startedAt,
  endedAt,
  outcome: 'success',
});

describe('computeMaxInProgress', () => {
  it('counts overlapping applies per policy; touching ones do not overlap', () => {
    const result = computeMaxInProgress([
      entry('n1', 'a', 0, 10),
      entry('n2', 'a', 5, 15),
      entry('n3', 'a', 10, 20),
      entry('n4', 'a', 15, 25),
      entry('n1', 'b', 0, 100),
    ]);
    expect(result).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
  });

  it('counts applies per enactment', () => {
    const counts = countAppliesPerEnactment([entry('n1', 'a', 0, 1), entry('n1', 'a', 2, 3), entry('n2', 'a', 0, 1)]);
    expect(counts.get('n1/a/1')).toBe(2);
    expect(counts.get('n2/a/1')).toBe(1);
  });
});
