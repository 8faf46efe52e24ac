import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { resolveMaxUnavailable, selectNodes } from '@nmfleet/planner';
import { HOSTNAME_LABEL, WORKER_LABEL, type NodeSpec } from './fleet-nodes.js';

/** The label that splits the scale scenario's nodes into thirds, for the role policies. */
export const ROLE_LABEL = 'bench.nmfleet.io/role';

/** Defaults of {@link ScaleScenarioOptions}: the scenario. */
export const DEFAULT_SCALE_SCENARIO: Readonly<ScaleScenarioOptions> = {
  nodes: 300,
  policies: 500,
  rolePolicies: 50,
  latencyMs: 200,
  maxUnavailable: '10%',
};

/** What the scale scenario is made of. */
export interface ScaleScenarioOptions {
  /** Simulated nodes. */
  nodes: number;
  /** Policies in all: per-host ones (`policies - rolePolicies`) plus role ones. */
  policies: number;
  /** Policies that each match a third of the nodes. */
  rolePolicies: number;
  /** Simulated apply time of one policy on one node, in milliseconds. */
  latencyMs: number;
  /** Every policy's `maxUnavailable`. */
  maxUnavailable: string | number;
}

/** The scenario: nodes, policies, and what its lower bounds are computed from. */
export interface ScaleScenario {
  options: ScaleScenarioOptions;
  nodes: NodeSpec[];
  policies: NodeNetworkConfigurationPolicy[];
  /** Policy → the nodes it matches. */
  matching: Map<string, string[]>;
}

/** The lower bounds of a scenario, as the issue defines them. */
export interface RolloutBounds {
  /** Jobs in all: one per matching (policy, node). */
  jobs: number;
  /** The longest sum of apply times over the policies of one node, in seconds. */
  longestNodeSeconds: number;
  longestNode: string;
  /** The longest `ceil(matching / maxUnavailable)` waves × apply time of one policy, in seconds. */
  longestPolicySeconds: number;
  longestPolicy: string;
  /** The longer of the two: no schedule can have every node applied sooner. */
  configuredBoundSeconds: number;
  /**
   * The writes a correct controller must make: every enactment created and given its
   * final status, every policy given its status, and every node's NodeNetworkState
   * given the node's new state (`2 × jobs + policies + nodes`). The NodeNetworkStates
   * exist before the rollout starts, as in a running cluster: the benchmark starts the
   * clock once the fleet has reported.
   */
  minimumWrites: number;
  /** The longer of {@link configuredBoundSeconds} and minimum writes / QPS. */
  statusBoundSeconds: number;
}

function assertCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new Error(`--${name} ${value} is invalid: expected an integer of at least ${minimum}`);
}

function policy(name: string, selector: Record<string, string>, maxUnavailable: string | number, desiredState: unknown): NodeNetworkConfigurationPolicy {
  return {
    apiVersion: 'nmstate.io/v1',
    kind: 'NodeNetworkConfigurationPolicy',
    metadata: { name },
    spec: { nodeSelector: selector, maxUnavailable, desiredState: desiredState as never },
  };
}

/** eth1 with an address of the node's own /24, an MTU and a route through that subnet. */
function hostAddressState(nodeIndex: number): unknown {
  const subnet = `10.${(nodeIndex >> 8) & 255}.${nodeIndex & 255}`;
  return {
    interfaces: [
      { name: 'eth1', type: 'ethernet', state: 'up', mtu: 1400 + (nodeIndex % 100), ipv4: { enabled: true, dhcp: false, address: [{ ip: `${subnet}.1`, 'prefix-length': 24 }] } },
    ],
    routes: { config: [{ destination: `172.16.${nodeIndex % 256}.0/24`, 'next-hop-address': `${subnet}.254`, 'next-hop-interface': 'eth1' }] },
  };
}

/** A DNS search entry of the node's own (keeping the typical node's name server) and eth2's MTU. */
function hostDnsState(nodeName: string, nodeIndex: number): unknown {
  return {
    'dns-resolver': { config: { server: ['192.0.2.53'], search: [`${nodeName}.example`, 'cluster.example'] } },
    interfaces: [{ name: 'eth2', type: 'ethernet', state: 'up', mtu: 1450 + (nodeIndex % 50) }],
  };
}

