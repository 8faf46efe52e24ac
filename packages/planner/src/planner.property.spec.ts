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
import { buildScenario, type Scenario } from './testing/topology-scenarios.js';
import { getRuleKey } from './routes/route-rule-entry.js';
import { getRouteKey, normalizeRoute } from './routes/route-entry.js';

/* Property tests over generated hosts (see testing/topology-scenarios.ts for what they hold). */

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
