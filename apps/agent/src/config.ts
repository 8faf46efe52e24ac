import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_KEY_PREFIX } from '@nmfleet/queue';
import { LOG_THRESHOLDS, type LogThreshold } from '@nmfleet/telemetry';

/** Everything the agent process is told, validated. Only this file reads `process.env`. */
export interface AgentConfig {
  /** Serve simulated hosts instead of this machine's NetworkManager. */
  simulated: boolean;
  /** The nodes served: one real node, or many simulated ones. */
  nodes: string[];
  redisUrl: string;
  keyPrefix: string;
  /** D-Bus address of the real node's NetworkManager (default: nm-backend's, i.e. the system bus). */
  dbusAddress?: string;
  /** Network namespace of the real node (default: the agent's own). */
  namespace?: string;
  /** API server URL for the `api-server` probe; the probe is left out when unknown. */
  apiServerUrl?: string;
  apiServerCaPem?: string;
  logLevel: LogThreshold;
  /** Port of `/metrics`; no endpoint when unset. */
  metricsPort?: number;
  rollbackTimeoutSeconds?: number;
  probeTimeoutMs?: number;
  probeRetryWindowMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  simulation: {
    /** Per-node initial states from the nodes file (entries with `initialState`). */
    nodeStates: Record<string, Record<string, unknown>>;
    /** Per-node apply latencies from the nodes file (entries with `applyLatencyMs`). */
    nodeLatenciesMs: Record<string, number>;
    applyLatencyMs: number;
    failRate: number;
    failNodes: string[];
    seed: number;
    initialState?: Record<string, unknown>;
    stateDir?: string;
    timelineFile?: string;
  };
}

