import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getInterfaceKind,
  mergeState,
  planState,
  revertStates,
  verifyState,
  type InterfaceDoc,
  type JsonObject,
  type Plan,
  type StateDoc,
} from './index.js';
import { normalizeIface } from './interfaces/normalize-interface.js';
import { getRuleKey } from './routes/route-rule-entry.js';
import { getRouteKey, normalizeRoute } from './routes/route-entry.js';

/*
 * Property tests over generated hosts: a current state with NICs and an
 * existing bond → VLAN → bridge stack, and a desired state that builds new
 * stacks up to 10 levels deep, removes levels of the existing one, changes
 * MTU, addresses, routes, rules, DNS and hostname.
 *
 * Current states are complete, as `show` prints them (every property desired
 * may change is present), which is what revert needs to restore them.
 */

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

interface Scenario {
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

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  nics: fc.integer({ min: 3, max: 6 }),
  existingStack: fc.boolean(),
  newStackDepth: fc.integer({ min: 0, max: 10 }),
  removeLevel: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  mtuChanges: fc.array(fc.tuple(fc.nat(20), fc.constantFrom(1400, 1500, 9000)), { maxLength: 3 }),
  readdress: fc.array(fc.nat(20), { maxLength: 2 }),
  toDhcp: fc.array(fc.nat(20), { maxLength: 2 }),
  disableIpv4: fc.array(fc.nat(20), { maxLength: 1 }),
  addRoutes: fc.nat(3),
  removeRoutes: fc.boolean(),
  addRules: fc.nat(3),
  removeRules: fc.boolean(),
  dns: fc.boolean(),
  hostname: fc.boolean(),
  veth: fc.boolean(),
});

/** Builds (current, desired) from a scenario. */
function buildScenario(s: Scenario): { current: StateDoc; desired: StateDoc } {
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

/** A state in comparable form: interfaces normalized and sorted, routes and rules as sets. */
function canonicalState(state: StateDoc): JsonObject {
  const ifaces = (state.interfaces ?? [])
    .map((i) => {
      const n = normalizeIface(i) as JsonObject;
      if (n['controller'] === '' || n['controller'] === undefined) delete n['controller'];
      return n;
    })
    .sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
  const list = (section: string): JsonObject[] => {
    const s = state[section];
    const config = typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as JsonObject)['config'] : undefined;
    return Array.isArray(config) ? (config as JsonObject[]) : [];
  };
  const routes = list('routes').map(normalizeRoute).map(getRouteKey).sort();
  // Rule priorities are assigned by the apply; a rule is identified without them here.
  const rules = list('route-rules').map((r) => getRuleKey({ ...r, priority: -1, family: r['family'] ?? 'ipv4' })).sort();
  const dnsSection = state['dns-resolver'];
  const dns = typeof dnsSection === 'object' && dnsSection !== null && !Array.isArray(dnsSection) ? (dnsSection as JsonObject)['config'] ?? {} : {};
  return { interfaces: ifaces, routes, rules, dns: Object.keys(dns as JsonObject).length === 0 ? {} : dns, hostname: state['hostname'] ?? null };
}

