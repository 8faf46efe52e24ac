import { list, optional, struct } from '../schema/shape.js';
import { mptcpAddressFlag } from '../ip-config.js';
import type { MptcpAddressFlag } from '../ip-config.js';

/**
 * Interface-wide MPTCP flags, applied to every address of the interface.
 *
 * ```yaml
 * mptcp:
 *   address-flags:
 *   - signal
 *   - backup
 * ```
 */
export interface MptcpConfig {
  'address-flags'?: MptcpAddressFlag[];
}

export const mptcpConfig = struct<MptcpConfig>(
  { 'address-flags': optional(list(mptcpAddressFlag)) },
  { name: 'mptcp', unknownKeys: 'deny' },
);
