import { list, optional, struct } from '../schema/shape.js';
import { str } from '../schema/scalars.js';

/**
 * IEEE 802.1X authentication of an interface (`802.1x`).
 *
 * ```yaml
 * 802.1x:
 *   identity: client.example.org
 *   eap-methods:
 *   - tls
 *   private-key: /etc/pki/802-1x-test/client.example.org.key
 *   client-cert: /etc/pki/802-1x-test/client.example.org.crt
 *   ca-cert: /etc/pki/802-1x-test/ca.crt
 *   private-key-password: password
 * ```
 */
export interface Ieee8021xConfig {
  identity?: string;
  'eap-methods'?: string[];
  'private-key'?: string;
  'client-cert'?: string;
  'ca-cert'?: string;
  'private-key-password'?: string;
  'phase2-auth'?: string;
  password?: string;
}

// nmstate does not deny unknown keys here; we accept and drop them with a warning.
export const ieee8021xConfig = struct<Ieee8021xConfig>(
  {
    identity: optional(str),
    'eap-methods': optional(list(str)),
    'private-key': optional(str),
    'client-cert': optional(str),
    'ca-cert': optional(str),
    'private-key-password': optional(str),
    'phase2-auth': optional(str),
    password: optional(str),
  },
  { name: '802.1x', unknownKeys: 'ignore' },
);
