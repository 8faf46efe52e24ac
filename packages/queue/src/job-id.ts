import { QueueError } from './errors.js';
import { assertGeneration, assertObjectName } from './key-layout.js';

/** Characters of the policy UID kept in a job id. */
export const JOB_ID_UID_CHARS = 8;

/**
 * The id of the job that enacts one policy generation on one node:
 * `<policy>.<generation>.<first 8 characters of the policy UID>` on that node's queue.
 * BullMQ ignores an add whose id exists, so re-enqueueing after a crash is harmless.
 * The UID part keeps a policy that was deleted and re-created under the same name
 * (whose generation starts again at 1) from colliding with the old object's
 * completed jobs, which the queue keeps for an hour.
 */
export function formatJobId(rollout: { policy: string; generation: number; uid: string }): string {
  assertObjectName(rollout.policy, 'policy');
  assertGeneration(rollout.generation);
  const uidPart = rollout.uid.replace(/[^a-zA-Z0-9]/g, '').toLowerCase().slice(0, JOB_ID_UID_CHARS);
  if (uidPart === '') {
    throw new QueueError('invalid', `policy ${rollout.policy} has uid ${JSON.stringify(rollout.uid)}: expected alphanumeric characters`);
  }
  return `${rollout.policy}.${rollout.generation}.${uidPart}`;
}

/** Splits a job id made by {@link formatJobId}. */
export function parseJobId(jobId: string): { policy: string; generation: number; uidPart: string } {
  const match = /^(.+)\.(\d+)\.([a-z0-9]+)$/.exec(jobId);
  const generation = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(generation) || generation < 1) {
    throw new QueueError('invalid', `job id ${JSON.stringify(jobId)} is invalid: expected "<policy>.<generation>.<uid>"`);
  }
  return { policy: match[1] ?? '', generation, uidPart: match[3] ?? '' };
}
