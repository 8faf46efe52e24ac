import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { SimulatedApplyRecord } from '@nmfleet/nm-backend';

/** One line of an agent's `--timeline` file. */
export type TimelineEntry = SimulatedApplyRecord;

/** Reads timeline files (missing ones are empty). */
export function readTimeline(files: readonly string[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() !== '') entries.push(JSON.parse(line) as TimelineEntry);
    }
  }
  return entries;
}

/**
 * Reads timeline files as they grow: each call parses only the lines appended since
 * the previous one (a benchmark polls a timeline of thousands of lines many times).
 */
export class TimelineReader {
  private readonly entries: TimelineEntry[] = [];
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  /** Every entry of `files` so far; the returned array is shared and grows with later calls. */
  read(files: readonly string[]): readonly TimelineEntry[] {
    for (const file of files) {
      if (!existsSync(file)) continue;
      const fd = openSync(file, 'r');
      try {
        const offset = this.offsets.get(file) ?? 0;
        const size = fstatSync(fd).size;
        if (size <= offset) continue;
        const buffer = Buffer.alloc(size - offset);
        const read = readSync(fd, buffer, 0, buffer.length, offset);
        this.offsets.set(file, offset + read);
        const text = (this.partial.get(file) ?? '') + buffer.subarray(0, read).toString('utf8');
        const lines = text.split('\n');
        // A line the agent is still writing ends without a newline: keep it for the next call.
        this.partial.set(file, lines.pop() ?? '');
        for (const line of lines) if (line.trim() !== '') this.entries.push(JSON.parse(line) as TimelineEntry);
      } finally {
        closeSync(fd);
      }
    }
    return this.entries;
  }
}

/**
 * The largest number of applies of each policy (all generations together) running at
 * the same moment. An apply ending at the instant another starts does not overlap it.
 */
export function computeMaxInProgress(entries: readonly TimelineEntry[]): Map<string, number> {
  const events = new Map<string, { at: number; delta: number }[]>();
  for (const entry of entries) {
    if (entry.policy === undefined) continue;
    const list = events.get(entry.policy) ?? [];
    list.push({ at: entry.startedAt, delta: 1 }, { at: entry.endedAt, delta: -1 });
    events.set(entry.policy, list);
  }
  const result = new Map<string, number>();
  for (const [policy, list] of events) {
    list.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let current = 0;
    let max = 0;
    for (const event of list) {
      current += event.delta;
      max = Math.max(max, current);
    }
    result.set(policy, max);
  }
  return result;
}

/** How many applies each (node, policy, generation) had: more than one means a node applied a generation twice. */
export function countAppliesPerEnactment(entries: readonly TimelineEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.node}/${entry.policy ?? '?'}/${entry.generation ?? '?'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
