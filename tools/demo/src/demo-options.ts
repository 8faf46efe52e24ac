import { parseArgs } from 'node:util';
import { DEFAULT_UPSTREAM_FLEET_NODES, MIN_UPSTREAM_FLEET_NODES } from '@nmfleet/fleet-sim';

/** Default of {@link DemoOptions.nodes}. */
export const DEFAULT_DEMO_NODES = DEFAULT_UPSTREAM_FLEET_NODES;
/** The fewest nodes the demo runs on: one per group of upstream examples. */
export const MIN_DEMO_NODES = MIN_UPSTREAM_FLEET_NODES;

/** Default of {@link DemoOptions.latencyMs}: slow enough to watch, quick enough to finish in a minute. */
export const DEFAULT_DEMO_LATENCY_MS = 300;
/** Default of {@link DemoOptions.timeoutSeconds}. */
export const DEFAULT_DEMO_TIMEOUT_SECONDS = 600;

/** What the demo is told on its command line. */
export interface DemoOptions {
  /** Simulated nodes. Default: {@link DEFAULT_DEMO_NODES}. */
  nodes: number;
  /** Simulated apply latency, in milliseconds. Default: {@link DEFAULT_DEMO_LATENCY_MS}. */
  latencyMs: number;
  /** The coordinator's status writes per second; unset: its default (20). */
  qps?: number;
  /** Its burst; unset: its default (30). */
  burst?: number;
  /** How long the policies may take to settle, in seconds. Default: {@link DEFAULT_DEMO_TIMEOUT_SECONDS}. */
  timeoutSeconds: number;
  /** Stop everything after the summary even on a terminal. Default: false. */
  exit: boolean;
  help: boolean;
}

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Starts a local kube-apiserver, Redis, the coordinator, simulated nodes and Prometheus,
applies kubernetes-nmstate's example policies (selectors adapted to the simulated
nodes), shows the rollout as the API shows it, and prints a summary.

  --nodes N            simulated nodes (default ${DEFAULT_DEMO_NODES}, at least ${MIN_DEMO_NODES})
  --latency-ms N       simulated apply latency per policy and node (default ${DEFAULT_DEMO_LATENCY_MS})
  --qps N              the coordinator's status writes per second (default 20)
  --burst N            their burst (default 30)
  --timeout-seconds N  how long the policies may take to settle (default ${DEFAULT_DEMO_TIMEOUT_SECONDS})
  --exit               stop everything after the summary, even on a terminal
  -h, --help           show this help

On a terminal, everything keeps running after the summary until Ctrl-C; otherwise
(pipes, CI) everything stops and the demo exits: 0 when every policy is Available.
`;

/** A command-line problem; the demo prints it with the usage and exits with status 2. */
export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
}

function readNumber(flag: string, text: string | undefined, minimum: number, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < minimum || (integer && !Number.isInteger(value))) {
    throw new DemoUsageError(`--${flag} ${JSON.stringify(text)} is invalid: expected ${integer ? 'an integer' : 'a number'} of at least ${minimum}`);
  }
  return value;
}

/** Parses the demo's arguments; throws {@link DemoUsageError} naming what was expected. */
export function parseDemoOptions(args: readonly string[]): DemoOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        nodes: { type: 'string' },
        'latency-ms': { type: 'string' },
        qps: { type: 'string' },
        burst: { type: 'string' },
        'timeout-seconds': { type: 'string' },
        exit: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new DemoUsageError(error instanceof Error ? error.message : String(error));
  }
  const text = (name: string) => values[name] as string | undefined;
  const options: DemoOptions = {
    nodes: readNumber('nodes', text('nodes'), MIN_DEMO_NODES, true) ?? DEFAULT_DEMO_NODES,
    latencyMs: readNumber('latency-ms', text('latency-ms'), 0, true) ?? DEFAULT_DEMO_LATENCY_MS,
    timeoutSeconds: readNumber('timeout-seconds', text('timeout-seconds'), 1, false) ?? DEFAULT_DEMO_TIMEOUT_SECONDS,
    exit: values.exit === true,
    help: values.help === true,
  };
  const qps = readNumber('qps', text('qps'), 0.1, false);
  if (qps !== undefined) options.qps = qps;
  const burst = readNumber('burst', text('burst'), 1, true);
  if (burst !== undefined) options.burst = burst;
  return options;
}
