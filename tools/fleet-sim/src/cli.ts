import { parseArgs } from 'node:util';
import { readSimulatorEnvironment } from './config.js';
import { runSimulation, type RunSimulationOptions } from './run-simulation.js';

const USAGE = `Usage: npm run sim -- (--nodes N | --nodes-file FILE) --policies DIR [options]

  --nodes N             simulate N nodes (sim-node-000…, labels kubernetes.io/hostname, node-role.kubernetes.io/worker)
  --nodes-file FILE     or the nodes of a JSON list of {"name", "labels"}
  --policies DIR        NodeNetworkConfigurationPolicy manifests to apply
  --latency-ms N        simulated apply latency (default 20)
  --fail-rate R         probability 0..1 that an apply fails (default 0)
  --fail-nodes a,b      nodes on which every apply fails
  --initial-state FILE  JSON state every simulated host starts with (default: a typical node)
  --status-qps N        the coordinator's status writes per second (default 20)
  --status-burst N      its burst (default 30)
  --timeout-seconds N   how long policies may take to settle (default 300)
  --keep                keep the work folder (logs, timelines)
  --json                print the summary as JSON (default: a table)

Uses KUBECONFIG and REDIS_URL when set; otherwise starts kube-apiserver and Redis.
`;

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} ${JSON.stringify(text)} is invalid: expected a non-negative number`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      'nodes-file': { type: 'string' },
      policies: { type: 'string' },
      'latency-ms': { type: 'string' },
      'fail-rate': { type: 'string' },
      'fail-nodes': { type: 'string' },
      'initial-state': { type: 'string' },
      'status-qps': { type: 'string' },
      'status-burst': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.policies === undefined || (values.nodes === undefined && values['nodes-file'] === undefined)) {
    process.stderr.write(`fleet-sim: expected --policies DIR and --nodes N or --nodes-file FILE\n${USAGE}`);
    process.exit(2);
  }
  const options: RunSimulationOptions = {
    policiesDir: values.policies,
    log: (message, fields) => process.stderr.write(`[fleet-sim] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`),
  };
  if (values['nodes-file'] !== undefined) options.nodesFile = values['nodes-file'];
  else options.nodes = positive('nodes', values.nodes) ?? 0;
  const latency = positive('latency-ms', values['latency-ms']);
  if (latency !== undefined) options.latencyMs = latency;
  const failRate = positive('fail-rate', values['fail-rate']);
  if (failRate !== undefined) options.failRate = failRate;
  if (values['fail-nodes'] !== undefined) options.failNodes = values['fail-nodes'].split(',').filter((n) => n !== '');
  if (values['initial-state'] !== undefined) options.initialStateFile = values['initial-state'];
  const qps = positive('status-qps', values['status-qps']);
  if (qps !== undefined) options.statusQps = qps;
  const burst = positive('status-burst', values['status-burst']);
  if (burst !== undefined) options.statusBurst = burst;
  const timeout = positive('timeout-seconds', values['timeout-seconds']);
  if (timeout !== undefined) options.settleTimeoutMs = timeout * 1000;
  if (values.keep) options.keepWorkDir = true;
  Object.assign(options, readSimulatorEnvironment());

  const summary = await runSimulation(options);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  for (const policy of summary.policies) {
    const n = policy.nodes;
    process.stdout.write(
      `${policy.name.padEnd(40)} ${policy.status.padEnd(11)} ${policy.reason.padEnd(24)} ` +
        `matching=${n.matching} available=${n.available} failing=${n.failing} aborted=${n.aborted} maxInProgress=${policy.maxInProgress}/${policy.maxUnavailable}\n`,
    );
  }
  process.stdout.write(`wall ${summary.wallSeconds}s, API requests ${summary.apiRequests.total} (simulator ${summary.apiRequests.simulator})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
