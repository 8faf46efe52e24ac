import { isJsonEqual, type JsonObject } from '../json/json-value.js';
import { getObject, type JsonRecord } from '../state/network-state.js';

/** Hostname after merging. */
export interface MergedHostname {
  /** `hostname` as desired; undefined when desired says nothing. */
  readonly desired: JsonObject | undefined;
  /** `hostname` of current. */
  readonly current: JsonObject | undefined;
  /** `hostname` afterwards: each of `running` and `config` desired replaces current. */
  readonly merged: JsonObject | undefined;
  /** Whether the hostname changes. */
  readonly isChanged: boolean;
}

/** Merges `hostname.running` and `hostname.config` field by field. */
export function mergeHostname(desiredState: JsonRecord, currentState: JsonRecord): MergedHostname {
  const desired = getObject(desiredState, 'hostname');
  const current = getObject(currentState, 'hostname');
  const merged = desired ? { ...(current ?? {}), ...desired } : current;
  const isChanged = desired !== undefined && Object.entries(desired).some(([k, v]) => !isJsonEqual(v, current?.[k]));
  return { desired, current, merged, isChanged };
}
