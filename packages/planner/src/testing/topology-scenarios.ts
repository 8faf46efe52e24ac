/*
 * Test support: generated hosts for the property tests and the revert
 * differential test. A current state with NICs and an existing bond → VLAN →
 * bridge stack, and a desired state that builds new stacks up to 10 levels
 * deep, removes levels of the existing one, changes MTU, addresses (static,
 * DHCP, off), routes, rules, DNS and hostname. Current states are complete, as
 * `show` prints them (every property desired may change is present), which is
 * what revert needs to restore them. Not exported from the package.
 */
import type { InterfaceDoc, JsonObject, StateDoc } from '../index.js';

/** Interface types a new stack is built from, bottom-up; controllers take the level below as their port. */
const STACK_CYCLE = ['bond', 'vlan', 'linux-bridge', 'vlan', 'mac-vlan', 'vxlan', 'vlan', 'linux-bridge', 'mac-vtap', 'vlan'] as const;

function nic(name: string, ip: string | undefined, extra: JsonObject = {}): InterfaceDoc {
  return {
    name,
    type: 'ethernet',
    state: 'up',
    mtu: 1500,
    description: '',
    ipv4: ip ? { enabled: true, dhcp: false, address: [{ ip, 'prefix-length': 24 }] } : { enabled: false },
    ipv6: { enabled: false },
    ...extra,
  };
}

/** One virtual interface stacked on (or controlling) `below`. */
function stackLevel(type: (typeof STACK_CYCLE)[number], name: string, below: string, id: number): InterfaceDoc {
  const common = { name, type, state: 'up', mtu: 1500, description: '', ipv4: { enabled: false }, ipv6: { enabled: false } };
  switch (type) {
    case 'bond':
      return { ...common, 'link-aggregation': { mode: 'active-backup', port: [below] } };
    case 'linux-bridge':
      return { ...common, bridge: { options: { stp: { enabled: false } }, port: [{ name: below }] } };
    case 'vlan':
      return { ...common, vlan: { 'base-iface': below, id } };
    case 'mac-vlan':
      return { ...common, 'mac-vlan': { 'base-iface': below, mode: 'bridge', promiscuous: true } };
    case 'mac-vtap':
      return { ...common, 'mac-vtap': { 'base-iface': below, mode: 'bridge', promiscuous: true } };
    case 'vxlan':
      return { ...common, vxlan: { 'base-iface': below, id, remote: '192.0.2.100', 'destination-port': 4789 } };
  }
}

export interface Scenario {
  readonly nics: number;
  readonly existingStack: boolean;
  readonly newStackDepth: number;
  readonly removeLevel: number | null;
  readonly mtuChanges: readonly [number, number][];
  readonly readdress: readonly number[];
  readonly toDhcp: readonly number[];
  readonly disableIpv4: readonly number[];
  readonly addRoutes: number;
  readonly removeRoutes: boolean;
  readonly addRules: number;
  readonly removeRules: boolean;
  readonly dns: boolean;
  readonly hostname: boolean;
  readonly veth: boolean;
}


