/**
 * The benchmark's states: `count` veth pairs, each end with an IPv4 address,
 * the first end also with an IPv6 address and a static route.
 */
export function buildVethPairsState(count: number): Record<string, unknown> {
  const interfaces: Record<string, unknown>[] = [];
  const routes: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const a = `bv${i}a`;
    const b = `bv${i}b`;
    const hi = Math.floor(i / 250);
    const lo = i % 250;
    interfaces.push({
      name: a,
      type: 'veth',
      state: 'up',
      veth: { peer: b },
      ipv4: { enabled: true, dhcp: false, address: [{ ip: `10.${hi}.${lo}.1`, 'prefix-length': 24 }] },
      ipv6: { enabled: true, dhcp: false, autoconf: false, address: [{ ip: `fd00:${hi}:${lo}::1`, 'prefix-length': 64 }] },
    });
    interfaces.push({
      name: b,
      type: 'veth',
      state: 'up',
      veth: { peer: a },
      ipv4: { enabled: true, dhcp: false, address: [{ ip: `10.${hi}.${lo}.2`, 'prefix-length': 24 }] },
      ipv6: { enabled: false },
    });
    routes.push({ destination: `172.${16 + hi}.${lo}.0/24`, 'next-hop-address': `10.${hi}.${lo}.254`, 'next-hop-interface': a, metric: 100, 'table-id': 254 });
  }
  return { interfaces, routes: { config: routes } };
}
