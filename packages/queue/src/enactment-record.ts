import { QueueError } from './errors.js';

/**
 * States of one (policy generation, node) enactment record. `pending` waits for
 * admission; `progressing` is admitted (its job is queued or running); the rest are
 * final. `superseded` ends records of a generation replaced by a newer one.
 */
export const ENACTMENT_STATES = ['pending', 'progressing', 'available', 'failing', 'aborted', 'superseded'] as const;

/** One of {@link ENACTMENT_STATES}. */
export type EnactmentState = (typeof ENACTMENT_STATES)[number];

/** Whether a record in this state will never change again for its generation. */
export function isFinalEnactmentState(state: EnactmentState): boolean {
  return state !== 'pending' && state !== 'progressing';
}

/** The outcome an agent reports for one job. */
export type ApplyOutcome = 'available' | 'failing';

/**
 * One enactment record as stored in `…:records` (a compact JSON object per node).
 * Times are milliseconds since the epoch, from the clock of whoever made the transition.
 */
export interface EnactmentRecord {
  node: string;
  state: EnactmentState;
  createdAt: number;
  /** When the coordinator admitted it (moved it to `progressing`). */
  admittedAt?: number;
  /** When an agent last claimed it for applying. */
  startedAt?: number;
  finishedAt?: number;
  /** How many times an agent claimed it (more than one after an agent crashed mid-apply). */
  attempts: number;
  /** Hash of the rendered desired state the job carries. */
  desiredHash?: string;
  jobId?: string;
  error?: string;
  /** The outcome the agent has reported; an agent never applies a record that has one. */
  reported?: ApplyOutcome;
  /** Leader epoch of the admission. */
  epoch?: number;
}

/** Record counts of one rollout by state, plus the policy's nodes still applying an older generation. */
export interface RolloutCounts {
  pending: number;
  progressing: number;
  available: number;
  failing: number;
  aborted: number;
  superseded: number;
  /** Nodes of this policy still applying a superseded generation; they count as unavailable. */
  draining: number;
}

interface StoredRecord {
  s: string;
  c?: number;
  a?: number;
  st?: number;
  f?: number;
  n?: number;
  h?: string;
  j?: string;
  e?: string;
  r?: string;
  ep?: number;
}

function isEnactmentState(value: unknown): value is EnactmentState {
  return typeof value === 'string' && (ENACTMENT_STATES as readonly string[]).includes(value);
}

/** Decodes the stored JSON of one record. */
export function decodeEnactmentRecord(node: string, json: string): EnactmentRecord {
  let stored: StoredRecord;
  try {
    stored = JSON.parse(json) as StoredRecord;
  } catch (error) {
    throw new QueueError('protocol', `enactment record of node ${node} is not JSON: ${json.slice(0, 80)}`, { cause: error });
  }
  if (!isEnactmentState(stored.s)) {
    throw new QueueError('protocol', `enactment record of node ${node} has unknown state ${JSON.stringify(stored.s)}`);
  }
  const record: EnactmentRecord = { node, state: stored.s, createdAt: stored.c ?? 0, attempts: stored.n ?? 0 };
  if (stored.a !== undefined) record.admittedAt = stored.a;
  if (stored.st !== undefined) record.startedAt = stored.st;
  if (stored.f !== undefined) record.finishedAt = stored.f;
  if (stored.h !== undefined && stored.h !== '') record.desiredHash = stored.h;
  if (stored.j !== undefined && stored.j !== '') record.jobId = stored.j;
  if (stored.e !== undefined && stored.e !== '') record.error = stored.e;
  if (stored.r === 'available' || stored.r === 'failing') record.reported = stored.r;
  if (stored.ep !== undefined) record.epoch = stored.ep;
  return record;
}

/** Decodes the counts array the Lua scripts return (state order of {@link ENACTMENT_STATES}, then draining). */
export function decodeRolloutCounts(values: unknown): RolloutCounts {
  const numbers = Array.isArray(values) ? values.map(Number) : [];
  const at = (index: number) => numbers[index] ?? 0;
  return {
    pending: at(0),
    progressing: at(1),
    available: at(2),
    failing: at(3),
    aborted: at(4),
    superseded: at(5),
    draining: at(6),
  };
}
