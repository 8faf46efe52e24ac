import type { NetworkState } from '@nmfleet/model';

/**
 * The states every backend must apply, show and verify. They use only what
 * this kernel can build (veth, bridges, mac-vlan, vxlan, routes, rules), and
 * name every interface, so the real NetworkManager in an empty namespace and the
 * simulated host start from the same place.
 */
function state(tree: Record<string, unknown>): NetworkState {
  return tree as unknown as NetworkState;
}

const veth = (name: string, peer: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  type: 'veth',
  state: 'up',
  veth: { peer },
  ...extra,
});

const ipv4 = (...addresses: [string, number][]): Record<string, unknown> => ({
  enabled: true,
  dhcp: false,
  address: addresses.map(([ip, prefix]) => ({ ip, 'prefix-length': prefix })),
});

const ipv6 = (...addresses: [string, number][]): Record<string, unknown> => ({
  enabled: true,
  dhcp: false,
  autoconf: false,
  address: addresses.map(([ip, prefix]) => ({ ip, 'prefix-length': prefix })),
});

/** A veth pair with static IPv4 and IPv6 addresses on one end. */
export const VETH_STATIC = state({
  interfaces: [
    veth('nmf-v0', 'nmf-v0p', { ipv4: ipv4(['192.0.2.1', 24]), ipv6: ipv6(['2001:db8:1::1', 64]) }),
    veth('nmf-v0p', 'nmf-v0', { ipv4: ipv4(['192.0.2.2', 24]) }),
  ],
});

/** A linux bridge with two veth ends as ports, the address on the bridge. */
export const BRIDGE_WITH_PORTS = state({
  interfaces: [
    veth('nmf-p1', 'nmf-p1p', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-p1p', 'nmf-p1', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-p2', 'nmf-p2p', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-p2p', 'nmf-p2', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    {
      name: 'nmf-br0',
      type: 'linux-bridge',
      state: 'up',
      ipv4: ipv4(['198.51.100.1', 24]),
      ipv6: { enabled: false },
      bridge: { options: { stp: { enabled: false } }, port: [{ name: 'nmf-p1' }, { name: 'nmf-p2' }] },
    },
  ],
});

/** The ports of {@link BRIDGE_WITH_PORTS} before they were enslaved. */
export const BRIDGE_PORTS_ALONE = state({
  interfaces: [
    veth('nmf-p1', 'nmf-p1p', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-p1p', 'nmf-p1', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-p2', 'nmf-p2p', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-p2p', 'nmf-p2', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
  ],
});

/** Removes the bridge of {@link BRIDGE_WITH_PORTS}. */
export const BRIDGE_ABSENT = state({ interfaces: [{ name: 'nmf-br0', type: 'linux-bridge', state: 'absent' }] });

/** A MAC-VLAN on top of a veth end. */
export const MAC_VLAN = state({
  interfaces: [
    veth('nmf-m0', 'nmf-m0p', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    veth('nmf-m0p', 'nmf-m0', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    {
      name: 'nmf-mv0',
      type: 'mac-vlan',
      state: 'up',
      'mac-vlan': { 'base-iface': 'nmf-m0', mode: 'bridge', promiscuous: true },
      ipv4: ipv4(['203.0.113.10', 24]),
      ipv6: { enabled: false },
    },
  ],
});

/** A VXLAN over a veth end that holds the local address. */
export const VXLAN = state({
  interfaces: [
    veth('nmf-x0', 'nmf-x0p', { ipv4: ipv4(['192.0.2.17', 28]), ipv6: { enabled: false } }),
    veth('nmf-x0p', 'nmf-x0', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
    {
      name: 'nmf-vx0',
      type: 'vxlan',
      state: 'up',
      vxlan: { 'base-iface': 'nmf-x0', id: 4100, remote: '192.0.2.18', 'destination-port': 4789 },
      ipv4: ipv4(['10.200.0.1', 24]),
      ipv6: { enabled: false },
    },
  ],
});

/** Static routes in the main table and in table 100, IPv4 and IPv6. */
export const ROUTES = state({
  interfaces: [
    veth('nmf-r0', 'nmf-r0p', { ipv4: ipv4(['192.0.2.33', 28]), ipv6: ipv6(['2001:db8:2::1', 64]) }),
    veth('nmf-r0p', 'nmf-r0', { ipv4: { enabled: false }, ipv6: { enabled: false } }),
  ],
  routes: {
    config: [
      { destination: '198.51.100.0/24', 'next-hop-address': '192.0.2.34', 'next-hop-interface': 'nmf-r0', metric: 150, 'table-id': 254 },
      { destination: '203.0.113.0/24', 'next-hop-address': '192.0.2.35', 'next-hop-interface': 'nmf-r0', metric: 151, 'table-id': 100 },
      { destination: '2001:db8:3::/64', 'next-hop-address': '2001:db8:2::2', 'next-hop-interface': 'nmf-r0', metric: 152, 'table-id': 100 },
    ],
  },
});

/** Route rules that send traffic to table 100 (with the routes of {@link ROUTES}). */
export const ROUTE_RULES = state({
  interfaces: (ROUTES as unknown as { interfaces: unknown[] }).interfaces,
  routes: (ROUTES as unknown as { routes: unknown }).routes,
  'route-rules': {
    config: [
      { 'ip-from': '198.51.100.0/24', priority: 1000, 'route-table': 100 },
      { 'ip-to': '203.0.113.0/24', priority: 1001, 'route-table': 100 },
    ],
  },
});

/** A static DNS configuration (servers and search domains) on a host with a static interface. */
export const DNS = state({
  interfaces: (VETH_STATIC as unknown as { interfaces: unknown[] }).interfaces,
  'dns-resolver': { config: { server: ['192.0.2.53', '2001:db8:1::53'], search: ['example.com', 'example.org'] } },
});

/** A change over {@link VETH_STATIC}: new address on one end, plus a bridge over a new pair. */
export const CHANGE_OVER_VETH_STATIC = state({
  interfaces: [
    veth('nmf-v0', 'nmf-v0p', { ipv4: ipv4(['192.0.2.100', 24]) }),
    ...(BRIDGE_WITH_PORTS as unknown as { interfaces: unknown[] }).interfaces,
  ],
});

/** An interface of `type` the host may not support, next to a change it does support. */
export function stateWithType(type: string): NetworkState {
  const specific: Record<string, Record<string, unknown>> = {
    bond: { 'link-aggregation': { mode: 'active-backup', port: [] } },
    vlan: { vlan: { 'base-iface': 'nmf-v0', id: 101 } },
    dummy: {},
    vrf: { vrf: { port: [], 'route-table-id': 1001 } },
  };
  return state({
    interfaces: [
      veth('nmf-v0', 'nmf-v0p', { ipv4: ipv4(['192.0.2.100', 24]) }),
      { name: `nmf-${type}0`, type, state: 'up', ...(specific[type] ?? {}), ipv4: ipv4(['10.99.0.1', 24]), ipv6: { enabled: false } },
    ],
  });
}

/** Two bridges claiming the same port: invalid. */
export const PORT_CLAIMED_TWICE = state({
  interfaces: [
    ...(BRIDGE_PORTS_ALONE as unknown as { interfaces: unknown[] }).interfaces,
    { name: 'nmf-br1', type: 'linux-bridge', state: 'up', bridge: { port: [{ name: 'nmf-p1' }] } },
    { name: 'nmf-br2', type: 'linux-bridge', state: 'up', bridge: { port: [{ name: 'nmf-p1' }] } },
  ],
});
