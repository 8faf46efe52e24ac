import { required, struct } from '../schema/shape.js';
import { boolOrString } from '../schema/scalars.js';

/**
 * Link Layer Discovery Protocol settings of an interface.
 *
 * ```yaml
 * lldp:
 *   enabled: true
 * ```
 *
 * `neighbors` (reported by `show`) is query-only data: it is accepted and dropped, as nmstate does.
 */
export interface LldpConfig {
  enabled: boolean;
}

export const lldpConfig = struct<LldpConfig>(
  { enabled: required(boolOrString) },
  { name: 'lldp', unknownKeys: 'deny', droppedKeys: ['neighbors'] },
);
