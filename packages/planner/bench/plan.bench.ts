/**
 * Planner benchmark: plan and verify on hosts of 100 and 1,000 interfaces
 * (bridges over VLANs over bonds over NIC pairs, with addresses and routes),
 * and 500 nmpolicies evaluated, checked for conflicts and planned on one
 * host. Every input is built in this run; growth is printed as the
 * 1,000/100 ratio measured here (target ≤ 12 for 10× the size).
 *
 * Run: npm run bench:planner
 */
import { performance } from 'node:perf_hooks';
import {
  evaluatePolicy,
  findPolicyConflicts,
  mergeState,
  orderPoliciesOnNode,
  planState,
  verifyState,
  type InterfaceDoc,
  type JsonObject,
  type StateDoc,
} from '../src/index.js';

/** Batches per measurement; the best is reported. */
const REPEATS = 7;
/** Calls before measuring, so the JIT has compiled the hot paths for this input size. */
const WARMUP_CALLS = 3;
/** Minimum length of one measured batch, so timer resolution and GC pauses average out. */
const MIN_BATCH_MS = 150;
/** Interfaces per group: 2 NICs, a bond, a VLAN and a bridge. */
const IFACES_PER_GROUP = 5;
const POLICY_COUNT = 500;

interface Host {
  readonly current: StateDoc;
  readonly desired: StateDoc;
}

function buildHost(interfaceCount: number): Host {
  const groups = Math.floor(interfaceCount / IFACES_PER_GROUP);
  const nics: InterfaceDoc[] = [];
  const stack: InterfaceDoc[] = [];
  const routes: JsonObject[] = [];
  for (let g = 0; g < groups; g++) {
    const a = `eth${2 * g}`;
    const b = `eth${2 * g + 1}`;
    for (const name of [a, b]) nics.push({ name, type: 'ethernet', state: 'up', mtu: 1500, ipv4: { enabled: false }, ipv6: { enabled: false } });
    const bond = `bond${g}`;
    const vlan = `${bond}.${100 + (g % 3000)}`;
    const bridge = `br${g}`;
    const hi = Math.floor(g / 250);
    const lo = g % 250;
    stack.push(
      { name: bond, type: 'bond', state: 'up', 'link-aggregation': { mode: '802.3ad', port: [a, b] } },
      { name: vlan, type: 'vlan', state: 'up', vlan: { 'base-iface': bond, id: 100 + (g % 3000) } },
      {
        name: bridge,
        type: 'linux-bridge',
        state: 'up',
        bridge: { options: { stp: { enabled: false } }, port: [{ name: vlan }] },
        ipv4: { enabled: true, dhcp: false, address: [{ ip: `10.${hi}.${lo}.1`, 'prefix-length': 24 }] },
        ipv6: { enabled: true, dhcp: false, autoconf: false, address: [{ ip: `2001:db8:${hi}:${lo}::1`, 'prefix-length': 64 }] },
      },
    );
    routes.push(
      { destination: `172.${16 + hi}.${lo}.0/24`, 'next-hop-interface': bridge, 'next-hop-address': `10.${hi}.${lo}.254` },
      { destination: `2001:db8:ff:${g.toString(16)}::/64`, 'next-hop-interface': bridge, 'next-hop-address': `2001:db8:${hi}:${lo}::fe` },
    );
  }
  return {
    current: { interfaces: nics, routes: { config: [] }, 'dns-resolver': { config: {} } },
    desired: { interfaces: stack, routes: { config: routes }, 'dns-resolver': { config: { server: ['192.0.2.53'], search: ['example.net'] } } },
  };
}

/** Time per call of one batch of calls lasting at least MIN_BATCH_MS. */
function timeBatchMs(fn: () => unknown): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_BATCH_MS);
  return elapsed / calls;
}

/**
 * Steady-state time per call of each function: after warm-up calls, batches
 * of the functions alternate for REPEATS rounds, so every size sees the same
 * machine load; each reports its best batch (the least disturbed by garbage
 * collection and by other processes).
 */
function measureMs(...fns: (() => unknown)[]): number[] {
  for (const fn of fns) for (let i = 0; i < WARMUP_CALLS; i++) fn();
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < REPEATS; round++) {
    fns.forEach((fn, i) => {
      best[i] = Math.min(best[i] as number, timeBatchMs(fn));
    });
  }
  return best;
}

