import { optional, struct } from './schema/shape.js';
import { scalarText } from './schema/scalars.js';

/**
 * The `hostname` section. `config: ""` hands the hostname back to DHCP.
 *
 * ```yaml
 * hostname:
 *   config: nmstate-test.example.org
 * ```
 */
export interface HostNameState {
  running?: string;
  config?: string;
}

export const hostNameShape = struct<HostNameState>(
  { running: optional(scalarText), config: optional(scalarText) },
  { name: 'hostname', unknownKeys: 'deny' },
);
