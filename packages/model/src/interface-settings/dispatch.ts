import { optional, struct } from '../schema/shape.js';
import { str } from '../schema/scalars.js';

/**
 * Scripts NetworkManager's dispatcher runs for this interface.
 *
 * ```yaml
 * dispatch:
 *   post-activation: |
 *     echo up > /tmp/state
 * ```
 */
export interface DispatchConfig {
  'post-activation'?: string;
  'post-deactivation'?: string;
}

export const dispatchConfig = struct<DispatchConfig>(
  { 'post-activation': optional(str), 'post-deactivation': optional(str) },
  { name: 'dispatch', unknownKeys: 'ignore' },
);
