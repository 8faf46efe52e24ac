/** `True`, `False` or `Unknown`, as in core/v1 ConditionStatus. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * One entry of `status.conditions` on every nmstate.io kind (upstream's
 * `shared.Condition`). Times are RFC 3339 strings, as they travel in JSON.
 */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** The content of a condition a transition wants, without its times. */
export interface ConditionUpdate {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** Formats `nowMs` the way metav1.Time serialises: RFC 3339, whole seconds, UTC. */
export function formatKubeTime(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Finds the condition of `type`, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** Whether the condition of `type` is present with status `True`. */
export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Applies `updates` to `conditions` with upstream's `ConditionList.Set` rules
 * and returns a new list (the input is not modified): a missing condition is
 * appended with both times set to now; a changed one takes the new status,
 * reason and message, and its `lastTransitionTime` moves only when the status
 * changes.
 *
 * One deliberate difference: upstream also moves `lastHeartbeatTime` when
 * nothing changed. Here an unchanged condition keeps its times, so repeating a
 * transition yields an identical status, which the status writer then skips
 * instead of spending a write (and an etcd revision) on a heartbeat nobody reads.
 */
export function setConditions(
  conditions: readonly Condition[] | undefined,
  updates: readonly ConditionUpdate[],
  nowMs: number,
): Condition[] {
  const now = formatKubeTime(nowMs);
  const result = (conditions ?? []).map((condition) => ({ ...condition }));
  for (const update of updates) {
    const existing = result.find((condition) => condition.type === update.type);
    if (existing === undefined) {
      result.push(withOptionalText({ type: update.type, status: update.status }, update, now, now));
      continue;
    }
    const changed =
      existing.status !== update.status ||
      (existing.reason ?? '') !== update.reason ||
      (existing.message ?? '') !== update.message;
    if (!changed) continue;
    const transitionTime = existing.status !== update.status ? now : existing.lastTransitionTime ?? now;
    const index = result.indexOf(existing);
    result[index] = withOptionalText({ type: update.type, status: update.status }, update, now, transitionTime);
  }
  return result;
}

// Empty reason and message are omitted, as Go's `omitempty` does, so a status
// read back from the API server compares equal to the one we computed.
function withOptionalText(
  base: Pick<Condition, 'type' | 'status'>,
  update: ConditionUpdate,
  heartbeat: string,
  transition: string,
): Condition {
  const condition: Condition = { ...base };
  if (update.reason !== '') condition.reason = update.reason;
  if (update.message !== '') condition.message = update.message;
  condition.lastHeartbeatTime = heartbeat;
  condition.lastTransitionTime = transition;
  return condition;
}