/** Builds (current, desired) from a scenario. */
export function buildScenario(s: Scenario): { current: StateDoc; desired: StateDoc } {
  const curIfaces: InterfaceDoc[] = [];
  const curRoutes: JsonObject[] = [];
  for (let i = 0; i < s.nics; i++) {
    const inStack = s.existingStack && i < 2;
    curIfaces.push(nic(`eth${i}`, inStack ? undefined : `10.${i}.0.1`, inStack ? { controller: 'bond0' } : {}));
    if (!inStack) curRoutes.push({ destination: `172.16.${i}.0/24`, 'next-hop-interface': `eth${i}`, 'next-hop-address': `10.${i}.0.254`, metric: 100, 'table-id': 254 });
  }
  if (s.existingStack) {
    const bond = stackLevel('bond', 'bond0', 'eth0', 0);
    bond['link-aggregation'] = { mode: 'active-backup', port: ['eth0', 'eth1'] };
    curIfaces.push(bond, { ...stackLevel('vlan', 'bond0.10', 'bond0', 10), controller: 'br10' });
    curIfaces.push({ ...stackLevel('linux-bridge', 'br10', 'bond0.10', 0), ipv4: { enabled: true, dhcp: false, address: [{ ip: '10.10.0.1', 'prefix-length': 24 }] } });
    curRoutes.push({ destination: '172.31.0.0/16', 'next-hop-interface': 'br10', 'next-hop-address': '10.10.0.254', metric: 100, 'table-id': 254 });
  }
  const current: StateDoc = {
    hostname: { running: 'node-a', config: 'node-a' },
    'dns-resolver': { config: { search: ['example.net'], server: ['192.0.2.53'] } },
    'route-rules': { config: [{ 'ip-from': '10.0.0.0/24', 'route-table': 254, priority: 1000, family: 'ipv4' }] },
    routes: { config: curRoutes },
    interfaces: curIfaces,
  };

  const desIfaces: InterfaceDoc[] = [];
  const desRoutes: JsonObject[] = [];
  const freeNics = Array.from({ length: s.nics }, (_, i) => `eth${i}`).filter((n, i) => !(s.existingStack && i < 2));
  const stackNic = freeNics.shift();
  if (stackNic && s.newStackDepth > 0) {
    let below = stackNic;
    for (let level = 0; level < s.newStackDepth; level++) {
      const type = STACK_CYCLE[level % STACK_CYCLE.length] as (typeof STACK_CYCLE)[number];
      const name = `s${level}${type.replace(/-/g, '')}`;
      const iface = stackLevel(type, name, below, 100 + level);
      if (level > 0 && desIfaces[level - 1] && ['bond', 'linux-bridge'].includes(type)) {
        // The level below becomes a port: say so on both sides, as users often do.
        (desIfaces[level - 1] as InterfaceDoc)['controller'] = name;
      }
      desIfaces.push(iface);
      below = name;
    }
    const top = desIfaces[desIfaces.length - 1] as InterfaceDoc;
    top['ipv4'] = { enabled: true, dhcp: false, address: [{ ip: '10.99.0.1', 'prefix-length': 24 }] };
    desRoutes.push({ destination: '0.0.0.0/0', 'next-hop-interface': top.name, 'next-hop-address': '10.99.0.254' });
  }
  if (s.existingStack && s.removeLevel !== null) desIfaces.push({ name: ['bond0', 'bond0.10', 'br10'][s.removeLevel] as string, state: 'absent' });
  const changeable = freeNics.filter((n) => n !== stackNic);
  for (const [i, mtu] of s.mtuChanges) {
    const name = changeable[i % Math.max(1, changeable.length)];
    if (name && !desIfaces.some((d) => d.name === name)) desIfaces.push({ name, type: 'ethernet', mtu });
  }
  for (const i of s.readdress) {
    const name = changeable[i % Math.max(1, changeable.length)];
    if (!name) continue;
    const existing = desIfaces.find((d) => d.name === name);
    const ipv4 = { enabled: true, dhcp: false, address: [{ ip: `10.${50 + i}.0.1`, 'prefix-length': 24 }, { ip: `10.${50 + i}.1.1`, 'prefix-length': 24 }] };
    if (existing) existing['ipv4'] = ipv4;
    else desIfaces.push({ name, type: 'ethernet', ipv4 });
  }
  // Static → DHCP without naming addresses, and IPv4 switched off (its routes go too).
  for (const [list, ipv4] of [[s.toDhcp, { enabled: true, dhcp: true }], [s.disableIpv4, { enabled: false }]] as const) {
    for (const i of list) {
      const name = changeable[i % Math.max(1, changeable.length)];
      if (name && !desIfaces.some((d) => d.name === name)) desIfaces.push({ name, type: 'ethernet', ipv4 });
    }
  }
  if (s.veth) desIfaces.push({ name: 'veth-a', type: 'veth', state: 'up', veth: { peer: 'veth-b' } });
  for (let i = 0; i < s.addRoutes; i++) {
    const via = changeable[i % Math.max(1, changeable.length)];
    const unusable = (d: InterfaceDoc): boolean => d['state'] === 'absent' || (d['ipv4'] as JsonObject | undefined)?.['enabled'] === false;
    if (via && !desIfaces.some((d) => d.name === via && unusable(d))) {
      const idx = Number(via.slice(3));
      desRoutes.push({ destination: `198.18.${i}.0/24`, 'next-hop-interface': via, 'next-hop-address': `10.${idx}.0.253` });
    }
  }
  if (s.removeRoutes && changeable[0]) desRoutes.push({ 'next-hop-interface': changeable[0], state: 'absent' });
  const desired: StateDoc = { interfaces: desIfaces };
  if (desRoutes.length > 0) desired['routes'] = { config: desRoutes };
  const rules: JsonObject[] = [];
  for (let i = 0; i < s.addRules; i++) rules.push({ 'ip-to': `198.19.${i}.0/24`, 'route-table': 200 + i });
  if (s.removeRules) rules.push({ 'ip-from': '10.0.0.0/24', state: 'absent' });
  if (rules.length > 0) desired['route-rules'] = { config: rules };
  if (s.dns) desired['dns-resolver'] = { config: { server: ['2001:db8::53', '198.51.100.53'], search: ['example.org'] } };
  if (s.hostname) desired['hostname'] = { running: 'node-b', config: 'node-b' };
  return { current, desired };
}

/**
 * `count` scenarios drawn from a fixed seed (xorshift32), for tests that need a
 * reproducible sample without a property-testing library.
 */
export function sampleScenarios(count: number, seed: number): Scenario[] {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const int = (min: number, max: number): number => min + (next() % (max - min + 1));
  const bool = (): boolean => next() % 2 === 0;
  const list = (maxLength: number, item: () => number): number[] => Array.from({ length: int(0, maxLength) }, item);
  return Array.from({ length: count }, () => ({
    nics: int(3, 6),
    existingStack: bool(),
    newStackDepth: int(0, 10),
    removeLevel: bool() ? int(0, 2) : null,
    mtuChanges: list(3, () => int(0, 20)).map((i) => [i, [1400, 1500, 9000][i % 3] as number] as [number, number]),
    readdress: list(2, () => int(0, 20)),
    toDhcp: list(2, () => int(0, 20)),
    disableIpv4: list(1, () => int(0, 20)),
    addRoutes: int(0, 3),
    removeRoutes: bool(),
    addRules: int(0, 3),
    removeRules: bool(),
    dns: bool(),
    hostname: bool(),
    veth: bool(),
  }));
}
