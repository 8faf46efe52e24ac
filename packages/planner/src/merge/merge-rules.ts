import type { JsonObject } from '../json/json-value.js';
import { isAbsentEntry } from '../routes/route-entry.js';
import {
  getRuleKey,
  isRuleMatch,
  normalizeRule,
  ROUTE_RULE_DEFAULT_PRIORITY,
  USE_DEFAULT_RULE_PRIORITY,
} from '../routes/route-rule-entry.js';

/** Route rules after merging. */
export interface MergedRules {
  /** `route-rules.config` as desired, normalized; undefined when desired says nothing about rules. */
  readonly desired: readonly JsonObject[] | undefined;
  /** `route-rules.config` of current, as given. */
  readonly current: readonly JsonObject[];
  /** Every rule afterwards (kept current ones, then desired ones with their automatic priority). */
  readonly merged: readonly JsonObject[];
  /** What an apply does, in order: current rules a wildcard removes (`state: absent`), then desired rules with automatic priorities. */
  readonly forApply: readonly JsonObject[];
  /** Whether the rules change at all. */
  readonly isChanged: boolean;
}

/**
 * Merges `route-rules.config` as nmstate does: `state: absent` entries remove
 * every current rule they match; desired rules without a priority get the
 * next free one from 30000 up, in the order they are written.
 */
export function mergeRules(desiredRaw: readonly JsonObject[] | undefined, current: readonly JsonObject[]): MergedRules {
  const desired = desiredRaw?.map(normalizeRule);
  const absentPatterns = (desired ?? []).filter(isAbsentEntry);
  const forApply: JsonObject[] = [];
  const kept: JsonObject[] = [];
  for (const rule of current) {
    if (absentPatterns.some((p) => isRuleMatch(p, rule))) forApply.push({ ...normalizeRule({ ...rule, state: 'absent' }) });
    else kept.push(rule);
  }
  const added = (desired ?? []).filter((r) => !isAbsentEntry(r)).map((r) => ({ ...r }));
  let maxPriority = ROUTE_RULE_DEFAULT_PRIORITY - 1;
  for (const r of [...kept, ...added]) {
    const p = r['priority'];
    if (typeof p === 'number' && p > maxPriority) maxPriority = p;
  }
  for (const r of added) {
    if (r['priority'] === undefined || r['priority'] === USE_DEFAULT_RULE_PRIORITY) r['priority'] = ++maxPriority;
  }
  forApply.push(...added);
  const currentKeys = new Set(current.map(getRuleKey));
  const isChanged = desired !== undefined && forApply.some((r) => isAbsentEntry(r) || !currentKeys.has(getRuleKey(r)));
  return { desired, current, merged: [...kept, ...added], forApply, isChanged };
}
