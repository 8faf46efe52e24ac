/**
 * `npm run bench:rollout`: the issue's scale scenario against the real kube-apiserver
 * and Redis, every figure from a source independent of the coordinator. The formulas
 * are in docs/benchmarks.md.
 *
 *   npm run bench:rollout -- [--nodes 300] [--policies 500] [--role-policies 50] [--latency-ms 200]
 *                            [--max-unavailable 10%] [--qps 20] [--burst 30] [--json]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { resolveMaxUnavailable } from '@nmfleet/planner';
import { createKeyLayout, createRedisConnection } from '@nmfleet/queue';
import { computeMaxInProgress } from '../src/apply-timeline.js';
import { DEFAULT_SCALE_SCENARIO, buildScaleScenario, computeRolloutBounds, simulateNameOrderSchedule, type ScaleScenarioOptions } from '../src/scale-scenario.js';
import { Simulation } from '../src/simulation.js';
import { ProcessSampler, readMachineCpu, type ProcessReading } from './process-sampler.js';
import { diagnoseSchedule, type RecordTimes } from './schedule-diagnostics.js';
import { StatusWatch } from './status-watch.js';

const USAGE = `Usage: npm run bench:rollout -- [options]

  --nodes N             simulated nodes (default ${DEFAULT_SCALE_SCENARIO.nodes})
  --policies N          policies in all (default ${DEFAULT_SCALE_SCENARIO.policies})
  --role-policies N     of them, policies matching a third of the nodes each (default ${DEFAULT_SCALE_SCENARIO.rolePolicies})
  --latency-ms N        simulated apply time per policy and node (default ${DEFAULT_SCALE_SCENARIO.latencyMs})
  --max-unavailable V   every policy's maxUnavailable (default ${DEFAULT_SCALE_SCENARIO.maxUnavailable})
  --qps N               the coordinator's status writes per second (default 20)
  --create-concurrency N  policies created at once (default 32)
  --agent-processes N   agent processes the simulated nodes are spread over (default: one per CPU core, ${availableParallelism()})
  --burst N             their burst (default 30)
  --json                print the figures as JSON (default: a readable report)
  --apply-only          stop once every node has applied (no status figures; for quick iterations)
  --cpu-prof DIR        write CPU profiles of the coordinator and the agent to DIR
  --node-args "FLAGS"   extra Node.js flags of the coordinator and the agent processes (for diagnosis)
  --keep                keep the work folder (logs, timelines) and print where it is
`;

/** The coordinator's defaults (packages/kube), stated so the benchmark measures what a cluster runs. */
const STATUS_QPS = 20;
const STATUS_BURST = 30;
/** Production leader-election timings (the simulator's defaults are short, for fail-over tests). */
const LEADER_ENV = { NMFLEET_LEASE_DURATION_MS: '15000', NMFLEET_RENEW_DEADLINE_MS: '10000', NMFLEET_RETRY_PERIOD_MS: '2000', NMFLEET_SWEEP_INTERVAL_MS: '5000' };
/** The agent's production job lock and stalled-job check (the simulator's defaults are short, for crash tests). */
const AGENT_LOCK_MS = 30_000;
const AGENT_STALLED_INTERVAL_MS = 30_000;
const PROGRESS_INTERVAL_MS = 5000;
const POLL_MS = 100;
const MIB = 1024 * 1024;