/** Every ordering rule the plan promises, checked against its own operation list. */
function checkPlanOrder(plan: Plan): void {
  const ops = plan.operations;
  const index = new Map<string, number>();
  ops.forEach((op, i) => {
    for (const d of op.dependsOn) expect(d).toBeLessThan(i);
    if (op.interface) index.set(`${op.kind}:${op.interface}`, i);
  });
  const merged = new Map((plan.merged.interfaces ?? []).map((i) => [i.name, i]));
  for (const [name, iface] of merged) {
    const kind = getInterfaceKind(typeof iface['type'] === 'string' ? iface['type'] : undefined);
    const parents = [...(kind.getParents?.(iface) ?? []), ...(typeof iface['controller'] === 'string' && iface['controller'] !== '' ? [iface['controller']] : [])];
    const up = index.get(`activate:${name}`);
    const gone = index.get(`deactivate:${name}`);
    for (const parent of parents) {
      const parentUp = index.get(`activate:${parent}`);
      if (up !== undefined && parentUp !== undefined) expect(parentUp, `${parent} up before ${name}`).toBeLessThan(up);
      const parentGone = index.get(`deactivate:${parent}`);
      if (iface['state'] === 'absent' && gone !== undefined && parentGone !== undefined && merged.get(parent)?.['state'] === 'absent') {
        expect(gone, `${name} removed before its base ${parent}`).toBeLessThan(parentGone);
      }
    }
  }
  ops.forEach((op, i) => {
    if (op.kind !== 'routes' || !op.interface) return;
    const up = index.get(`activate:${op.interface}`);
    if (up !== undefined) expect(up, `routes of ${op.interface} after it is up`).toBeLessThan(i);
  });
}

function shuffleInterfaces(state: StateDoc, seed: number): StateDoc {
  const list = [...(state.interfaces ?? [])];
  for (let i = list.length - 1; i > 0; i--) {
    const j = (seed * 31 + i * 17) % (i + 1);
    [list[i], list[j]] = [list[j] as InterfaceDoc, list[i] as InterfaceDoc];
  }
  return { ...state, interfaces: list };
}

const RUNS = 300;

describe('planner properties over generated topologies', () => {
  it('verify(desired, merge(desired, current)) is empty', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { current, desired } = buildScenario(s);
        expect(verifyState(desired, mergeState(desired, current))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('applying revert(desired, current) over the merged state gives back current', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { current, desired } = buildScenario(s);
        const merged = mergeState(desired, current);
        const back = mergeState(revertStates(desired, current), merged);
        expect(canonicalState(back)).toEqual(canonicalState(current));
      }),
      { numRuns: RUNS },
    );
  });

  it('plans are deterministic (byte-identical, whatever the order interfaces are listed in) and respect dependency order', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(1000), (s, seed) => {
        const { current, desired } = buildScenario(s);
        const plan = planState(desired, current);
        expect(JSON.stringify(planState(desired, current))).toBe(JSON.stringify(plan));
        expect(JSON.stringify(planState(shuffleInterfaces(desired, seed), shuffleInterfaces(current, seed + 1)))).toBe(JSON.stringify(plan));
        checkPlanOrder(plan);
      }),
      { numRuns: RUNS },
    );
  });

  it('orders stacks 6 to 40 levels deep, creating and removing them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 40 }), fc.nat(1000), (depth, seed) => {
        const { current, desired } = buildScenario({
          nics: 3, existingStack: false, newStackDepth: depth, removeLevel: null, mtuChanges: [], readdress: [], toDhcp: [], disableIpv4: [],
          addRoutes: 0, removeRoutes: false, addRules: 0, removeRules: false, dns: false, hostname: false, veth: false,
        });
        const create = planState(shuffleInterfaces(desired, seed), current);
        checkPlanOrder(create);
        const activations = create.operations.filter((o) => o.kind === 'activate').map((o) => o.interface);
        expect(activations).toHaveLength(depth + 1);
        const built = mergeState(desired, current);
        const bottom = (desired.interfaces ?? [])[0] as InterfaceDoc;
        const teardown = planState({ interfaces: [{ name: bottom.name, state: 'absent' }] }, built);
        checkPlanOrder(teardown);
        const deletions = teardown.operations.filter((o) => o.kind === 'delete-device').map((o) => o.interface);
        // Everything stacked on the bottom level goes, top first.
        const levels = (desired.interfaces ?? []).map((i) => i.name);
        const stackedOnBottom = deletions.filter((n) => levels.includes(n as string));
        expect(stackedOnBottom.length).toBeGreaterThan(0);
        expect(stackedOnBottom).toEqual([...stackedOnBottom].sort((a, b) => levels.indexOf(b as string) - levels.indexOf(a as string)));
      }),
      { numRuns: 60 },
    );
  });
});
