import type { TimelineEntry } from '../src/apply-timeline.js';

/** Quantiles of a list of durations, in milliseconds. */
export interface Quantiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Where a job's time goes between admission and the next admission on its node, from the records and the timeline. */
export interface ScheduleDiagnostics {
  /** Time from t0 to the first apply of each node. */
  firstApplyAfterT0Ms: Quantiles;
  /** Idle time of a node between the end of one apply and the start of its next. */
  gapBetweenAppliesMs: Quantiles;
  /** Admitted (coordinator) → claimed (agent). */
  admitToClaimMs: Quantiles;
  /** Admitted → the job was in the node's queue (BullMQ's job timestamp). */
  admitToQueuedMs: Quantiles;
  /** In the queue → an agent took it (BullMQ's processedOn). */
  queuedToActiveMs: Quantiles;
  /** Taken → claimed in the record. */
  activeToClaimMs: Quantiles;
  /** Claimed → the simulated apply started (stale-checkpoint check, probes before the change). */
  claimToApplyMs: Quantiles;
  /** The simulated apply ended → the coordinator recorded the outcome (probes after, commit, report, report handling). */
  applyEndToRecordedMs: Quantiles;
  /** Recorded → the node's next job admitted. */
  recordedToNextAdmitMs: Quantiles;
  /** Share of the span from t0 to the last apply end during which nodes were applying, over all nodes. */
  nodeBusyShare: number;
}

/** One record's times, as the coordinator stored them. */
export interface RecordTimes {
  admittedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  /** BullMQ's times of the job: added to the queue, taken by a worker. */
  queuedAt?: number;
  activeAt?: number;
}

function quantiles(values: number[]): Quantiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
}

/** Computes where the time went, per node and per job (`records` keyed `node/policy`). */
export function diagnoseSchedule(t0: number, timeline: readonly TimelineEntry[], records: ReadonlyMap<string, RecordTimes>): ScheduleDiagnostics {
  const byNode = new Map<string, TimelineEntry[]>();
  for (const entry of timeline) byNode.set(entry.node, [...(byNode.get(entry.node) ?? []), entry]);
  const first: number[] = [];
  const gaps: number[] = [];
  const admitToClaim: number[] = [];
  const admitToQueued: number[] = [];
  const queuedToActive: number[] = [];
  const activeToClaim: number[] = [];
  const claimToApply: number[] = [];
  const applyEndToRecorded: number[] = [];
  const recordedToNextAdmit: number[] = [];
  let busy = 0;
  let lastEnd = t0;
  for (const [node, entries] of byNode) {
    entries.sort((a, b) => a.startedAt - b.startedAt);
    first.push((entries[0]?.startedAt ?? t0) - t0);
    entries.forEach((entry, index) => {
      busy += entry.endedAt - entry.startedAt;
      lastEnd = Math.max(lastEnd, entry.endedAt);
      const previous = entries[index - 1];
      if (previous !== undefined) gaps.push(entry.startedAt - previous.endedAt);
      const record = records.get(`${node}/${entry.policy ?? ''}`);
      if (record?.admittedAt !== undefined && record.startedAt !== undefined) admitToClaim.push(record.startedAt - record.admittedAt);
      if (record?.admittedAt !== undefined && record.queuedAt !== undefined) admitToQueued.push(record.queuedAt - record.admittedAt);
      if (record?.queuedAt !== undefined && record.activeAt !== undefined) queuedToActive.push(record.activeAt - record.queuedAt);
      if (record?.activeAt !== undefined && record.startedAt !== undefined) activeToClaim.push(record.startedAt - record.activeAt);
      if (record?.startedAt !== undefined) claimToApply.push(entry.startedAt - record.startedAt);
      if (record?.finishedAt !== undefined) applyEndToRecorded.push(record.finishedAt - entry.endedAt);
      const next = entries[index + 1];
      const nextRecord = next === undefined ? undefined : records.get(`${node}/${next.policy ?? ''}`);
      if (record?.finishedAt !== undefined && nextRecord?.admittedAt !== undefined) recordedToNextAdmit.push(nextRecord.admittedAt - record.finishedAt);
    });
  }
  return {
    firstApplyAfterT0Ms: quantiles(first),
    gapBetweenAppliesMs: quantiles(gaps),
    admitToClaimMs: quantiles(admitToClaim),
    admitToQueuedMs: quantiles(admitToQueued),
    queuedToActiveMs: quantiles(queuedToActive),
    activeToClaimMs: quantiles(activeToClaim),
    claimToApplyMs: quantiles(claimToApply),
    applyEndToRecordedMs: quantiles(applyEndToRecorded),
    recordedToNextAdmitMs: quantiles(recordedToNextAdmit),
    nodeBusyShare: Math.round((busy / (byNode.size * Math.max(1, lastEnd - t0))) * 100) / 100,
  };
}
