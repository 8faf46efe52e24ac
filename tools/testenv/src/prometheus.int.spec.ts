import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTestenvError } from './errors.js';
import { pollUntil } from './poll-until.js';
import { identifyProcess, isProcessAlive } from './process-identity.js';
import { startPrometheus, type PrometheusHandle } from './prometheus.js';

describe('startPrometheus scraping a prom-client endpoint', () => {
  let server: Server;
  let target: string;
  let prometheus: PrometheusHandle;
  let scrapes = 0;

  beforeAll(async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'testenv_probe_total', help: 'Probes seen by the test endpoint.', registers: [registry] });
    counter.inc(5);
    server = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      scrapes++;
      void registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    target = `127.0.0.1:${address.port}`;
    prometheus = await startPrometheus([target], { scrapeIntervalMs: 1_000 });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers up == 1 for the target through its HTTP API', async () => {
    const samples = await pollUntil(
      async () => {
        const result = await prometheus.query('up == 1');
        return result.length > 0 ? result : undefined;
      },
      { timeoutMs: 30_000, description: 'Prometheus to scrape the prom-client endpoint' },
    );
    expect(samples.map((sample) => sample.metric)).toEqual([{ __name__: 'up', instance: target, job: 'testenv' }]);
    expect(scrapes).toBeGreaterThan(0);
  });

  it('stores the values prom-client exposes', async () => {
    const samples = await pollUntil(async () => {
      const result = await prometheus.query('testenv_probe_total');
      return result.length > 0 ? result : undefined;
    });
    expect(samples[0]?.value[1]).toBe('5');
  });

  it('refuses a malformed target before starting anything', async () => {
    const error = await startPrometheus(['not a target']).catch((e: unknown) => e);
    expect(isTestenvError(error, 'invalid-argument')).toBe(true);
  });

  it('stops by PID and leaves no process or folder behind', async () => {
    const identity = identifyProcess(prometheus.pid);
    if (!identity) throw new Error(`prometheus pid ${prometheus.pid} is not running`);
    await prometheus.stop();
    expect(isProcessAlive(identity)).toBe(false);
    expect(existsSync(dirname(prometheus.logFile))).toBe(false);
  });
});
