import { list, optional, struct } from '../schema/shape.js';
import { bool, enumOf, names, str, uint } from '../schema/scalars.js';
import { ipAddress } from '../schema/network-scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** Flags of an IPv6 tunnel (`ip -6 tunnel`). */
export type Ip6TunnelFlag =
  | 'ign-encap-limit'
  | 'use-orig-tclass'
  | 'use-orig-flowlabel'
  | 'mip6-dev'
  | 'rcv-dscp-copy'
  | 'use-orig-fw-mark'
  | 'allow-local-remote'
  | 'cap-xmit'
  | 'cap-rcv'
  | 'cap-per-packet';

/** The `ip-tunnel` section. `mode` is printed as `null` when unset, as nmstate does. */
export interface IpTunnelConfig {
  mode?: 'unknown' | 'ipip' | 'sit' | 'ip6ip6' | 'ipip6';
  'base-iface'?: string;
  local?: string;
  remote?: string;
  ttl?: number;
  tos?: number;
  'flow-label'?: number;
  'ip6tun-flags'?: Ip6TunnelFlag[];
  'pmtu-disc'?: boolean;
  'encap-limit'?: number;
  fwmark?: number;
}

/** An IP-in-IP tunnel (`type: ip-tunnel`): ipip, sit, ip6ip6 or ipip6. */
export interface IpTunnelInterface extends BaseInterface {
  type: 'ip-tunnel';
  'ip-tunnel'?: IpTunnelConfig;
}

const ipTunnelConfig = struct<IpTunnelConfig>(
  {
    mode: optional(enumOf(names('unknown', 'ipip', 'sit', 'ip6ip6', 'ipip6')), { printNullWhenAbsent: true }),
    'base-iface': optional(str),
    local: optional(ipAddress('any')),
    remote: optional(ipAddress('any')),
    ttl: optional(uint(8)),
    tos: optional(uint(8)),
    'flow-label': optional(uint(32)),
    'ip6tun-flags': optional(
      list(
        enumOf(
          names<Ip6TunnelFlag>(
            'ign-encap-limit',
            'use-orig-tclass',
            'use-orig-flowlabel',
            'mip6-dev',
            'rcv-dscp-copy',
            'use-orig-fw-mark',
            'allow-local-remote',
            'cap-xmit',
            'cap-rcv',
            'cap-per-packet',
          ),
        ),
      ),
    ),
    'pmtu-disc': optional(bool),
    'encap-limit': optional(uint(8)),
    fwmark: optional(uint(32)),
  },
  { name: 'ip-tunnel', unknownKeys: 'deny' },
);

export const ipTunnelType = defineInterfaceType<IpTunnelInterface>({
  type: 'ip-tunnel',
  summary: 'An IP-in-IP tunnel: ipip, sit, ip6ip6 or ipip6.',
  example: `- name: tun0
  type: ip-tunnel
  state: up
  ip-tunnel:
    mode: ipip
    local: 192.0.2.1
    remote: 198.51.100.1`,
  fields: { 'ip-tunnel': optional(ipTunnelConfig) },
  macOctets: 'any',
  userspace: false,
  controller: false,
  nmstateOrder: 5,
});

