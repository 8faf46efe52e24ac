import { custom, list, optional, required, struct } from '../schema/shape.js';
import { INVALID, isMapping } from '../schema/validation-context.js';
import { boolOrString, enumOf, names, uintOrString } from '../schema/scalars.js';
import { unwrapScalar } from '../yaml/yaml-scalar.js';

/** A VLAN range of a trunk port, inclusive. */
export interface BridgePortVlanRange {
  min: number;
  max: number;
}

/** One trunk entry: a single VLAN id or a range. */
export type BridgePortTrunkTag = { id: number } | { 'id-range': BridgePortVlanRange };

/**
 * VLAN filtering of a bridge port (Linux bridge and OVS bridge).
 *
 * ```yaml
 * vlan:
 *   mode: trunk
 *   trunk-tags:
 *   - id: 101
 *   - id-range:
 *       min: 500
 *       max: 599
 *   tag: 100
 *   enable-native: true
 * ```
 */
export interface BridgePortVlanConfig {
  'enable-native'?: boolean;
  mode?: 'trunk' | 'access';
  /** Access VLAN, or the native VLAN of a trunk. */
  tag?: number;
  'trunk-tags'?: BridgePortTrunkTag[];
}

const VID = { min: 0, max: 4094, reason: 'for a VLAN id (4095 is reserved)' } as const;
const vid = uintOrString(16, VID);

const vlanRange = struct<BridgePortVlanRange>(
  { min: required(vid), max: required(vid) },
  { name: 'id-range', unknownKeys: 'deny' },
);

const TRUNK_TAG_EXPECTED = 'a mapping with "id" or "id-range"';
const ID_EXPECTED = 'an integer 0..4094 for a VLAN id (4095 is reserved)';

/** nmstate reads `id` first, then `id-range`; other keys are ignored. */
const trunkTag = custom<BridgePortTrunkTag>(TRUNK_TAG_EXPECTED, (value, ctx) => {
  if (!isMapping(value)) return ctx.mismatch(value, TRUNK_TAG_EXPECTED);
  for (const key in value) {
    if (key !== 'id' && key !== 'id-range') {
      ctx.path.push(key);
      ctx.warn(`unknown key "${key}" in trunk-tags is ignored (nmstate ignores it too)`, 'key');
      ctx.path.pop();
    }
  }
  if ('id' in value) {
    ctx.path.push('id');
    const raw = unwrapScalar(value.id);
    let id: number | typeof INVALID;
    // A string id is read with Rust's `parse::<u16>()`: decimal only, no 0x.
    if (typeof raw === 'string') id = /^\+?[0-9]+$/.test(raw) ? vid.validate(Number(raw), ctx) : ctx.mismatch(raw, ID_EXPECTED);
    else id = vid.validate(raw, ctx);
    ctx.path.pop();
    return id === INVALID ? INVALID : { id };
  }
  if ('id-range' in value) {
    ctx.path.push('id-range');
    const range = vlanRange.validate(value['id-range'], ctx);
    ctx.path.pop();
    if (range === INVALID) return INVALID;
    if (range.min > range.max) {
      ctx.path.push('id-range');
      ctx.error(`id-range: min ${range.min} is greater than max ${range.max}: expected min <= max`, 'min <= max');
      ctx.path.pop();
      return INVALID;
    }
    return { 'id-range': range };
  }
  return ctx.error(`${ctx.subject()}: expected "id" or "id-range"`, TRUNK_TAG_EXPECTED);
}, {
  canonical: (tag) => ('id' in tag ? { id: tag.id } : { 'id-range': vlanRange.canonical(tag['id-range']) }),
});

export const bridgePortVlanConfig = struct<BridgePortVlanConfig>(
  {
    'enable-native': optional(boolOrString),
    mode: optional(enumOf(names<'trunk' | 'access'>('trunk', 'access'))),
    tag: optional(vid),
    'trunk-tags': optional(list(trunkTag)),
  },
  { name: 'vlan', unknownKeys: 'deny' },
);
