// Prints what telemetry costs the coordinator, each figure beside a baseline
// measured in the same run: `npx tsx packages/telemetry/bench/telemetry.bench.ts`.
import { Counter, Registry } from 'prom-client';
import { performance } from 'node:perf_hooks';
import {
  ENACTMENT_STATES,
  countNetworkState,
  createCoordinatorMetrics,
  createLogger,
  createMetricsRegistry,
  type CoordinatorMetrics,
} from '../src/index.js';

const NODES = 1000;
const POLICIES = 500;

function measureMicrosPerCall(iterations: number, action: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 1000); i++) action(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) action(i);
  return ((performance.now() - start) * 1000) / iterations;
}

async function timeScrape(registry: Registry, rounds: number): Promise<{ micros: number; bytes: number }> {
  let bytes = (await registry.metrics()).length;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) bytes = (await registry.metrics()).length;
  return { micros: ((performance.now() - start) * 1000) / rounds, bytes };
}

function feedFleet(metrics: CoordinatorMetrics): void {
  const nodes = Array.from({ length: NODES }, (_, i) => `worker-${i}`);
  const enactments = nodes.flatMap((node, n) =>
    Array.from({ length: 6 }, (_, k) => ({
      node,
      policy: `policy-${(n * 6 + k) % POLICIES}`,
      state: ENACTMENT_STATES[(n + k) % ENACTMENT_STATES.length],
    })),
  );
  metrics.setEnactmentStates(enactments);
  metrics.setPolicyStates(Array.from({ length: POLICIES }, (_, i) => ({ name: `policy-${i}`, state: 'Available' as const })));
  const counts = countNetworkState({
    interfaces: [{ type: 'ethernet' }, { type: 'ethernet' }, { type: 'linux-bridge' }],
    routes: { config: [{ destination: '0.0.0.0/0' }], running: [{ destination: '0.0.0.0/0' }, { destination: '::/0' }] },
  });
  for (const node of nodes) metrics.setNodeNetworkState(node, counts);
}

function formatRatio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}×`;
}

async function main(): Promise<void> {
  // Scrape: the coordinator's registry empty, then with a 1,000-node fleet's
  // upstream per-node gauges, against prom-client's own process metrics alone.
  const processOnly = createMetricsRegistry();
  const fresh = createCoordinatorMetrics(createMetricsRegistry());
  const fleet = createCoordinatorMetrics(createMetricsRegistry());
  const feedStart = performance.now();
  feedFleet(fleet);
  const feedMs = performance.now() - feedStart;
  const base = await timeScrape(processOnly, 50);
  const empty = await timeScrape(fresh.registry, 50);
  const full = await timeScrape(fleet.registry, 20);
  console.log(`scrape, process metrics only:          ${base.micros.toFixed(0)} µs, ${base.bytes} bytes (baseline)`);
  console.log(`scrape, coordinator metrics, no fleet: ${empty.micros.toFixed(0)} µs, ${empty.bytes} bytes (${formatRatio(empty.micros, base.micros)})`);
  console.log(`scrape, ${NODES} nodes × ${POLICIES} policies:   ${full.micros.toFixed(0)} µs, ${full.bytes} bytes (${formatRatio(full.micros, base.micros)})`);
  console.log(`feeding that fleet's snapshot once:     ${feedMs.toFixed(1)} ms`);

  // Recording: one Kubernetes request through the normalising API against a
  // bare prom-client counter with the same labels.
  const bareRegistry = new Registry();
  const bare = new Counter({ name: 'bare_total', help: 'baseline', labelNames: ['verb', 'resource', 'code'], registers: [bareRegistry] });
  const recorded = createCoordinatorMetrics(createMetricsRegistry({ processMetrics: false }));
  const iterations = 200_000;
  const bareMicros = measureMicrosPerCall(iterations, () => bare.inc({ verb: 'patch', resource: 'nodenetworkstates', code: '2xx' }));
  const oursMicros = measureMicrosPerCall(iterations, (i) =>
    recorded.recordKubeRequest({ verb: 'patch', resource: 'nodenetworkstates/status', code: 200 + (i % 2), durationSeconds: 0.01 }),
  );
  console.log(`counter.inc, bare prom-client:          ${(bareMicros * 1000).toFixed(0)} ns (baseline)`);
  console.log(`recordKubeRequest (count + histogram):  ${(oursMicros * 1000).toFixed(0)} ns (${formatRatio(oursMicros, bareMicros)})`);

  // Logging: one line with five fields, against JSON.stringify of the same object.
  const sink = { write: (_chunk: string) => true };
  const logger = createLogger({ name: 'coordinator', destination: sink, format: 'json' }).child({ policy: 'br1', generation: 3 });
  const fields = { node: 'worker-17', outcome: 'success', durationSeconds: 0.21 };
  const stringifyMicros = measureMicrosPerCall(iterations, () =>
    sink.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', name: 'coordinator', msg: 'applied', policy: 'br1', generation: 3, ...fields })}\n`),
  );
  const loggerMicros = measureMicrosPerCall(iterations, () => logger.info('applied', fields));
  console.log(`JSON.stringify of the same line:        ${(stringifyMicros * 1000).toFixed(0)} ns (baseline)`);
  console.log(`logger.info with 5 fields:              ${(loggerMicros * 1000).toFixed(0)} ns (${formatRatio(loggerMicros, stringifyMicros)})`);
}

await main();
