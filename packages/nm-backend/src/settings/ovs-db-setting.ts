import type { OvsDbInterfaceConfig } from '@nmfleet/model';
import { NM_SETTING, type NmSettings } from './nm-settings.js';
import { nmValue } from './nm-value.js';

function presentEntries(column: Record<string, string | null> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(column ?? {})) if (v !== null) out[k] = v;
  return out;
}

/**
 * Writes `ovs-db` (external_ids, other_config) into `ovs-external-ids` and
 * `ovs-other-config`. An empty column leaves no setting unless the profile
 * already has one (then it is emptied).
 */
export function applyOvsDbSettings(settings: NmSettings, conf: OvsDbInterfaceConfig): void {
  for (const [column, setting] of [
    ['external_ids', NM_SETTING.ovsExternalIds],
    ['other_config', NM_SETTING.ovsOtherConfig],
  ] as const) {
    const data = presentEntries(conf[column]);
    if (Object.keys(data).length === 0 && settings[setting] === undefined) continue;
    settings[setting] = { data: nmValue.stringDict(data) };
  }
}
