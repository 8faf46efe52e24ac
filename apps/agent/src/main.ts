import { createKeyLayout, createRedisConnection } from '@nmfleet/queue';
import { createAgentMetrics, createLogger, createMetricsRegistry, runMain, startTelemetryServer, stopOnSignals, type Logger } from '@nmfleet/telemetry';
import { startAgent, type AgentNode, type RunningAgent } from './agent.js';
import { AGENT_USAGE, ConfigError, loadAgentConfig, type AgentConfig } from './config.js';
import { createApiServerProbe } from './probes/api-server-probe.js';
import { shareProbe, type Probe } from './probes/probe.js';
import { createRedisProbe } from './probes/redis-probe.js';
import { createRealNode } from './real-node.js';
import { ApplyTimeline } from './simulated/apply-timeline.js';
import { createSimulatedFleet } from './simulated/simulated-fleet.js';

/** How long the simulated fleet's nodes share one answer of the API server and Redis probes, in milliseconds. */
const SHARED_PROBE_TTL_MS = 2000;

async function run(config: AgentConfig, logger: Logger): Promise<() => Promise<void>> {
  const redis = createRedisConnection(config.redisUrl, {
    connectionName: `nmfleet-agent:${config.nodes.length === 1 ? config.nodes[0] : `${config.nodes.length}-nodes`}`,
    onError: (error) => logger.warn('redis connection error', { error }),
  });
  const registry = createMetricsRegistry();
  const metrics = createAgentMetrics(registry);
  const telemetry =
    config.metricsPort === undefined ? undefined : await startTelemetryServer({ host: '0.0.0.0', port: config.metricsPort, registry });

  const realProbes: Probe[] = [createRedisProbe(redis)];
  if (config.apiServerUrl !== undefined) {
    realProbes.push(createApiServerProbe({ serverUrl: config.apiServerUrl, ...(config.apiServerCaPem ? { caPem: config.apiServerCaPem } : {}) }));
  }
  let nodes: AgentNode[];
  let timeline: ApplyTimeline | undefined;
  let onJobStart: ((node: string, job: Parameters<NonNullable<Parameters<typeof startAgent>[0]['onJobStart']>>[1]) => void) | undefined;
  if (config.simulated) {
    timeline = config.simulation.timelineFile === undefined ? undefined : new ApplyTimeline(config.simulation.timelineFile);
    const fleet = createSimulatedFleet({
      nodes: config.nodes,
      applyLatencyMs: config.simulation.applyLatencyMs,
      failRate: config.simulation.failRate,
      failNodes: config.simulation.failNodes,
      seed: config.simulation.seed,
      ...(config.simulation.initialState ? { initialState: config.simulation.initialState as never } : {}),
      nodeStates: config.simulation.nodeStates as never,
      nodeLatenciesMs: config.simulation.nodeLatenciesMs,
      ...(config.simulation.stateDir ? { stateDir: config.simulation.stateDir } : {}),
      ...(timeline ? { timeline } : {}),
      sharedProbes: realProbes.map((probe) => shareProbe(probe, SHARED_PROBE_TTL_MS)),
    });
    nodes = fleet.nodes;
    onJobStart = fleet.onJobStart;
  } else {
    nodes = [
      await createRealNode(config.nodes[0] ?? '', {
        sharedProbes: realProbes,
        ...(config.dbusAddress !== undefined ? { busAddress: config.dbusAddress } : {}),
        ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
      }),
    ];
  }
  const agent: RunningAgent = await startAgent({
    connection: redis,
    keys: createKeyLayout(config.keyPrefix),
    nodes,
    logger,
    metrics,
    worker: {
      ...(config.lockDurationMs !== undefined ? { lockDurationMs: config.lockDurationMs } : {}),
      ...(config.stalledIntervalMs !== undefined ? { stalledIntervalMs: config.stalledIntervalMs } : {}),
      ...(config.maxStalledCount !== undefined ? { maxStalledCount: config.maxStalledCount } : {}),
    },
    processor: {
      ...(config.rollbackTimeoutSeconds !== undefined ? { rollbackTimeoutSeconds: config.rollbackTimeoutSeconds } : {}),
      ...(config.probeTimeoutMs !== undefined ? { probeTimeoutMs: config.probeTimeoutMs } : {}),
      ...(config.probeRetryWindowMs !== undefined ? { probeRetryWindowMs: config.probeRetryWindowMs } : {}),
    },
    ...(onJobStart ? { onJobStart } : {}),
  });
  logger.info('agent ready', { nodes: nodes.length, simulated: config.simulated, metrics: telemetry?.url });
  return async () => {
    await agent.close();
    await timeline?.close();
    await telemetry?.close();
    await redis.quit();
  };
}

async function main(): Promise<void> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      if (error.message !== '') process.stderr.write(`nmfleet-agent: ${error.message}\n`);
      process.stderr.write(AGENT_USAGE);
      process.exit(error.message === '' ? 0 : 2);
    }
    throw error;
  }
  const logger = createLogger({ name: 'agent', level: config.logLevel });
  const stop = await run(config, logger);
  stopOnSignals(logger, stop);
}

runMain('nmfleet-agent', main);