interface HostRun {
  readonly plan: () => number;
  readonly verify: () => void;
}

function prepareHost(size: number): HostRun {
  const host = buildHost(size);
  const applied = mergeState(host.desired, host.current);
  return {
    plan: () => planState(host.desired, host.current).operations.length,
    verify: () => {
      const mismatches = verifyState(host.desired, applied);
      if (mismatches.length > 0) throw new Error(`benchmark host does not verify: ${mismatches[0]?.message}`);
    },
  };
}

function benchPolicies(): { evaluate: number; conflicts: number; plan: number; operations: number } {
  const host = buildHost(1000);
  const current = mergeState(host.desired, host.current);
  const policies = Array.from({ length: POLICY_COUNT }, (_, i) => ({
    name: `policy-${String(i).padStart(3, '0')}`,
    spec: {
      capture: { base: `interfaces.name=="br${i % 200}"` },
      desiredState: {
        interfaces: [
          { name: `vl${i}`, type: 'vlan', state: 'up', vlan: { 'base-iface': '{{ capture.base.interfaces.0.name }}', id: 1000 + i }, ipv4: { enabled: true, dhcp: false, address: [{ ip: `192.168.${i % 250}.${1 + Math.floor(i / 250)}`, 'prefix-length': 32 }] } },
        ],
      },
    },
  }));
  const rendered = new Map<string, StateDoc>();
  const [evaluate = 0] = measureMs(() => {
    rendered.clear();
    for (const p of orderPoliciesOnNode(policies)) rendered.set(p.name, evaluatePolicy(p.spec, current).state);
  });
  const [conflicts = 0] = measureMs(() => {
    if (findPolicyConflicts(rendered, { node: 'bench' }).length > 0) throw new Error('benchmark policies conflict');
  });
  const desired: StateDoc = { interfaces: [...rendered.values()].flatMap((s) => s.interfaces ?? []) };
  const operations = planState(desired, current).operations.length;
  const [plan = 0] = measureMs(() => planState(desired, current));
  return { evaluate, conflicts, plan, operations };
}

function format(ms: number): string {
  return `${ms.toFixed(1).padStart(8)} ms`;
}

/** Progress on stderr, so the results on stdout stay easy to read. */
function progress(step: string): void {
  process.stderr.write(`bench:planner ${step}…\n`);
}

progress('building hosts of 100 and 1000 interfaces');
const small = prepareHost(100);
const large = prepareHost(1000);
progress('measuring plan');
const [planSmall = 0, planLarge = 0] = measureMs(small.plan, large.plan);
progress('measuring verify');
const [verifySmall = 0, verifyLarge = 0] = measureMs(small.verify, large.verify);
console.log(`planner benchmark (best of ${REPEATS} alternating batches of ≥ ${MIN_BATCH_MS} ms, time per call)`);
console.log(`  plan    100 interfaces: ${format(planSmall)}  (${small.plan()} operations)`);
console.log(`  plan   1000 interfaces: ${format(planLarge)}  (${large.plan()} operations)`);
console.log(`  verify  100 interfaces: ${format(verifySmall)}`);
console.log(`  verify 1000 interfaces: ${format(verifyLarge)}`);
const planRatio = planLarge / planSmall;
const verifyRatio = verifyLarge / verifySmall;
console.log(`  ratio 1000/100: plan ${planRatio.toFixed(2)}, verify ${verifyRatio.toFixed(2)} (target ≤ 12)`);
progress(`evaluating ${POLICY_COUNT} policies`);
const policies = benchPolicies();
console.log(`  ${POLICY_COUNT} policies on one 1000-interface host:`);
console.log(`    evaluate (capture + template): ${format(policies.evaluate)}`);
console.log(`    conflict check:                ${format(policies.conflicts)}`);
console.log(`    plan of all ${POLICY_COUNT} together:      ${format(policies.plan)}  (${policies.operations} operations)`);
if (planRatio > 12 || verifyRatio > 12) {
  console.error('growth above target: not near-linear');
  process.exitCode = 1;
}