/** A usage problem: main prints it and exits with status 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const AGENT_USAGE = `Usage: nmfleet-agent [--simulated --nodes-file FILE | --node NAME] [options]

  --node NAME                 the node served (default: $NODE_NAME)
  --simulated                 serve simulated hosts (one per node of --nodes-file)
  --nodes-file FILE           JSON list of node names or {"name", "initialState"?, "applyLatencyMs"?} objects
  --redis-url URL             Redis (default: $REDIS_URL)
  --key-prefix P              isolation prefix of the Redis keys (default: $NMFLEET_KEY_PREFIX or "${DEFAULT_KEY_PREFIX}")
  --dbus-address ADDR         NetworkManager's bus (default: $DBUS_SYSTEM_BUS_ADDRESS or the system bus)
  --netns NAME                network namespace of the node (default: the agent's own)
  --api-server URL            API server for the api-server probe (default: $NMFLEET_API_SERVER,
                              or https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT)
  --api-ca-file FILE          CA of the API server (default: the service account's, when present)
  --metrics-port N            serve /metrics, /healthz, /readyz on this port
  --log-level L               ${LOG_THRESHOLDS.join('|')} (default: $LOG_LEVEL or info)
  --rollback-timeout-seconds N  checkpoint rollback timeout (default 60)
  --probe-timeout-ms N        deadline of one probe run (default 2000)
  --probe-retry-window-ms N   how long a failing probe is retried after a change (default 10000)
  --lock-duration-ms N        job lock; a dead agent's job is redelivered after it (default 30000)
  --stalled-interval-ms N     how often stalled jobs are looked for (default 30000)
  --max-stalled-count N       redeliveries before a stalled job fails (default 3)
Simulation:
  --latency-ms N              apply latency (default 0)
  --fail-rate R               probability 0..1 that an apply fails (default 0)
  --fail-nodes a,b            nodes on which every apply fails
  --seed N                    seed of the failure draws (default 1)
  --initial-state FILE        JSON state every host starts with (default: a typical node)
  --state-dir DIR             journal each host's state there after each job, load it at start
  --timeline FILE             append one JSON line per finished apply
`;

function parseNumber(name: string, text: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new ConfigError(`--${name} ${JSON.stringify(text)} is invalid: expected ${expected}`);
  }
  return value;
}

const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;
const nonNegativeInteger = (n: number) => Number.isInteger(n) && n >= 0;

function readJsonFile(flag: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--${flag} ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`--${flag} ${path} is not JSON: ${(error as Error).message}`);
  }
}

function readNodesFile(path: string): {
  nodes: string[];
  nodeStates: Record<string, Record<string, unknown>>;
  nodeLatenciesMs: Record<string, number>;
} {
  const parsed = readJsonFile('nodes-file', path);
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ConfigError(`--nodes-file ${path} is invalid: expected a non-empty JSON list of names or {"name": …} objects`);
  }
  const nodeStates: Record<string, Record<string, unknown>> = {};
  const nodeLatenciesMs: Record<string, number> = {};
  const nodes = parsed.map((entry, index) => {
    const name = typeof entry === 'string' ? entry : (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '') {
      throw new ConfigError(`--nodes-file ${path}: entry ${index} has no name: expected a string or {"name": "…"}`);
    }
    const initialState = typeof entry === 'object' && entry !== null ? (entry as { initialState?: unknown }).initialState : undefined;
    if (initialState !== undefined) {
      if (typeof initialState !== 'object' || initialState === null || Array.isArray(initialState)) {
        throw new ConfigError(`--nodes-file ${path}: entry ${index} (${name}) has an initialState that is not an object (a network state)`);
      }
      nodeStates[name] = initialState as Record<string, unknown>;
    }
    const latency = typeof entry === 'object' && entry !== null ? (entry as { applyLatencyMs?: unknown }).applyLatencyMs : undefined;
    if (latency !== undefined) {
      if (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 0) {
        throw new ConfigError(`--nodes-file ${path}: entry ${index} (${name}) has an applyLatencyMs that is not a whole number of milliseconds`);
      }
      nodeLatenciesMs[name] = latency;
    }
    return name;
  });
  return { nodes, nodeStates, nodeLatenciesMs };
}

/** Parses the command line and environment; throws {@link ConfigError} naming what was expected. */
export function loadAgentConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        simulated: { type: 'boolean' },
        node: { type: 'string' },
        'nodes-file': { type: 'string' },
        'redis-url': { type: 'string' },
        'key-prefix': { type: 'string' },
        'api-server': { type: 'string' },
        'dbus-address': { type: 'string' },
        netns: { type: 'string' },
        'api-ca-file': { type: 'string' },
        'metrics-port': { type: 'string' },
        'log-level': { type: 'string' },
        'rollback-timeout-seconds': { type: 'string' },
        'probe-timeout-ms': { type: 'string' },
        'probe-retry-window-ms': { type: 'string' },
        'lock-duration-ms': { type: 'string' },
        'stalled-interval-ms': { type: 'string' },
        'max-stalled-count': { type: 'string' },
        'latency-ms': { type: 'string' },
        'fail-rate': { type: 'string' },
        'fail-nodes': { type: 'string' },
        seed: { type: 'string' },
        'initial-state': { type: 'string' },
        'state-dir': { type: 'string' },
        timeline: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help) throw new ConfigError('');
  const str = (name: string) => values[name] as string | undefined;
  const simulated = values.simulated === true;

  let nodes: string[];
  let nodeStates: Record<string, Record<string, unknown>> = {};
  let nodeLatenciesMs: Record<string, number> = {};
  if (str('nodes-file') !== undefined) {
    if (!simulated) throw new ConfigError('--nodes-file serves many nodes and needs --simulated (a real agent serves one node: --node)');
    ({ nodes, nodeStates, nodeLatenciesMs } = readNodesFile(str('nodes-file') ?? ''));
  } else {
    const node = str('node') ?? env.NODE_NAME;
    if (node === undefined || node === '') throw new ConfigError('no node to serve: expected --node NAME, $NODE_NAME, or --simulated --nodes-file FILE');
    nodes = [node];
  }

  const redisUrl = str('redis-url') ?? env.REDIS_URL;
  if (redisUrl === undefined || redisUrl === '') throw new ConfigError('no Redis: expected --redis-url URL or $REDIS_URL');

  const logLevel = str('log-level') ?? env.LOG_LEVEL ?? 'info';
  if (!(LOG_THRESHOLDS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`--log-level ${JSON.stringify(logLevel)} is invalid: expected one of ${LOG_THRESHOLDS.join(', ')}`);
  }

  const inCluster =
    env.KUBERNETES_SERVICE_HOST !== undefined ? `https://${env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT ?? '443'}` : undefined;
  const apiServerUrl = str('api-server') ?? env.NMFLEET_API_SERVER ?? inCluster;
  const serviceAccountCa = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';
  const caFile = str('api-ca-file') ?? (inCluster !== undefined ? serviceAccountCa : undefined);
  let apiServerCaPem: string | undefined;
  if (caFile !== undefined) {
    try {
      apiServerCaPem = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`--api-ca-file ${caFile} cannot be read: ${(error as Error).message}`);
    }
  }

  const failRate = parseNumber('fail-rate', str('fail-rate'), (n) => n >= 0 && n <= 1, 'a probability from 0 to 1') ?? 0;
  const initialStateFile = str('initial-state');
  const initialState = initialStateFile === undefined ? undefined : readJsonFile('initial-state', initialStateFile);
  if (initialState !== undefined && (typeof initialState !== 'object' || initialState === null || Array.isArray(initialState))) {
    throw new ConfigError(`--initial-state ${initialStateFile} is invalid: expected a JSON object (a network state)`);
  }

  const config: AgentConfig = {
    simulated,
    nodes,
    redisUrl,
    keyPrefix: str('key-prefix') ?? env.NMFLEET_KEY_PREFIX ?? DEFAULT_KEY_PREFIX,
    logLevel: logLevel as LogThreshold,
    simulation: {
      nodeStates,
      nodeLatenciesMs,
      applyLatencyMs: parseNumber('latency-ms', str('latency-ms'), nonNegativeInteger, 'a whole number of milliseconds') ?? 0,
      failRate,
      failNodes: (str('fail-nodes') ?? '').split(',').map((n) => n.trim()).filter((n) => n !== ''),
      seed: parseNumber('seed', str('seed'), Number.isInteger, 'an integer') ?? 1,
    },
  };
  if (apiServerUrl !== undefined) config.apiServerUrl = apiServerUrl;
  if (str('dbus-address') !== undefined) config.dbusAddress = str('dbus-address');
  if (str('netns') !== undefined) config.namespace = str('netns');
  if (apiServerCaPem !== undefined) config.apiServerCaPem = apiServerCaPem;
  const optionalNumbers: [keyof AgentConfig, string, (n: number) => boolean, string][] = [
    ['metricsPort', 'metrics-port', (n) => nonNegativeInteger(n) && n < 65_536, 'a port number'],
    ['rollbackTimeoutSeconds', 'rollback-timeout-seconds', positiveInteger, 'a positive whole number of seconds'],
    ['probeTimeoutMs', 'probe-timeout-ms', positiveInteger, 'a positive whole number of milliseconds'],
    ['probeRetryWindowMs', 'probe-retry-window-ms', nonNegativeInteger, 'a whole number of milliseconds'],
    ['lockDurationMs', 'lock-duration-ms', positiveInteger, 'a positive whole number of milliseconds'],
    ['stalledIntervalMs', 'stalled-interval-ms', positiveInteger, 'a positive whole number of milliseconds'],
    ['maxStalledCount', 'max-stalled-count', nonNegativeInteger, 'a whole number'],
  ];
  for (const [key, flag, check, expected] of optionalNumbers) {
    const value = parseNumber(flag, str(flag), check, expected);
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  if (initialState !== undefined) config.simulation.initialState = initialState as Record<string, unknown>;
  if (str('state-dir') !== undefined) config.simulation.stateDir = str('state-dir');
  if (str('timeline') !== undefined) config.simulation.timelineFile = str('timeline');
  const unknownFailNodes = config.simulation.failNodes.filter((n) => !nodes.includes(n));
  if (unknownFailNodes.length > 0) {
    throw new ConfigError(`--fail-nodes names nodes this agent does not serve: ${unknownFailNodes.join(', ')}`);
  }
  return config;
}
