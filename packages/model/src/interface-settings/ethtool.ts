import { optional, stringMap, struct, custom } from '../schema/shape.js';
import type { Fields } from '../schema/shape.js';
import { boolOrString, enumOf, names, uintOrString } from '../schema/scalars.js';

/** Pause frame settings. */
export interface EthtoolPauseConfig {
  rx?: boolean;
  tx?: boolean;
  autoneg?: boolean;
}

/** Interrupt coalescing settings (numbers are microseconds or frame counts, as in `ethtool -C`). */
export interface EthtoolCoalesceConfig {
  'adaptive-rx'?: boolean;
  'adaptive-tx'?: boolean;
  'pkt-rate-high'?: number;
  'pkt-rate-low'?: number;
  'rx-frames'?: number;
  'rx-frames-high'?: number;
  'rx-frames-irq'?: number;
  'rx-frames-low'?: number;
  'rx-usecs'?: number;
  'rx-usecs-high'?: number;
  'rx-usecs-irq'?: number;
  'rx-usecs-low'?: number;
  'sample-interval'?: number;
  'stats-block-usecs'?: number;
  'tx-frames'?: number;
  'tx-frames-high'?: number;
  'tx-frames-irq'?: number;
  'tx-frames-low'?: number;
  'tx-usecs'?: number;
  'tx-usecs-high'?: number;
  'tx-usecs-irq'?: number;
  'tx-usecs-low'?: number;
}

/** Ring buffer sizes (`ethtool -G`). */
export interface EthtoolRingConfig {
  rx?: number;
  'rx-max'?: number;
  'rx-jumbo'?: number;
  'rx-jumbo-max'?: number;
  'rx-mini'?: number;
  'rx-mini-max'?: number;
  tx?: number;
  'tx-max'?: number;
}

/** Forward error correction. */
export interface EthtoolFecConfig {
  auto?: boolean;
  mode?: 'off' | 'rs' | 'baser' | 'llrs';
}

/**
 * ethtool settings of an interface.
 *
 * ```yaml
 * ethtool:
 *   feature:
 *     rx-checksum: true
 *     tx-tcp-segmentation: false
 *   ring:
 *     rx: 1024
 * ```
 */
export interface EthtoolConfig {
  pause?: EthtoolPauseConfig;
  /** Feature name → enabled, printed in name order. */
  feature?: Record<string, boolean>;
  coalesce?: EthtoolCoalesceConfig;
  ring?: EthtoolRingConfig;
  fec?: EthtoolFecConfig;
}

const u32 = () => optional(uintOrString(32));

const FEATURE_EXPECTED = 'a boolean (or the string "true", "false", "1" or "0")';

// nmstate's `parse_ethtool_feature` accepts booleans and only these strings.
const featureValue = custom<boolean>(
  FEATURE_EXPECTED,
  (value, ctx) => {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (lower === 'true' || value === '1') return true;
      if (lower === 'false' || value === '0') return false;
    }
    return ctx.mismatch(value, FEATURE_EXPECTED);
  },
  { nullIsAbsent: false },
);

const coalesceFields: Fields<EthtoolCoalesceConfig> = {
  'adaptive-rx': optional(boolOrString),
  'adaptive-tx': optional(boolOrString),
  'pkt-rate-high': u32(),
  'pkt-rate-low': u32(),
  'rx-frames': u32(),
  'rx-frames-high': u32(),
  'rx-frames-irq': u32(),
  'rx-frames-low': u32(),
  'rx-usecs': u32(),
  'rx-usecs-high': u32(),
  'rx-usecs-irq': u32(),
  'rx-usecs-low': u32(),
  'sample-interval': u32(),
  'stats-block-usecs': u32(),
  'tx-frames': u32(),
  'tx-frames-high': u32(),
  'tx-frames-irq': u32(),
  'tx-frames-low': u32(),
  'tx-usecs': u32(),
  'tx-usecs-high': u32(),
  'tx-usecs-irq': u32(),
  'tx-usecs-low': u32(),
};

export const ethtoolConfig = struct<EthtoolConfig>(
  {
    pause: optional(
      struct<EthtoolPauseConfig>(
        { rx: optional(boolOrString), tx: optional(boolOrString), autoneg: optional(boolOrString) },
        { name: 'pause', unknownKeys: 'deny' },
      ),
    ),
    feature: optional(stringMap(featureValue, { expected: 'a mapping of feature names to booleans', sorted: true })),
    coalesce: optional(struct<EthtoolCoalesceConfig>(coalesceFields, { name: 'coalesce', unknownKeys: 'deny' })),
    ring: optional(
      struct<EthtoolRingConfig>(
        {
          rx: u32(),
          'rx-max': u32(),
          'rx-jumbo': u32(),
          'rx-jumbo-max': u32(),
          'rx-mini': u32(),
          'rx-mini-max': u32(),
          tx: u32(),
          'tx-max': u32(),
        },
        { name: 'ring', unknownKeys: 'deny' },
      ),
    ),
    fec: optional(
      struct<EthtoolFecConfig>(
        {
          auto: optional(boolOrString),
          mode: optional(enumOf(names('off', 'rs', 'baser', 'llrs'))),
        },
        { name: 'fec', unknownKeys: 'deny' },
      ),
    ),
  },
  { name: 'ethtool', unknownKeys: 'deny' },
);
