import type { NetworkState } from '@nmfleet/model';

/** Addresses of typical nodes are drawn from this /24 (RFC 5737 TEST-NET-1). */
export const TYPICAL_NODE_NETWORK = '192.0.2';
/** The default gateway of typical nodes. */
export const TYPICAL_NODE_GATEWAY = '192.0.2.1';
/** The name server of typical nodes. */
export const TYPICAL_NODE_NAME_SERVER = '192.0.2.53';

/**
 * The network of a typical fleet node, numbered `index`: `eth0` up with a static
 * address in 192.0.2.0/24, `eth1` and `eth2` up without addresses (free for
 * policies: bridges, bonds, VLANs), a default route via 192.0.2.1 and one name
 * server. Addresses repeat after 250 nodes; each simulated host is its own world.
 */
export function buildTypicalNodeState(index: number): NetworkState {
  const hostPart = 10 + (index % 240);
  const ethernet = (name: string, ipv4: Record<string, unknown>) => ({
    name,
    type: 'ethernet' as const,
    state: 'up' as const,
    mtu: 1500,
    ipv4,
    ipv6: { enabled: false },
  });
  return {
    'dns-resolver': { config: { server: [TYPICAL_NODE_NAME_SERVER], search: ['cluster.example'] } },
    routes: {
      config: [{ destination: '0.0.0.0/0', 'next-hop-address': TYPICAL_NODE_GATEWAY, 'next-hop-interface': 'eth0', 'table-id': 254, metric: 100 }],
    },
    interfaces: [
      ethernet('eth0', { enabled: true, dhcp: false, address: [{ ip: `${TYPICAL_NODE_NETWORK}.${hostPart}`, 'prefix-length': 24 }] }),
      ethernet('eth1', { enabled: false }),
      ethernet('eth2', { enabled: false }),
    ],
  };
}
