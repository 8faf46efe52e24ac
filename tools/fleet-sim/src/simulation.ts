import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import {
  Informer,
  createKubeClient,
  installNmstateCrds,
  type KubeClient,
  type NodeNetworkConfigurationEnactment,
  type NodeNetworkConfigurationPolicy,
} from '@nmfleet/kube';
import { EnactmentStore, createKeyLayout, createRedisConnection, type RolloutSnapshot } from '@nmfleet/queue';
import { startControlPlane, startRedis, type ControlPlane, type RedisHandle } from '@nmfleet/testenv';
import { parseApiRequestCounts, subtractApiRequestCounts, type ApiRequestCounts } from './api-request-counter.js';
import { AppProcess } from './app-process.js';
import { TimelineReader, computeMaxInProgress, type TimelineEntry } from './apply-timeline.js';
import { generateNodes, readNodesFile, registerNodes, runBounded, type NodeSpec } from './fleet-nodes.js';
import { toManifest } from './policy-files.js';
import { isPolicySettled, viewPolicies, type PolicyView } from './policy-view.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const COORDINATOR_BUNDLE = join(REPO_ROOT, 'apps/coordinator/dist/main.mjs');
const AGENT_BUNDLE = join(REPO_ROOT, 'apps/agent/dist/main.mjs');
const FIELD_MANAGER = 'nmfleet-fleet-sim';

