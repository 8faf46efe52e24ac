import type { BridgePortTrunkTag, BridgePortVlanConfig } from '@nmfleet/model';
import { dictBool, dictNumber } from '../nm-read.js';
import { nmValue, type NmDict } from '../nm-value.js';

/** A trunk entry as an inclusive range. */
export function getTrunkTagRange(tag: BridgePortTrunkTag): { min: number; max: number } {
  return 'id' in tag ? { min: tag.id, max: tag.id } : { min: tag['id-range'].min, max: tag['id-range'].max };
}

/**
 * A bridge port's VLAN filtering as NetworkManager VLAN ranges: trunk tags
 * tagged, the access (or native) VLAN as PVID and untagged.
 */
export function toNmBridgeVlanRanges(conf: BridgePortVlanConfig): NmDict[] {
  const out: NmDict[] = [];
  const range = (start: number, end: number, access: boolean): NmDict => ({
    'vid-start': nmValue.uint16(start),
    'vid-end': nmValue.uint16(end),
    pvid: nmValue.bool(access),
    untagged: nmValue.bool(access),
  });
  if (conf.mode === 'trunk') {
    for (const tag of conf['trunk-tags'] ?? []) {
      const { min, max } = getTrunkTagRange(tag);
      out.push(range(min, max, false));
    }
    if (conf.tag !== undefined) out.push(range(conf.tag, conf.tag, true));
  } else if (conf.mode === 'access' && conf.tag !== undefined) {
    out.push(range(conf.tag, conf.tag, true));
  }
  return out;
}

/** NetworkManager VLAN ranges back to a port's VLAN filtering. */
export function fromNmBridgeVlanRanges(ranges: readonly NmDict[]): BridgePortVlanConfig | undefined {
  if (ranges.length === 0) return undefined;
  const trunk: BridgePortTrunkTag[] = [];
  let tag: number | undefined;
  for (const r of ranges) {
    const start = dictNumber(r, 'vid-start') ?? 0;
    const end = dictNumber(r, 'vid-end') ?? start;
    if (dictBool(r, 'pvid') === true && dictBool(r, 'untagged') === true && start === end) tag = start;
    else trunk.push(start === end ? { id: start } : { 'id-range': { min: start, max: end } });
  }
  if (trunk.length === 0) return tag === undefined ? undefined : { mode: 'access', tag };
  return tag === undefined ? { mode: 'trunk', 'trunk-tags': trunk } : { mode: 'trunk', 'trunk-tags': trunk, tag, 'enable-native': true };
}