function readNumber(flag: string, text: string | undefined, fallback: number, minimum: number, integer = true): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < minimum || (integer && !Number.isInteger(value))) {
    throw new Error(`--${flag} ${JSON.stringify(text)} is invalid: expected ${integer ? 'an integer' : 'a number'} of at least ${minimum}`);
  }
  return value;
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function cpuDelta(after: ProcessReading | undefined, before: ProcessReading | undefined): number | undefined {
  return after === undefined ? undefined : round(after.cpuSeconds - (before?.cpuSeconds ?? 0));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      policies: { type: 'string' },
      'role-policies': { type: 'string' },
      'latency-ms': { type: 'string' },
      'max-unavailable': { type: 'string' },
      qps: { type: 'string' },
      'agent-processes': { type: 'string' },
      'create-concurrency': { type: 'string' },
      burst: { type: 'string' },
      json: { type: 'boolean' },
      'apply-only': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      'node-args': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const maxUnavailableText = values['max-unavailable'] ?? String(DEFAULT_SCALE_SCENARIO.maxUnavailable);
  const options: ScaleScenarioOptions = {
    nodes: readNumber('nodes', values.nodes, DEFAULT_SCALE_SCENARIO.nodes, 1),
    policies: readNumber('policies', values.policies, DEFAULT_SCALE_SCENARIO.policies, 0),
    rolePolicies: readNumber('role-policies', values['role-policies'], DEFAULT_SCALE_SCENARIO.rolePolicies, 0),
    latencyMs: readNumber('latency-ms', values['latency-ms'], DEFAULT_SCALE_SCENARIO.latencyMs, 0),
    maxUnavailable: /^\d+$/.test(maxUnavailableText) ? Number(maxUnavailableText) : maxUnavailableText,
  };
  const qps = readNumber('qps', values.qps, STATUS_QPS, 0.1, false);
  const burst = readNumber('burst', values.burst, STATUS_BURST, 1);
  const createConcurrency = readNumber('create-concurrency', values['create-concurrency'], 32, 1);
  const agentProcesses = readNumber('agent-processes', values['agent-processes'], availableParallelism(), 1);
  const scenario = buildScaleScenario(options);
  const bounds = computeRolloutBounds(scenario, qps);
  const ruleSeconds = simulateNameOrderSchedule(scenario);
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  log(
    `${options.nodes} nodes, ${scenario.policies.length} policies (${options.rolePolicies} role), ${bounds.jobs} jobs of ${options.latencyMs} ms, ` +
      `maxUnavailable ${options.maxUnavailable}, status QPS ${qps} burst ${burst}; bounds: configured ${bounds.configuredBoundSeconds} s ` +
      `(node ${bounds.longestNodeSeconds} s, policy ${bounds.longestPolicySeconds} s), status ${round(bounds.statusBoundSeconds)} s (${bounds.minimumWrites} writes)`,
  );

  const extraNodeArgs = (values['node-args'] ?? '').split(' ').filter((arg) => arg !== '');
  const profile = values['cpu-prof'] === undefined ? undefined : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`];
  const nodeArgs = [...(profile ?? []), ...extraNodeArgs];
  const simulation = await Simulation.start({
    nodeSpecs: scenario.nodes,
    latencyMs: options.latencyMs,
    statusQps: qps,
    statusBurst: burst,
    agentProcesses,
    agentLockDurationMs: AGENT_LOCK_MS,
    agentStalledIntervalMs: AGENT_STALLED_INTERVAL_MS,
    coordinatorEnv: LEADER_ENV,
    ...(values.keep ? { keepWorkDir: true } : {}),
    ...(nodeArgs.length > 0 ? { coordinatorNodeArgs: nodeArgs, agentNodeArgs: nodeArgs } : {}),
    log: (message, fields) => log(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  });
  if (values.keep) log(`work folder (kept): ${simulation.workDir}`);
  const watch = new StatusWatch(simulation.client);
  const agentNames = [...simulation.agentProcesses.keys()];
  const pids = (): Record<string, number | undefined> => ({
    coordinator: simulation.coordinatorProcess?.pid,
    ...Object.fromEntries(agentNames.map((name) => [name, simulation.agentProcesses.get(name)?.pid])),
    redis: simulation.servicePids.redis,
    kubeApiserver: simulation.servicePids.kubeApiserver,
    etcd: simulation.servicePids.etcd,
  });
  /** The agent processes summed (CPU) or their largest (peak RSS). */
  const sumAgents = (readings: Map<string, ProcessReading>): ProcessReading | undefined => {
    const list = agentNames.map((name) => readings.get(name)).filter((r): r is ProcessReading => r !== undefined);
    if (list.length === 0) return undefined;
    return {
      cpuSeconds: list.reduce((sum, r) => sum + r.cpuSeconds, 0),
      peakRssKiB: Math.max(...list.map((r) => r.peakRssKiB)),
      rssKiB: list.reduce((sum, r) => sum + r.rssKiB, 0),
    };
  };
  let sampler: ProcessSampler | undefined;
  try {
    await watch.start();
    // A running cluster: every node has reported and shows its NodeNetworkState before t0.
    const nodeNames = scenario.nodes.map((n) => n.name);
    const fleetOnly = { policies: [], matching: new Map<string, string[]>(), nodes: nodeNames };
    for (let waited = 0; ; waited += 1) {
      watch.noteReportedStates(await simulation.readReportedStates(watch.listStatesNotCurrent(nodeNames)));
      const shown = watch.check(fleetOnly);
      if (shown.completeAt !== undefined) break;
      simulation.assertCoordinatorRunning();
      if (waited % 10 === 0) log(`waiting for the fleet's NodeNetworkStates: ${shown.statesCurrent}/${nodeNames.length} shown`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    watch.forgetReportedStates();
    sampler = new ProcessSampler(pids);
    await simulation.mark();
    const before = sampler.sample();
    const benchCpuBefore = process.cpuUsage();
    const machineBefore = readMachineCpu();
    const t0 = Date.now();
    log('t0: creating the policies');
    await simulation.applyPolicies(scenario.policies, createConcurrency);
    const created = Date.now();
    log(`policies created in ${round((created - t0) / 1000)} s`);

    const expected = { policies: scenario.policies.map((p) => p.metadata?.name ?? ''), matching: scenario.matching, nodes: scenario.nodes.map((n) => n.name) };
    let appliedAt: number | undefined;
    let atApplied: Map<string, ProcessReading> | undefined;
    let machineAtApplied: ReturnType<typeof readMachineCpu> | undefined;
    let benchCpuAtApplied: number | undefined;
    let lastProgress = Date.now();
    let applies = 0;
    let statusAt: number | undefined;
    for (;;) {
      simulation.assertCoordinatorRunning();
      const now = Date.now();
      if (appliedAt === undefined) {
        applies = simulation.countApplies();
        if (applies >= bounds.jobs) {
          appliedAt = simulation.timeline().reduce((latest, entry) => Math.max(latest, entry.endedAt), 0);
          atApplied = sampler.sample();
          machineAtApplied = readMachineCpu();
          const benchCpu = process.cpuUsage(benchCpuBefore);
          benchCpuAtApplied = (benchCpu.user + benchCpu.system) / 1e6;
          log(`every node has applied: ${round((appliedAt - t0) / 1000)} s after t0`);
          if (values['apply-only']) break;
        }
      }
      // Reported states are final once every node has applied; until the API shows them, read them again.
      if (appliedAt !== undefined) watch.noteReportedStates(await simulation.readReportedStates(watch.listStatesNotCurrent(expected.nodes)));
      const progress = watch.check(expected);
      if (progress.completeAt !== undefined) {
        statusAt = progress.completeAt;
        break;
      }
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        const coordinator = sampler.sample().get('coordinator');
        log(
          `${round((now - t0) / 1000, 1)} s: applies ${applies}/${bounds.jobs}; the API shows ${progress.enactmentsAvailable}/${bounds.jobs} enactments and ` +
            `${progress.policiesAvailable}/${expected.policies.length} policies Available, ${progress.statesCurrent}/${expected.nodes.length} node states current; ` +
            `coordinator RSS ${Math.round((coordinator?.rssKiB ?? 0) / 1024)} MiB`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, appliedAt === undefined ? POLL_MS : 1000));
    }
    const end = sampler.sample();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const summary = await simulation.summary();
    const timeline = simulation.timeline();
    const maxInProgress = computeMaxInProgress(timeline);
    const exceeded = scenario.policies.filter((p) => {
      const name = p.metadata?.name ?? '';
      return (maxInProgress.get(name) ?? 0) > resolveMaxUnavailable(p.spec.maxUnavailable, scenario.matching.get(name)?.length ?? 0);
    });
    const records = new Map<string, RecordTimes>();
    const redis = createRedisConnection(simulation.redisConnectionUrl, { connectionName: 'bench' });
    const keys = createKeyLayout(simulation.keyPrefix);
    for (const item of scenario.policies) {
      const name = item.metadata?.name ?? '';
      for (const record of (await simulation.readRollout(name, 1))?.records ?? []) {
        // BullMQ keeps completed jobs (an hour): when each was queued and taken.
        const [queuedAt, activeAt] = record.jobId === undefined ? [] : await redis.hmget(`${keys.bullPrefix}:${record.node}:${record.jobId}`, 'timestamp', 'processedOn');
        records.set(`${record.node}/${name}`, {
          ...record,
          ...(queuedAt ? { queuedAt: Number(queuedAt) } : {}),
          ...(activeAt ? { activeAt: Number(activeAt) } : {}),
        });
      }
    }
    const diagnostics = diagnoseSchedule(t0, timeline, records);
    const memory = await redis.info('memory');
    await redis.quit();
    const redisPeakBytes = Number(/used_memory_peak:(\d+)/.exec(memory)?.[1] ?? 0);

    const configuredSeconds = appliedAt === undefined ? undefined : (appliedAt - t0) / 1000;
    const statusSeconds = statusAt === undefined ? undefined : (statusAt - t0) / 1000;
    // Every request the benchmark itself made (policy creations, its watches) is left out of both sides.
    const apiRequests = summary.apiRequests.total - summary.apiRequests.simulator;
    const apiRequestsMinimum = bounds.minimumWrites;
    const applyWindow = appliedAt === undefined ? undefined : (appliedAt - t0) / 1000;
    const machineBusy =
      machineAtApplied === undefined || applyWindow === undefined
        ? undefined
        : round((machineAtApplied.busySeconds - machineBefore.busySeconds) / (applyWindow * machineBefore.cores));
    // What the machine did besides this benchmark's processes (other work on the shared cores distorts every figure).
    const ours = atApplied === undefined ? 0 : [...atApplied.entries()].reduce((sum, [name, reading]) => sum + reading.cpuSeconds - (before.get(name)?.cpuSeconds ?? 0), 0);
    const otherBusy =
      machineAtApplied === undefined || applyWindow === undefined || benchCpuAtApplied === undefined
        ? undefined
        : round(Math.max(0, machineAtApplied.busySeconds - machineBefore.busySeconds - ours - benchCpuAtApplied) / (applyWindow * machineBefore.cores));
    const result = {
      nodes: options.nodes,
      policies: scenario.policies.length,
      rolePolicies: options.rolePolicies,
      jobs: bounds.jobs,
      latencyMs: options.latencyMs,
      maxUnavailable: options.maxUnavailable,
      qps,
      burst,
      createSeconds: round((created - t0) / 1000),
      configuredSeconds: configuredSeconds === undefined ? undefined : round(configuredSeconds),
      configuredBoundSeconds: bounds.configuredBoundSeconds,
      /** The coordinator's scheduling rule with no overhead at all (see simulateNameOrderSchedule): not a target, an explanation. */
      schedulingRuleSeconds: ruleSeconds,
      configuredRatio: configuredSeconds === undefined ? undefined : round(configuredSeconds / bounds.configuredBoundSeconds),
      /** From the moment every policy existed instead of the first creation: what the creation itself cost is left out. */
      configuredSecondsAfterCreation: appliedAt === undefined ? undefined : round((appliedAt - created) / 1000),
      statusSeconds: statusSeconds === undefined ? undefined : round(statusSeconds),
      statusBoundSeconds: round(bounds.statusBoundSeconds),
      statusRatio: statusSeconds === undefined ? undefined : round(statusSeconds / bounds.statusBoundSeconds),
      apiRequests,
      apiRequestsMinimum,
      apiRequestRatio: round(apiRequests / apiRequestsMinimum),
      apiRequestsByVerb: summary.apiRequests.byVerb,
      apiRequestsByResource: summary.apiRequests.byResource,
      benchmarkRequests: summary.apiRequests.simulator,
      coordinatorPeakRssMiB: Math.round((end.get('coordinator')?.peakRssKiB ?? 0) / 1024),
      coordinatorCpuSeconds: cpuDelta(end.get('coordinator'), before.get('coordinator')),
      agentProcesses,
      agentCpuSeconds: cpuDelta(sumAgents(end), sumAgents(before)),
      agentPeakRssMiB: Math.round((sumAgents(end)?.peakRssKiB ?? 0) / 1024),
      redisCpuSeconds: cpuDelta(end.get('redis'), before.get('redis')),
      kubeApiserverCpuSeconds: cpuDelta(end.get('kubeApiserver'), before.get('kubeApiserver')),
      etcdCpuSeconds: cpuDelta(end.get('etcd'), before.get('etcd')),
      benchmarkCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6),
      redisPeakMemoryMiB: round(redisPeakBytes / MIB, 1),
      applyWindow: {
        cpuSecondsPerJobMs: Object.fromEntries(
          [
            ['coordinator', atApplied?.get('coordinator'), before.get('coordinator')],
            ['agents', atApplied === undefined ? undefined : sumAgents(atApplied), sumAgents(before)],
            ['redis', atApplied?.get('redis'), before.get('redis')],
            ['kubeApiserver', atApplied?.get('kubeApiserver'), before.get('kubeApiserver')],
            ['etcd', atApplied?.get('etcd'), before.get('etcd')],
          ].map(([name, after, start]) => [
            name as string,
            round((((after as ProcessReading | undefined)?.cpuSeconds ?? 0) - ((start as ProcessReading | undefined)?.cpuSeconds ?? 0)) * 1000 / bounds.jobs, 3),
          ]),
        ),
        machineBusyShare: machineBusy,
        otherProcessesBusyShare: otherBusy,
      },
      schedule: diagnostics,
      allAvailable: statusAt !== undefined,
      maxUnavailableExceeded: exceeded.length,
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const lines = [
      `Rollout benchmark: ${result.nodes} nodes, ${result.policies} policies (${result.rolePolicies} role), ${result.jobs} applies of ${result.latencyMs} ms, maxUnavailable ${String(result.maxUnavailable)}, ${result.qps} QPS (burst ${result.burst})`,
      `  every node applied:   ${result.configuredSeconds ?? '—'} s   bound ${result.configuredBoundSeconds} s   ratio ${result.configuredRatio ?? '—'}   (target ≤ 1.2; policies created in ${result.createSeconds} s, ${result.configuredSecondsAfterCreation ?? '—'} s after the last)`,
      `  the scheduling rule alone (no overhead): ${result.schedulingRuleSeconds} s (${round(result.schedulingRuleSeconds / result.configuredBoundSeconds)} × the bound); measured ${result.configuredSeconds === undefined ? '—' : round(result.configuredSeconds / result.schedulingRuleSeconds)} × the rule`,
      `  API shows every status: ${result.statusSeconds ?? '—'} s   bound ${result.statusBoundSeconds} s   ratio ${result.statusRatio ?? '—'}   (target ≤ 1.2)`,
      `  API requests:         ${result.apiRequests}   minimum ${result.apiRequestsMinimum}   ratio ${result.apiRequestRatio}   (target ≤ 1.5)   ${JSON.stringify(result.apiRequestsByVerb)}`,
      `  coordinator:          peak RSS ${result.coordinatorPeakRssMiB} MiB (target ≤ 512)   CPU ${result.coordinatorCpuSeconds} s`,
      `  agent processes (${result.agentProcesses}): CPU ${result.agentCpuSeconds} s   largest peak RSS ${result.agentPeakRssMiB} MiB`,
      `  Redis:                used_memory_peak ${result.redisPeakMemoryMiB} MiB   CPU ${result.redisCpuSeconds} s`,
      `  kube-apiserver CPU ${result.kubeApiserverCpuSeconds} s, etcd CPU ${result.etcdCpuSeconds} s, this benchmark ${result.benchmarkCpuSeconds} s`,
      `  apply window: CPU ms per job ${JSON.stringify(result.applyWindow.cpuSecondsPerJobMs)}, machine busy ${result.applyWindow.machineBusyShare ?? '—'} of ${readMachineCpu().cores} cores (other processes ${result.applyWindow.otherProcessesBusyShare ?? '—'})`,
      `  schedule (ms, p50/p90/max): ${Object.entries(result.schedule)
        .map(([name, value]) => (typeof value === 'number' ? `${name} ${value}` : `${name} ${value.p50}/${value.p90}/${value.max}`))
        .join('; ')}`,
      `  all policies Available: ${result.allAvailable ? 'yes' : 'no'}; maxUnavailable exceeded by ${result.maxUnavailableExceeded} policies`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    sampler?.stop();
    // A profiled coordinator writes its profile on exit: give it the time to drop its pending writes and exit by itself.
    if (profile) await simulation.coordinatorProcess?.stop(60_000);
    await watch.stop();
    await simulation.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:rollout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
