import { Agent, request } from 'node:http';
import { Gauge } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoordinatorMetrics } from './coordinator-metrics.js';
import { isTelemetryError } from './errors.js';
import { METRIC_NAMES } from './metric-definitions.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { startTelemetryServer, type TelemetryServer, type TelemetryServerOptions } from './telemetry-server.js';
import { findSampleValue, parsePrometheusText } from './testing/index.js';

const started: TelemetryServer[] = [];

async function start(options: Partial<TelemetryServerOptions> = {}): Promise<TelemetryServer> {
  const server = await startTelemetryServer({ registry: createMetricsRegistry({ processMetrics: false }), ...options });
  started.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function expectRejection(promise: Promise<unknown>, kind: string, messagePart: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isTelemetryError(error, kind as never), String(error)).toBe(true);
  expect((error as Error).message).toContain(messagePart);
}

describe('startTelemetryServer', () => {
  it('serves the registry at /metrics in the Prometheus text format on a free loopback port', async () => {
    const metrics = createCoordinatorMetrics(createMetricsRegistry());
    metrics.recordProbeFailure({ probe: 'dns' });
    const server = await start({ registry: metrics.registry });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheusText(await response.text());
    expect(findSampleValue(samples, METRIC_NAMES.probeFailures, { probe: 'dns' })).toBe(1);
    expect(samples.some((sample) => sample.name === 'process_resident_memory_bytes')).toBe(true);
  });

  it('answers /healthz and /readyz with 200 ok by default', async () => {
    const server = await start();
    for (const path of ['/healthz', '/readyz', '/readyz?verbose']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toBe('ok\n');
    }
  });

  it('answers 503 with a short reason when a check fails, throws or hangs', async () => {
    let healthy: boolean = false;
    const server = await start({
      isHealthy: () => healthy,
      isReady: async () => ({ ok: false, reason: 'informers not synced:\n  nodes' }),
      checkTimeoutMs: 50,
    });
    let response = await fetch(`${server.url}/healthz`);
    expect([response.status, await response.text()]).toEqual([503, 'unhealthy\n']);
    healthy = true;
    response = await fetch(`${server.url}/healthz`);
    expect([response.status, await response.text()]).toEqual([200, 'ok\n']);
    response = await fetch(`${server.url}/readyz`);
    expect([response.status, await response.text()]).toEqual([503, 'not ready: informers not synced: nodes\n']);

    const throwing = await start({
      isReady: () => {
        throw new Error('redis: connection refused');
      },
    });
    response = await fetch(`${throwing.url}/readyz`);
    expect([response.status, await response.text()]).toEqual([503, 'not ready: redis: connection refused\n']);

    const hanging = await start({ isHealthy: () => new Promise<boolean>(() => {}), checkTimeoutMs: 50 });
    response = await fetch(`${hanging.url}/healthz`);
    expect([response.status, await response.text()]).toEqual([503, 'unhealthy: check did not answer within 50 ms\n']);
  });

  it('answers 404 for other paths, 405 for other methods, and HEAD without a body', async () => {
    const server = await start();
    let response = await fetch(`${server.url}/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('/metrics');
    response = await fetch(`${server.url}/metrics`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    response = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers 500 when the registry cannot render', async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    new Gauge({
      name: 'broken_gauge',
      help: 'fails on collect',
      registers: [registry],
      collect() {
        throw new Error('collector exploded');
      },
    });
    const server = await start({ registry });
    const response = await fetch(`${server.url}/metrics`);
    expect([response.status, await response.text()]).toEqual([500, 'error: collector exploded\n']);
  });

  it('refuses a bad port or registry, and reports an address in use', async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    await expectRejection(startTelemetryServer({ registry, port: 70000 }), 'invalid-option', 'from 0 to 65535');
    await expectRejection(startTelemetryServer({ registry: undefined as never }), 'invalid-option', 'Registry');
    const first = await start();
    await expectRejection(startTelemetryServer({ registry, port: first.port }), 'listen-failed', `127.0.0.1:${first.port}`);
  });

  it('closes even while a client keeps its connection alive, and closing twice is harmless', async () => {
    const server = await start();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/metrics`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
