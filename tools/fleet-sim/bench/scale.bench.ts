/**
 * The scale scenario of the next issue, measured on this design: N simulated nodes,
 * one or two per-host policies per node (`kubernetes.io/hostname` selectors) and 50
 * role policies each matching a third of the nodes, simulated apply latency, and
 * maxUnavailable 10%. Prints the time until every node has applied against its lower
 * bound, the time until the API shows every status, API requests, and the
 * coordinator's peak RSS.
 *
 *   node --conditions=@nmfleet/source --import tsx tools/fleet-sim/bench/scale.bench.ts [NODES] [LATENCY_MS] [QPS]
 */
import { readFileSync } from 'node:fs';
import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { HOSTNAME_LABEL, WORKER_LABEL, type NodeSpec } from '../src/fleet-nodes.js';
import { Simulation } from '../src/simulation.js';

const nodeCount = Number(process.argv[2] ?? 300);
const latencyMs = Number(process.argv[3] ?? 200);
const qps = Number(process.argv[4] ?? 20);
/** `apply-only`: stop once every node has applied, without waiting for the API to show every status. */
const applyOnly = process.argv[5] === 'apply-only';
/** Node flags for the coordinator, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const coordinatorNodeArgs = process.argv[6]?.split(' ').filter((arg) => arg !== '');
const ROLE_LABEL = 'nmfleet.io/role-group';
const ROLE_POLICIES = 50;

function mtuPolicy(name: string, selector: Record<string, string>, mtu: number): NodeNetworkConfigurationPolicy {
  return {
    apiVersion: 'nmstate.io/v1',
    kind: 'NodeNetworkConfigurationPolicy',
    metadata: { name },
    spec: { nodeSelector: selector, maxUnavailable: '10%', desiredState: { interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', mtu }] } as never },
  };
}

const nodes: NodeSpec[] = Array.from({ length: nodeCount }, (_, i) => {
  const name = `sim-node-${String(i).padStart(4, '0')}`;
  return { name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '', [ROLE_LABEL]: `g${i % 3}` } };
});
const policies: NodeNetworkConfigurationPolicy[] = [];
nodes.forEach((node, i) => {
  policies.push(mtuPolicy(`host-${node.name}-a`, { [HOSTNAME_LABEL]: node.name }, 1300 + (i % 100)));
  if (i % 2 === 0) policies.push(mtuPolicy(`host-${node.name}-b`, { [HOSTNAME_LABEL]: node.name }, 1200 + (i % 100)));
});
for (let r = 0; r < ROLE_POLICIES; r += 1) policies.push(mtuPolicy(`role-${String(r).padStart(2, '0')}`, { [ROLE_LABEL]: `g${r % 3}` }, 1400 + r));

const perNode = new Map<string, number>();
for (const node of nodes) {
  const own = policies.filter((p) => Object.entries(p.spec.nodeSelector ?? {}).every(([k, v]) => node.labels[k] === v)).length;
  perNode.set(node.name, own);
}
const maxJobsPerNode = Math.max(...perNode.values());
const roleMatching = Math.ceil(nodeCount / 3);
const roleWaves = Math.ceil(roleMatching / Math.max(1, Math.ceil(roleMatching / 10)));
const lowerBoundSeconds = (Math.max(maxJobsPerNode, roleWaves) * latencyMs) / 1000;
const jobs = [...perNode.values()].reduce((a, b) => a + b, 0);

console.error(`[scale] ${nodeCount} nodes, ${policies.length} policies, ${jobs} jobs, latency ${latencyMs} ms, QPS ${qps}`);
// Long job locks: nothing is killed here, and each worker's stalled check is a Redis script per interval.
const simulation = await Simulation.start({ nodeSpecs: nodes, latencyMs, statusQps: qps, agentLockDurationMs: 30_000, agentStalledIntervalMs: 15_000, ...(coordinatorNodeArgs ? { coordinatorNodeArgs } : {}), log: (m, f) => console.error(`[fleet-sim] ${m} ${f ? JSON.stringify(f) : ''}`) });
let peakRssKb = 0;
const rssTimer = setInterval(() => {
  const pid = simulation.coordinatorProcess?.pid;
  if (pid === undefined) return;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    peakRssKb = Math.max(peakRssKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  } catch {
    // The process may be gone between the check and the read.
  }
}, 250);
try {
  await simulation.mark();
  const started = performance.now();
  await simulation.applyPolicies(policies);
  const applied = performance.now();
  let allApplied: number | undefined;
  const applyTimer = setInterval(() => {
    if (allApplied === undefined && simulation.timeline().length >= jobs) allApplied = performance.now();
  }, 100);
  if (applyOnly) {
    while (simulation.timeline().length < jobs) {
      simulation.assertCoordinatorRunning();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    allApplied = performance.now();
  } else {
    await simulation.waitUntilSettled({ timeoutMs: 3_600_000 });
  }
  clearInterval(applyTimer);
  const cpuSeconds = (pid: number | undefined) => {
    if (pid === undefined) return undefined;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number((((Number(fields[11]) + Number(fields[12])) / 100)).toFixed(1));
  };
  const cpu = {
    coordinator: cpuSeconds(simulation.coordinatorProcess?.pid),
    agent: cpuSeconds(simulation.agentProcesses.get('agent')?.pid),
    redis: cpuSeconds(simulation.servicePids.redis),
    kubeApiserver: cpuSeconds(simulation.servicePids.kubeApiserver),
    etcd: cpuSeconds(simulation.servicePids.etcd),
  };
  const settled = performance.now();
  const summary = await simulation.summary();
  const timeline = simulation.timeline();
  const firstStart = Math.min(...timeline.map((e) => e.startedAt));
  const lastEnd = Math.max(...timeline.map((e) => e.endedAt));
  const applySpan = (lastEnd - firstStart) / 1000;
  // Where the time goes on each node: applying, or waiting between two applies.
  const byNode = new Map<string, { startedAt: number; endedAt: number }[]>();
  for (const entry of timeline) byNode.set(entry.node, [...(byNode.get(entry.node) ?? []), entry]);
  const gaps: number[] = [];
  let busy = 0;
  for (const list of byNode.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 0; i < list.length; i += 1) {
      busy += (list[i]?.endedAt ?? 0) - (list[i]?.startedAt ?? 0);
      if (i > 0) gaps.push((list[i]?.startedAt ?? 0) - (list[i - 1]?.endedAt ?? 0));
    }
  }
  gaps.sort((a, b) => a - b);
  const quantile = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0;
  const gapStats = { p10: quantile(0.1), p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), max: gaps.at(-1) ?? 0 };
  const utilisation = busy / (byNode.size * (lastEnd - firstStart));
  // Each job's path: admitted → claimed by the agent → apply start → apply end → outcome recorded.
  const records = new Map<string, { admittedAt?: number; startedAt?: number; finishedAt?: number }>();
  for (const policy of policies) {
    const snapshot = await simulation.readRollout(policy.metadata?.name ?? '', 1);
    for (const record of snapshot?.records ?? []) records.set(`${record.node}/${policy.metadata?.name}`, record);
  }
  const phases: Record<string, number[]> = { admitToClaim: [], claimToApply: [], applyEndToRecorded: [], recordedToNextAdmit: [] };
  for (const list of byNode.values()) {
    const withRecords = (list as (typeof timeline)[number][]).map((entry) => ({ entry, record: records.get(`${entry.node}/${entry.policy}`) }));
    withRecords.forEach(({ entry, record }, i) => {
      if (record?.admittedAt === undefined || record.startedAt === undefined || record.finishedAt === undefined) return;
      phases.admitToClaim?.push(record.startedAt - record.admittedAt);
      phases.claimToApply?.push(entry.startedAt - record.startedAt);
      phases.applyEndToRecorded?.push(record.finishedAt - entry.endedAt);
      const next = withRecords[i + 1]?.record;
      if (next?.admittedAt !== undefined) phases.recordedToNextAdmit?.push(next.admittedAt - record.finishedAt);
    });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)] ?? 0;
  const phaseStats = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { p50: median(v), p90: p90(v) }]));
  const minimumWrites = jobs * 2 + nodeCount * 2 + policies.length * 2;
  const exceeded = summary.policies.filter((p) => p.maxInProgress > p.maxUnavailable);
  console.log(
    JSON.stringify(
      {
        nodes: nodeCount,
        policies: policies.length,
        jobs,
        latencyMs,
        qps,
        createSeconds: Number(((applied - started) / 1000).toFixed(2)),
        applySpanSeconds: Number(applySpan.toFixed(2)),
        lowerBoundSeconds,
        applyRatio: Number((applySpan / lowerBoundSeconds).toFixed(2)),
        allAppliedSeconds: allApplied === undefined ? undefined : Number(((allApplied - started) / 1000).toFixed(2)),
        settledSeconds: Number(((settled - started) / 1000).toFixed(2)),
        statusBoundSeconds: Number(Math.max(applySpan, minimumWrites / qps).toFixed(2)),
        apiRequests: summary.apiRequests.total - summary.apiRequests.simulator,
        minimumWrites,
        requestRatio: Number(((summary.apiRequests.total - summary.apiRequests.simulator) / minimumWrites).toFixed(2)),
        byVerb: summary.apiRequests.byVerb,
        coordinatorPeakRssMiB: Math.round(peakRssKb / 1024),
        cpuSeconds: cpu,
        nodeUtilisation: Number(utilisation.toFixed(2)),
        gapBetweenAppliesMs: gapStats,
        jobPhasesMs: phaseStats,
        available: summary.policies.filter((p) => p.status === 'Available').length,
        maxUnavailableExceeded: exceeded.map((p) => p.name),
      },
      null,
      2,
    ),
  );
} finally {
  clearInterval(rssTimer);
  await simulation.stop();
}
