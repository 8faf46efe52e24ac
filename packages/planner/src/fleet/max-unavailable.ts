import { PlannerError } from '../errors.js';

/** What kubernetes-nmstate uses when a policy does not set `maxUnavailable`. */
export const DEFAULT_MAX_UNAVAILABLE = '50%';

/**
 * How many matching nodes may be configured at once: an integer as it is, or
 * a percentage of `matchingCount` rounded up; never less than 1 (so a
 * rollout always progresses) and never more than the matching nodes.
 * Default (`undefined`): 50%. Throws `invalid-rollout` for a negative
 * integer, a percentage outside 0–100%, or anything else.
 */
export function resolveMaxUnavailable(value: number | string | undefined | null, matchingCount: number): number {
  if (!Number.isInteger(matchingCount) || matchingCount < 0) {
    throw new PlannerError('invalid-rollout', `The number of matching nodes must be a non-negative integer, got ${matchingCount}`);
  }
  const v = value ?? DEFAULT_MAX_UNAVAILABLE;
  let scaled: number;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new PlannerError('invalid-rollout', `maxUnavailable must be a non-negative integer or a percentage like "25%", got ${v}`);
    scaled = v;
  } else if (/^\d+$/.test(v.trim())) {
    scaled = Number(v.trim());
  } else {
    const m = /^(\d+)%$/.exec(v.trim());
    if (!m) throw new PlannerError('invalid-rollout', `maxUnavailable must be a non-negative integer or a percentage like "25%", got ${JSON.stringify(v)}`);
    const percent = Number(m[1]);
    if (percent > 100) throw new PlannerError('invalid-rollout', `maxUnavailable percentage must be between 0% and 100%, got ${JSON.stringify(v)}`);
    scaled = Math.ceil((percent * matchingCount) / 100);
  }
  if (matchingCount === 0) return 0;
  return Math.min(matchingCount, Math.max(1, scaled));
}
