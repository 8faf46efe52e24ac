import { buildUpstreamFleet, isPolicySettled, Simulation, type PolicyView } from '@nmfleet/fleet-sim';
import { startPrometheus, type PrometheusHandle } from '@nmfleet/testenv';
import type { DemoOptions } from './demo-options.js';
import { ProgressDisplay, type ProgressOutput } from './progress-view.js';

/** How often the API view is refreshed (from the simulator's informers: no API traffic), in milliseconds. */
const REFRESH_INTERVAL_MS = 250;
/** Prometheus' scrape interval of the coordinator, in milliseconds. */
const SCRAPE_INTERVAL_MS = 2000;

/** Ready-made queries printed with the Prometheus URL. */
export const DEMO_QUERIES: readonly { title: string; promql: string }[] = [
  { title: 'policies by state', promql: 'nmfleet_policies' },
  { title: 'enactments by state (upstream gauge)', promql: 'sum by (status) (kubernetes_nmstate_enactments_status)' },
  { title: 'Kubernetes requests by verb and resource', promql: 'sum by (verb, resource) (nmfleet_kube_requests_total)' },
  { title: 'status writes waiting', promql: 'nmfleet_status_writes_pending' },
  { title: 'p90 apply duration (s)', promql: 'histogram_quantile(0.9, sum by (le) (rate(nmfleet_apply_duration_seconds_bucket[5m])))' },
];

/** Where the demo writes: the summary and progress (`out`), and log lines (`log`). */
export interface DemoIo {
  out: ProgressOutput;
  log: (line: string) => void;
  /** Aborted by Ctrl-C (or SIGTERM): stop waiting and tear down. */
  interrupted: AbortSignal;
}

function graphUrl(prometheus: PrometheusHandle, promql: string): string {
  return `${prometheus.url}/graph?${new URLSearchParams({ 'g0.expr': promql, 'g0.tab': '0', 'g0.range_input': '15m' })}`;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs the demo from start to end and returns the exit status: 0 when every policy
 * ended Available, 1 when one did not (or the rollout timed out), 130 when
 * interrupted before the summary. Everything it started is stopped by PID before it
 * returns.
 */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<number> {
  const { out, log } = io;
  const fleet = buildUpstreamFleet({ nodes: options.nodes, namePrefix: 'demo-node-' });
  log(`[demo] ${fleet.nodes.length} simulated nodes in ${fleet.groups.size} groups (${[...fleet.groups].map(([g, n]) => `${g} ${n}`).join(', ')}); ${fleet.policies.length} upstream example policies (kubernetes-nmstate’s 19 and nmstate’s bridge-on-default-gw nmpolicy)`);
  let simulation: Simulation | undefined;
  let prometheus: PrometheusHandle | undefined;
  try {
    simulation = await Simulation.start({
      nodeSpecs: fleet.nodes,
      latencyMs: options.latencyMs,
      ...(options.qps !== undefined ? { statusQps: options.qps } : {}),
      ...(options.burst !== undefined ? { statusBurst: options.burst } : {}),
      log: (message, fields) => log(`[demo] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
    });
    if (io.interrupted.aborted) return 130;
    const metricsUrl = await simulation.coordinatorMetricsUrl();
    prometheus = await startPrometheus([new URL(metricsUrl).host], { jobName: 'nmfleet-coordinator', scrapeIntervalMs: SCRAPE_INTERVAL_MS });
    await simulation.mark();
    const started = performance.now();
    out.write(`Applying ${fleet.policies.length} policies to ${fleet.nodes.length} nodes (apply ${options.latencyMs} ms each)…\n`);
    await simulation.applyPolicies(fleet.policies);

    const display = new ProgressDisplay(out);
    const deadline = started + options.timeoutSeconds * 1000;
    let views: PolicyView[] = [];
    let settled = false;
    while (!io.interrupted.aborted) {
      simulation.assertCoordinatorRunning();
      views = simulation.viewPolicies();
      settled = views.length === fleet.policies.length && views.every(isPolicySettled);
      const now = performance.now();
      display.update(views, (now - started) / 1000, now, settled);
      if (settled || now > deadline) break;
      await sleep(REFRESH_INTERVAL_MS, io.interrupted);
    }
    if (io.interrupted.aborted) return 130;
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = await simulation.summary();

    const unexpected = views.filter((view) => view.status !== 'Available');
    out.write(`\n${settled ? 'Rollout finished' : `Rollout did not settle within ${options.timeoutSeconds} s`} in ${wallSeconds.toFixed(1)} s.\n\n`);
    const nameWidth = Math.max(...views.map((view) => view.name.length), 6);
    out.write(`${'policy'.padEnd(nameWidth)}  ${'status'.padEnd(11)} ${'reason'.padEnd(24)} message\n`);
    for (const view of views) out.write(`${view.name.padEnd(nameWidth)}  ${view.status.padEnd(11)} ${view.reason.padEnd(24)} ${view.message}\n`);
    const coordinatorRequests = summary.apiRequests.total - summary.apiRequests.simulator;
    out.write(
      `\nAPI requests (kube-apiserver's apiserver_request_total, since the policies were applied): ${summary.apiRequests.total} ` +
        `(${coordinatorRequests} by the coordinator, ${summary.apiRequests.simulator} by the demo itself)\n`,
    );
    out.write(`\nPrometheus: ${prometheus.url} (scraping the coordinator at ${metricsUrl}/metrics)\n`);
    for (const query of DEMO_QUERIES) out.write(`  ${query.title}: ${query.promql}\n    ${graphUrl(prometheus, query.promql)}\n`);
    out.write(
      `\nLook at the objects with kubectl:\n  export KUBECONFIG=${simulation.kubeconfigFile}\n  kubectl get nncp\n  kubectl get nnce\n  kubectl get nns\n`,
    );
    if (unexpected.length > 0) out.write(`\nNot Available: ${unexpected.map((view) => `${view.name} (${view.status}: ${view.message})`).join('; ')}\n`);
    const status = settled && unexpected.length === 0 ? 0 : 1;

    if (out.isTTY && !options.exit) {
      out.write('\nEverything keeps running. Press Ctrl-C to stop it all.\n');
      await waitForAbort(io.interrupted);
    } else {
      out.write('\nStopping everything (run on a terminal without --exit to keep it running).\n');
    }
    return status;
  } finally {
    log('[demo] stopping');
    // testenv's own signal handler has already stopped the API server and Redis on Ctrl-C:
    // the coordinator could no longer hand its Lease over, so it is not asked to.
    if (io.interrupted.aborted) await simulation?.killCoordinator();
    await prometheus?.stop();
    await simulation?.stop();
  }
}