/** A VLAN on eth2 for one role. */
function roleVlanState(role: number): unknown {
  const id = 100 + role;
  return {
    interfaces: [{ name: `eth2.${id}`, type: 'vlan', state: 'up', mtu: 1400, vlan: { 'base-iface': 'eth2', id }, ipv4: { enabled: false }, ipv6: { enabled: false } }],
  };
}

/**
 * The scale scenario: `nodes` simulated nodes labelled into thirds by
 * {@link ROLE_LABEL}; `policies - rolePolicies` per-host policies (`kubernetes.io/hostname`
 * selectors; host policy k goes to node k mod nodes, so each node has one or two when
 * there are between `nodes` and `2 × nodes` of them); `rolePolicies` role policies, role
 * policy r matching third r mod 3. Desired states are small and realistic — an address
 * with a route, DNS search entries, a VLAN — and vary per policy.
 */
export function buildScaleScenario(options: ScaleScenarioOptions = DEFAULT_SCALE_SCENARIO): ScaleScenario {
  assertCount('nodes', options.nodes, 1);
  assertCount('role-policies', options.rolePolicies, 0);
  assertCount('policies', options.policies, options.rolePolicies);
  assertCount('latency-ms', options.latencyMs, 0);
  const width = Math.max(4, String(options.nodes - 1).length);
  const nodes: NodeSpec[] = Array.from({ length: options.nodes }, (_, index) => {
    const name = `sim-node-${String(index).padStart(width, '0')}`;
    return { name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '', [ROLE_LABEL]: `r${index % 3}` } };
  });
  const policies: NodeNetworkConfigurationPolicy[] = [];
  const hostPolicies = options.policies - options.rolePolicies;
  for (let k = 0; k < hostPolicies; k += 1) {
    const nodeIndex = k % options.nodes;
    const round = Math.floor(k / options.nodes);
    const node = nodes[nodeIndex] as NodeSpec;
    const desired = round % 2 === 0 ? hostAddressState(nodeIndex) : hostDnsState(node.name, nodeIndex);
    policies.push(policy(`host-${node.name}-${round}`, { [HOSTNAME_LABEL]: node.name }, options.maxUnavailable, desired));
  }
  const roleWidth = Math.max(2, String(options.rolePolicies - 1).length);
  for (let r = 0; r < options.rolePolicies; r += 1) {
    policies.push(policy(`role-${String(r).padStart(roleWidth, '0')}`, { [ROLE_LABEL]: `r${r % 3}` }, options.maxUnavailable, roleVlanState(r)));
  }
  const matching = new Map<string, string[]>();
  for (const item of policies) matching.set(item.metadata?.name ?? '', selectNodes(item.spec.nodeSelector, nodes).map((node) => node.name));
  return { options, nodes, policies, matching };
}

/**
 * The scenario's lower bounds, exactly as the issue defines them: the time until every
 * node has applied is at least the longest of any node's sum of apply times and any
 * policy's `ceil(matching / maxUnavailable)` waves × apply time; the time until the API
 * shows every status is at least the longer of that and the minimum writes / QPS.
 */
export function computeRolloutBounds(scenario: ScaleScenario, qps: number): RolloutBounds {
  // Sums in whole milliseconds, so that 19 × 0.2 s is 3.8 s and not 3.8000000000000003.
  const latencyMs = scenario.options.latencyMs;
  const perNode = new Map<string, number>();
  let jobs = 0;
  let longestPolicySeconds = 0;
  let longestPolicy = '';
  for (const item of scenario.policies) {
    const name = item.metadata?.name ?? '';
    const nodes = scenario.matching.get(name) ?? [];
    jobs += nodes.length;
    for (const node of nodes) perNode.set(node, (perNode.get(node) ?? 0) + latencyMs);
    if (nodes.length === 0) continue;
    const waves = Math.ceil(nodes.length / resolveMaxUnavailable(item.spec.maxUnavailable, nodes.length));
    if ((waves * latencyMs) / 1000 > longestPolicySeconds) {
      longestPolicySeconds = (waves * latencyMs) / 1000;
      longestPolicy = name;
    }
  }
  let longestNodeSeconds = 0;
  let longestNode = '';
  for (const [node, ms] of perNode) {
    if (ms / 1000 > longestNodeSeconds) {
      longestNodeSeconds = ms / 1000;
      longestNode = node;
    }
  }
  const configuredBoundSeconds = Math.max(longestNodeSeconds, longestPolicySeconds);
  const minimumWrites = 2 * jobs + scenario.policies.length + scenario.nodes.length;
  return {
    jobs,
    longestNodeSeconds,
    longestNode,
    longestPolicySeconds,
    longestPolicy,
    configuredBoundSeconds,
    minimumWrites,
    statusBoundSeconds: Math.max(configuredBoundSeconds, minimumWrites / qps),
  };
}