/** Default of `applyPolicies`' concurrency: policies created at once. */
export const DEFAULT_APPLY_CONCURRENCY = 8;
/** Default of {@link SimulationOptions.latencyMs}. */
export const DEFAULT_APPLY_LATENCY_MS = 20;
/** Default of {@link SimulationOptions.settleTimeoutMs}. */
export const DEFAULT_SETTLE_TIMEOUT_MS = 300_000;
/** Log lines of each process that {@link Simulation.describeState} shows. */
const DIAGNOSTIC_LOG_LINES = 15;
/** A structured log line at warn level or above, or a line that is not JSON (a crash's stack). */
const PROBLEM_LINE = /"level":"(warn|error|fatal)"|^(?!\{)/;
/** How often settlement is checked (from informer caches, no API traffic), in milliseconds. */
const SETTLE_POLL_MS = 100;

/** Options of {@link Simulation.start}. */
export interface SimulationOptions {
  /** Generate this many nodes (`sim-node-000…`). */
  nodes?: number;
  /** Or read `{name, labels}` nodes from this JSON file. */
  nodesFile?: string;
  /** Or use these nodes. */
  nodeSpecs?: NodeSpec[];
  /** Apply latency of every simulated host, in milliseconds. Default: {@link DEFAULT_APPLY_LATENCY_MS}. */
  latencyMs?: number;
  /** Probability that an apply fails (0–1). Default: 0. */
  failRate?: number;
  /** Nodes on which every apply fails. Default: none. */
  failNodes?: string[];
  /** Seed of the failure draws. Default: 1. */
  seed?: number;
  /** JSON state every simulated host starts with. Default: a typical node (see the agent). */
  initialStateFile?: string;
  /** Nodes served by agent processes of their own (one each), e.g. to kill one. Default: none. */
  separateAgents?: string[];
  /**
   * Agent processes sharing the other nodes (round-robin), named `agent` when 1, else
   * `agent-1`…: on a real fleet every node has its own agent, so more processes are closer
   * to it and let the simulated agents use more than one core. Default: 1.
   */
  agentProcesses?: number;
  /** Use this cluster instead of starting kube-apiserver (`KUBECONFIG`). */
  kubeconfigPath?: string;
  /** Use this Redis instead of starting one (`REDIS_URL`). */
  redisUrl?: string;
  /** Redis key prefix of this run. Default: a random one. */
  keyPrefix?: string;
  /** The coordinator's status writes per second. Default: the coordinator's (20). */
  statusQps?: number;
  statusBurst?: number;
  /** Agents' job lock: a killed agent's job is redelivered after it. Default: 3000 ms. */
  agentLockDurationMs?: number;
  /** Agents' stalled-job check interval. Default: 1000 ms. */
  agentStalledIntervalMs?: number;
  /** Extra environment of the coordinator. */
  coordinatorEnv?: Record<string, string>;
  /** Node flags of the coordinator process, e.g. `['--cpu-prof']`. */
  coordinatorNodeArgs?: string[];
  /** Node flags of the agent processes, e.g. `['--cpu-prof']`. */
  agentNodeArgs?: string[];
  /** Where logs, timelines and states go. Default: a new temp folder (removed by `stop` unless `keepWorkDir`). */
  workDir?: string;
  keepWorkDir?: boolean;
  /** Progress lines. Default: none. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The JSON summary of a run. */
export interface SimulationSummary {
  policies: (PolicyView & { maxInProgress: number })[];
  wallSeconds: number;
  apiRequests: ApiRequestCounts & { simulator: number };
  nodes: number;
  applies: { total: number; failed: number };
}

/**
 * A simulated fleet against a real kube-apiserver and Redis: Node objects, one agent
 * process hosting the simulated nodes (plus optional processes for named nodes), and
 * the coordinator as its own process (so it can be killed and measured separately).
 * It reads what users read, the API, to decide when policies have settled.
 */
export class Simulation {
  readonly client: KubeClient;
  readonly nodes: readonly NodeSpec[];
  readonly workDir: string;
  readonly keyPrefix: string;
  private coordinator: AppProcess | undefined;
  private readonly agents = new Map<string, AppProcess>();
  private readonly timelineFiles: string[] = [];
  private readonly timelineReader = new TimelineReader();
  private readonly policyInformer: Informer<NodeNetworkConfigurationPolicy>;
  private readonly enactmentInformer: Informer<NodeNetworkConfigurationEnactment>;
  private simulatorRequests = 0;
  private coordinatorStarts = 0;
  private markRequests: ApiRequestCounts | undefined;
  private markSimulatorRequests = 0;
  private markTime = 0;
  /** Policies this simulation created and has not deleted: what "every policy" means. */
  private readonly applied = new Set<string>();
  private readonly killedCoordinators = new WeakSet<AppProcess>();

  private constructor(
    private readonly options: SimulationOptions,
    private readonly kubeconfigPath: string,
    kubeConfig: KubeConfig,
    private readonly redisUrl: string,
    private readonly services: { controlPlane?: ControlPlane; redis?: RedisHandle },
    nodes: NodeSpec[],
    workDir: string,
  ) {
    this.nodes = nodes;
    this.workDir = workDir;
    this.keyPrefix = options.keyPrefix ?? `sim-${randomBytes(4).toString('hex')}`;
    this.client = createKubeClient({ kubeConfig, onRequest: () => (this.simulatorRequests += 1) });
    this.policyInformer = new Informer(this.client.policies);
    this.enactmentInformer = new Informer(this.client.enactments);
  }

  /** Starts what is needed and registers the nodes; the fleet then waits for policies. */
  static async start(options: SimulationOptions): Promise<Simulation> {
    const log = options.log ?? (() => undefined);
    const nodes = options.nodeSpecs ?? (options.nodesFile !== undefined ? readNodesFile(options.nodesFile) : generateNodes(options.nodes ?? 3));
    const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'nmfleet-sim-'));
    mkdirSync(workDir, { recursive: true });
    ensureBundles(log);
    const services: { controlPlane?: ControlPlane; redis?: RedisHandle } = {};
    try {
      let kubeconfigPath = options.kubeconfigPath;
      let kubeConfig: KubeConfig;
      if (kubeconfigPath === undefined) {
        log('starting kube-apiserver');
        services.controlPlane = await startControlPlane();
        kubeconfigPath = services.controlPlane.kubeconfigPath;
        kubeConfig = services.controlPlane.kubeConfig();
      } else {
        kubeConfig = new KubeConfig();
        kubeConfig.loadFromFile(kubeconfigPath);
      }
      let redisUrl = options.redisUrl;
      if (redisUrl === undefined) {
        services.redis = await startRedis();
        redisUrl = services.redis.url;
      }
      const simulation = new Simulation(options, kubeconfigPath, kubeConfig, redisUrl, services, nodes, workDir);
      await simulation.prepare(kubeConfig, log);
      return simulation;
    } catch (error) {
      await services.redis?.stop();
      await services.controlPlane?.stop();
      throw error;
    }
  }

  private async prepare(kubeConfig: KubeConfig, log: (message: string, fields?: Record<string, unknown>) => void): Promise<void> {
    await installNmstateCrds(this.client);
    log('registering nodes', { nodes: this.nodes.length });
    await registerNodes(this.client, this.nodes);
    this.policyInformer.start();
    this.enactmentInformer.start();
    await Promise.all([this.policyInformer.waitForSync(), this.enactmentInformer.waitForSync()]);

    const cluster = kubeConfig.getCurrentCluster();
    const agentArgs = ['--api-server', cluster?.server ?? ''];
    if (cluster?.caData !== undefined) {
      const caFile = join(this.workDir, 'api-ca.pem');
      writeFileSync(caFile, Buffer.from(cluster.caData, 'base64'));
      agentArgs.push('--api-ca-file', caFile);
    } else if (cluster?.caFile !== undefined) {
      agentArgs.push('--api-ca-file', cluster.caFile);
    }
    this.agentArgs = agentArgs;
    const separate = new Set(this.options.separateAgents ?? []);
    const shared = this.nodes.filter((node) => !separate.has(node.name)).map((node) => node.name);
    const processes = Math.max(1, Math.min(shared.length, this.options.agentProcesses ?? 1));
    if (processes === 1 && shared.length > 0) this.startAgentProcess('agent', shared);
    for (let i = 0; processes > 1 && i < processes; i += 1) {
      this.startAgentProcess(`agent-${i + 1}`, shared.filter((_, index) => index % processes === i));
    }
    for (const node of separate) this.startAgentProcess(node, [node]);
    this.startCoordinator();
    log('fleet running', { workDir: this.workDir, keyPrefix: this.keyPrefix });
  }

  private agentArgs: string[] = [];

  /** The Redis this simulation uses. */
  get redisConnectionUrl(): string {
    return this.redisUrl;
  }

  /** The kubeconfig of the cluster this simulation uses (for `kubectl`). */
  get kubeconfigFile(): string {
    return this.kubeconfigPath;
  }

  /** The coordinator's log file (of its latest start). */
  get coordinatorLog(): string {
    return join(this.workDir, `coordinator-${this.coordinatorStarts}.log`);
  }

  /** Starts a coordinator process (another one may already run: they elect a leader). */
  startCoordinator(): AppProcess {
    this.coordinatorStarts += 1;
    const env: Record<string, string> = {
      KUBECONFIG: this.kubeconfigPath,
      REDIS_URL: this.redisUrl,
      NMFLEET_KEY_PREFIX: this.keyPrefix,
      NMFLEET_METRICS_PORT: '0',
      NMFLEET_METRICS_HOST: '127.0.0.1',
      NMFLEET_LEADER_ELECTION_NAMESPACE: 'default',
      NMFLEET_LEADER_ELECTION_NAME: `nmfleet-coordinator-${this.keyPrefix}`,
      NMFLEET_IDENTITY: this.coordinatorIdentity(this.coordinatorStarts),
      // Short terms, so a successor takes over quickly after a SIGKILL.
      NMFLEET_LEASE_DURATION_MS: '4000',
      NMFLEET_RENEW_DEADLINE_MS: '3000',
      NMFLEET_RETRY_PERIOD_MS: '500',
      NMFLEET_SWEEP_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
      ...(this.options.statusQps !== undefined ? { NMFLEET_STATUS_QPS: String(this.options.statusQps) } : {}),
      ...(this.options.statusBurst !== undefined ? { NMFLEET_STATUS_BURST: String(this.options.statusBurst) } : {}),
      ...this.options.coordinatorEnv,
    };
    this.coordinator = AppProcess.start('coordinator', COORDINATOR_BUNDLE, [], env, this.coordinatorLog, this.options.coordinatorNodeArgs);
    return this.coordinator;
  }

  /**
   * The base URL of the running coordinator's `/metrics`, `/healthz` and `/readyz`, read
   * from its start-up log line (it listens on a free port); waits for that line.
   */
  async coordinatorMetricsUrl(timeoutMs = 30_000): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const text = existsSync(this.coordinatorLog) ? readFileSync(this.coordinatorLog, 'utf8') : '';
      for (const line of text.split('\n')) {
        if (!line.includes('"coordinator started"')) continue;
        const metrics = (JSON.parse(line) as { metrics?: unknown }).metrics;
        if (typeof metrics === 'string') return metrics;
      }
      this.assertCoordinatorRunning();
      if (performance.now() > deadline) throw new Error(`the coordinator did not log its metrics address within ${timeoutMs} ms (${this.coordinatorLog})`);
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 100));
    }
  }

  /** The identity holding the coordinators' Lease, if any (`coordinator-<start>-<prefix>`). */
  async leaseHolder(): Promise<string | undefined> {
    const lease = await this.client.leases('default').find(`nmfleet-coordinator-${this.keyPrefix}`);
    return lease?.spec?.holderIdentity;
  }

  /** The identity of the coordinator of the `start`-th start (1-based). */
  coordinatorIdentity(start: number): string {
    return `coordinator-${start}-${this.keyPrefix}`;
  }

  /** SIGKILLs the coordinator (a crash), leaving its Lease to expire. */
  async killCoordinator(): Promise<void> {
    if (this.coordinator !== undefined) this.killedCoordinators.add(this.coordinator);
    await this.coordinator?.kill();
  }

  /** The agent processes, by name (`agent`, or the node of a separate one). */
  get agentProcesses(): ReadonlyMap<string, AppProcess> {
    return this.agents;
  }

  /** The running coordinator process, if any. */
  get coordinatorProcess(): AppProcess | undefined {
    return this.coordinator;
  }

  private startAgentProcess(name: string, nodes: readonly string[]): AppProcess {
    const nodesFile = join(this.workDir, `${name}.nodes.json`);
    const specs = new Map(this.nodes.map((node) => [node.name, node]));
    writeFileSync(
      nodesFile,
      JSON.stringify(
        nodes.map((node) => {
          const spec = specs.get(node);
          return {
            name: node,
            ...(spec?.initialState ? { initialState: spec.initialState } : {}),
            ...(spec?.applyLatencyMs !== undefined ? { applyLatencyMs: spec.applyLatencyMs } : {}),
          };
        }),
      ),
    );
    const timeline = join(this.workDir, `${name}.timeline.jsonl`);
    if (!this.timelineFiles.includes(timeline)) this.timelineFiles.push(timeline);
    const stateDir = join(this.workDir, 'states');
    mkdirSync(stateDir, { recursive: true });
    const failNodes = (this.options.failNodes ?? []).filter((node) => nodes.includes(node));
    const args = [
      '--simulated',
      '--nodes-file', nodesFile,
      '--redis-url', this.redisUrl,
      '--key-prefix', this.keyPrefix,
      '--latency-ms', String(this.options.latencyMs ?? DEFAULT_APPLY_LATENCY_MS),
      '--fail-rate', String(this.options.failRate ?? 0),
      '--seed', String(this.options.seed ?? 1),
      '--timeline', timeline,
      '--state-dir', stateDir,
      '--lock-duration-ms', String(this.options.agentLockDurationMs ?? 3000),
      '--stalled-interval-ms', String(this.options.agentStalledIntervalMs ?? 1000),
      '--probe-retry-window-ms', '0',
      '--log-level', 'warn',
      ...this.agentArgs,
    ];
    if (failNodes.length > 0) args.push('--fail-nodes', failNodes.join(','));
    if (this.options.initialStateFile !== undefined) args.push('--initial-state', this.options.initialStateFile);
    const agent = AppProcess.start(`agent ${name}`, AGENT_BUNDLE, args, {}, join(this.workDir, `${name}.agent.log`), this.options.agentNodeArgs);
    this.agents.set(name, agent);
    return agent;
  }

  /** SIGKILLs the agent process serving `node` (started with `separateAgents`). */
  async killAgent(node: string): Promise<void> {
    const agent = this.agents.get(node);
    if (agent === undefined) throw new Error(`${node} has no agent process of its own (list it in separateAgents)`);
    await agent.kill();
  }

  /** Starts the agent process of `node` again (after {@link killAgent}). */
  restartAgent(node: string): AppProcess {
    if (this.agents.get(node)?.isRunning) throw new Error(`the agent of ${node} still runs`);
    return this.startAgentProcess(node, [node]);
  }

  /** The rollout records of a policy generation, straight from Redis (the source of truth). */
  async readRollout(policy: string, generation: number): Promise<RolloutSnapshot | undefined> {
    const redis = createRedisConnection(this.redisUrl, { connectionName: 'fleet-sim' });
    try {
      return await new EnactmentStore({ connection: redis, keys: createKeyLayout(this.keyPrefix) }).readRollout(policy, generation);
    } finally {
      await redis.quit();
    }
  }

  /** The states the nodes last reported (what their NodeNetworkStates must show), straight from Redis. */
  async readReportedStates(nodes: readonly string[]): Promise<Map<string, unknown>> {
    const redis = createRedisConnection(this.redisUrl, { connectionName: 'fleet-sim' });
    try {
      const store = new EnactmentStore({ connection: redis, keys: createKeyLayout(this.keyPrefix) });
      const states = new Map<string, unknown>();
      for (const node of nodes) states.set(node, await store.readNodeState(node));
      return states;
    } finally {
      await redis.quit();
    }
  }

  /** Suspends a service the simulation started (SIGSTOP): it stays up but answers nothing, as if unreachable. */
  pauseService(service: 'redis' | 'kube-apiserver'): void {
    process.kill(this.servicePid(service), 'SIGSTOP');
  }

  /** Resumes a service suspended by {@link pauseService}. */
  resumeService(service: 'redis' | 'kube-apiserver'): void {
    process.kill(this.servicePid(service), 'SIGCONT');
  }

  /** PIDs of the services this simulation started (for measurements). */
  get servicePids(): { redis?: number; kubeApiserver?: number; etcd?: number } {
    return {
      ...(this.services.redis ? { redis: this.services.redis.pid } : {}),
      ...(this.services.controlPlane ? { kubeApiserver: this.services.controlPlane.pids.kubeApiserver, etcd: this.services.controlPlane.pids.etcd } : {}),
    };
  }

  private servicePid(service: 'redis' | 'kube-apiserver'): number {
    const pid = service === 'redis' ? this.services.redis?.pid : this.services.controlPlane?.pids.kubeApiserver;
    if (pid === undefined) throw new Error(`${service} was not started by this simulation`);
    return pid;
  }

  /** Marks the start of the measured part: API requests and wall time count from here. */
  async mark(): Promise<void> {
    this.markRequests = await this.readApiRequests();
    this.markSimulatorRequests = this.simulatorRequests;
    this.markTime = performance.now();
  }

  /**
   * Creates or updates policies (server-side apply of the manifest: only what a user writes),
   * `concurrency` requests at a time (default {@link DEFAULT_APPLY_CONCURRENCY}).
   */
  async applyPolicies(policies: readonly NodeNetworkConfigurationPolicy[], concurrency = DEFAULT_APPLY_CONCURRENCY): Promise<void> {
    await runBounded(policies, concurrency, async (policy) => {
      await this.client.policies.apply(toManifest(policy), { fieldManager: FIELD_MANAGER, force: true });
      this.applied.add(policy.metadata?.name ?? '');
    });
  }

  async deletePolicy(name: string): Promise<void> {
    await this.client.policies.delete(name);
    this.applied.delete(name);
  }

  /** The policies as the API shows them now (from the simulator's informers). */
  viewPolicies(): PolicyView[] {
    return viewPolicies(this.policyInformer.list(), this.enactmentInformer.list(), this.nodes);
  }

  /** The enactments as the API shows them now. */
  listEnactments(): NodeNetworkConfigurationEnactment[] {
    return this.enactmentInformer.list();
  }

  /**
   * Waits until every policy this simulation applied (or the named ones) has settled as
   * users see it; throws naming the unsettled ones on timeout.
   */
  async waitUntilSettled(options: { timeoutMs?: number; policies?: readonly string[] } = {}): Promise<PolicyView[]> {
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS);
    const wanted = new Set(options.policies ?? this.applied);
    for (;;) {
      const views = this.viewPolicies().filter((view) => wanted.has(view.name));
      const unsettled = views.filter((view) => !isPolicySettled(view));
      if (unsettled.length === 0 && views.length === wanted.size) return views;
      this.assertCoordinatorRunning();
      if (performance.now() > deadline) {
        const seen = new Set(views.map((v) => v.name));
        const missing = [...wanted].filter((name) => !seen.has(name));
        throw new Error(
          `policies did not settle in time: ${unsettled.map((v) => `${v.name} (${v.status}: ${v.message}; ${JSON.stringify(v.nodes)})`).join('; ')}` +
            (missing.length > 0 ? `; not seen: ${missing.join(', ')}` : '') +
            `\n${this.describeState()}`,
        );
      }
      await new Promise((resolveSleep) => setTimeout(resolveSleep, SETTLE_POLL_MS));
    }
  }

  /**
   * What a person debugging a stuck run looks at first, as text: each policy as the API
   * shows it, whether each process runs, and its last warnings and log lines. Test helpers
   * append it to their timeout errors, so a failure in CI explains itself.
   */
  describeState(logLines = DIAGNOSTIC_LOG_LINES): string {
    const lines: string[] = ['policies (as the API shows them):'];
    for (const view of this.viewPolicies()) {
      lines.push(`  ${view.name} generation ${view.generation}: ${view.status} ${view.reason} ${JSON.stringify(view.nodes)} ${view.message}`.trimEnd());
    }
    const unseen = [...this.applied].filter((name) => this.policyInformer.get(name) === undefined);
    if (unseen.length > 0) lines.push(`  created but not seen by the simulator: ${unseen.join(', ')}`);
    lines.push(`applies finished: ${this.countApplies()}`);
    const processes: [string, AppProcess | undefined][] = [
      ['coordinator', this.coordinator],
      ...[...this.agents].map(([name, agent]): [string, AppProcess] => [`agent ${name}`, agent]),
    ];
    for (const [name, child] of processes) {
      if (child === undefined) continue;
      const text = existsSync(child.logFile) ? readFileSync(child.logFile, 'utf8').trimEnd() : '';
      const all = text === '' ? [] : text.split('\n');
      const problems = all.filter((line) => PROBLEM_LINE.test(line)).slice(-logLines);
      lines.push(`${name} (pid ${child.pid}) ${child.isRunning ? 'running' : `exited with code ${String(child.code)}`}; ${child.logFile}:`);
      lines.push(`  last warnings and errors (${problems.length}):`, ...problems.map((line) => `    ${line}`));
      lines.push('  last lines:', ...all.slice(-logLines).map((line) => `    ${line}`));
    }
    return lines.join('\n');
  }

  /** Throws, with the end of its log, when the coordinator exited without being told to. */
  assertCoordinatorRunning(): void {
    const coordinator = this.coordinator;
    if (coordinator === undefined || coordinator.isRunning || this.killedCoordinators.has(coordinator)) return;
    const log = existsSync(this.coordinatorLog) ? readFileSync(this.coordinatorLog, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    throw new Error(`the coordinator exited with code ${String(coordinator.code)}:\n${log}`);
  }

  /** How many applies have finished so far (all agent processes), without copying them. */
  countApplies(): number {
    return this.timelineReader.read(this.timelineFiles).length;
  }

  /** Every finished apply so far (all agent processes). */
  timeline(): TimelineEntry[] {
    return [...this.timelineReader.read(this.timelineFiles)];
  }

  /** The summary of the run since {@link mark}. */
  async summary(): Promise<SimulationSummary> {
    const after = await this.readApiRequests();
    const requests = subtractApiRequestCounts(after, this.markRequests ?? after);
    const timeline = this.timeline();
    const maxInProgress = computeMaxInProgress(timeline);
    return {
      policies: this.viewPolicies().map((view) => ({ ...view, maxInProgress: maxInProgress.get(view.name) ?? 0 })),
      wallSeconds: Number(((performance.now() - this.markTime) / 1000).toFixed(3)),
      apiRequests: { ...requests, simulator: this.simulatorRequests - this.markSimulatorRequests },
      nodes: this.nodes.length,
      applies: { total: timeline.length, failed: timeline.filter((entry) => entry.outcome === 'failure').length },
    };
  }

  /** Stops every process (coordinator first, gracefully) and the services it started. */
  async stop(): Promise<void> {
    await this.coordinator?.stop();
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    await Promise.all([this.policyInformer.stop(), this.enactmentInformer.stop()]);
    await this.services.redis?.stop();
    await this.services.controlPlane?.stop();
    if (this.options.workDir === undefined && !this.options.keepWorkDir) rmSync(this.workDir, { recursive: true, force: true });
  }

  private async readApiRequests(): Promise<ApiRequestCounts> {
    if (this.services.controlPlane !== undefined) return parseApiRequestCounts(await this.services.controlPlane.metricsText());
    const response = await this.client.send({ verb: 'get', resource: 'metrics' }, { method: 'GET', path: '/metrics', accept: 'text/plain' });
    return parseApiRequestCounts(String(response.body));
  }
}

let bundlesBuilt = false;

/** Builds the coordinator and agent bundles once per process (esbuild, about a second each). */
function ensureBundles(log: (message: string) => void): void {
  if (bundlesBuilt && existsSync(COORDINATOR_BUNDLE) && existsSync(AGENT_BUNDLE)) return;
  log('bundling the coordinator and the agent');
  for (const app of ['apps/coordinator', 'apps/agent']) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'tools/scripts/bundle-app.mjs'), join(REPO_ROOT, app)], { stdio: 'inherit' });
  }
  bundlesBuilt = true;
}
