import { existsSync, readFileSync } from 'node:fs';

/** One finished apply on a simulated host (a line of the agent's `--timeline` file). */
export interface TimelineEntry {
  node: string;
  policy?: string;
  generation?: number;
  startedAt: number;
  endedAt: number;
  outcome: 'success' | 'failure';
}

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
