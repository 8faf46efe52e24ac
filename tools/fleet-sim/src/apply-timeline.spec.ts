import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TimelineReader, computeMaxInProgress, countAppliesPerEnactment, readTimeline, type TimelineEntry } from './apply-timeline.js';

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

describe('TimelineReader', () => {
  it('parses only what was appended since the last read, and waits for a line being written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-reader-'));
    try {
      const file = join(dir, 'agent.timeline.jsonl');
      const line = (node: string) => JSON.stringify({ node, startedAt: 1, endedAt: 2, outcome: 'success' });
      const reader = new TimelineReader();
      expect(reader.read([file])).toHaveLength(0);
      appendFileSync(file, `${line('a')}\n${line('b')}`);
      expect(reader.read([file]).map((e) => e.node)).toEqual(['a']);
      appendFileSync(file, `\n${line('c')}\n`);
      expect(reader.read([file]).map((e) => e.node)).toEqual(['a', 'b', 'c']);
      expect(reader.read([file])).toHaveLength(3);
      expect(readTimeline([file]).map((e) => e.node)).toEqual(['a', 'b', 'c']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