/**
 * The makespan of the coordinator's scheduling rule on `scenario` with nothing but the
 * apply times: every policy exists at t = 0; a node applies one job at a time and takes
 * the first of its pending policies, in name order, that has a free slot; a policy runs
 * at most maxUnavailable nodes at once and offers a free slot to its idle pending nodes
 * with the most pending policies first. When a job ends, its node takes its next job
 * first, then the policy's free slot is offered, as the coordinator does. No overhead of any kind: what the rule itself allows, to set
 * beside the bound (which no name-ordered schedule is promised to reach).
 */
export function simulateNameOrderSchedule(scenario: ScaleScenario): number {
  const latencyMs = scenario.options.latencyMs;
  const policies = [...scenario.policies].map((p) => p.metadata?.name ?? '').sort();
  const limit = new Map<string, number>();
  const running = new Map<string, number>(policies.map((p) => [p, 0]));
  const pendingByNode = new Map<string, string[]>();
  const pendingByPolicy = new Map<string, Set<string>>();
  for (const item of scenario.policies) {
    const name = item.metadata?.name ?? '';
    const nodes = scenario.matching.get(name) ?? [];
    limit.set(name, nodes.length === 0 ? 0 : resolveMaxUnavailable(item.spec.maxUnavailable, nodes.length));
    pendingByPolicy.set(name, new Set([...nodes].sort()));
  }
  for (const policy of policies) for (const node of pendingByPolicy.get(policy) ?? []) pendingByNode.set(node, [...(pendingByNode.get(node) ?? []), policy]);
  const busy = new Set<string>();
  const ends: { at: number; node: string; policy: string }[] = [];
  const admitNode = (node: string, now: number): void => {
    if (busy.has(node)) return;
    const list = pendingByNode.get(node) ?? [];
    const index = list.findIndex((policy) => (running.get(policy) ?? 0) < (limit.get(policy) ?? 0));
    if (index < 0) return;
    const policy = list[index] as string;
    list.splice(index, 1);
    pendingByPolicy.get(policy)?.delete(node);
    running.set(policy, (running.get(policy) ?? 0) + 1);
    busy.add(node);
    ends.push({ at: now + latencyMs, node, policy });
  };
  const fill = (policy: string, now: number): void => {
    // As the coordinator: the idle nodes with the most pending policies first, ties by name.
    const order = [...(pendingByPolicy.get(policy) ?? [])].sort(
      (a, b) => (pendingByNode.get(b)?.length ?? 0) - (pendingByNode.get(a)?.length ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
    );
    for (const node of order) {
      if ((running.get(policy) ?? 0) >= (limit.get(policy) ?? 0)) return;
      admitNode(node, now);
    }
  };
  for (const item of scenario.policies) fill(item.metadata?.name ?? '', 0);
  let makespan = 0;
  while (ends.length > 0) {
    let next = 0;
    for (let i = 1; i < ends.length; i += 1) if ((ends[i]?.at ?? 0) < (ends[next]?.at ?? 0)) next = i;
    const { at, node, policy } = ends.splice(next, 1)[0] as { at: number; node: string; policy: string };
    makespan = Math.max(makespan, at);
    busy.delete(node);
    running.set(policy, (running.get(policy) ?? 0) - 1);
    admitNode(node, at);
    fill(policy, at);
  }
  return makespan / 1000;
}
