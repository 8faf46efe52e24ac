import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestenvError } from './errors.js';
import { parseScrapeTarget, renderPrometheusConfig } from './prometheus-config.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { findFreePort, retryOnPortRace, waitUntilReady } from './readiness.js';
import { STOP_GRACE_MS, ServiceScope, sweepAbandonedLeases, type ScopeRecord } from './service-scope.js';

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** Scrape (and rule evaluation) interval. Default: 1 000 ms, so tests see fresh samples quickly. */
  readonly scrapeIntervalMs?: number;
  /** `job` label of the scraped targets (targets with another scheme or path get `<jobName>-1`, …). Default: `testenv`. */
  readonly jobName?: string;
  /** The `prometheus` binary. Default: `prometheus` on PATH (Debian's). */
  readonly command?: string;
  /** Deadline for `/-/ready`. Default: 30 000 ms. */
  readonly startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop. Default: 10 000 ms. */
  readonly stopGraceMs?: number;
  /** Keep running after this process exits (the CLI's `up`). Default: false. */
  readonly detached?: boolean;
  /** Events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

/** One series of an instant query result. */
export interface PrometheusSample {
  readonly metric: Readonly<Record<string, string>>;
  /** `[unix seconds, value as text]`. */
  readonly value: readonly [number, string];
}

/** A running Prometheus. */
export interface PrometheusHandle {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** The scrape targets as configured (`host:port` plus metrics path). */
  readonly targets: readonly string[];
  /** Runs an instant PromQL query through `/api/v1/query`; a vector result's samples (scalars come as one sample without labels). */
  query(promql: string): Promise<PrometheusSample[]>;
  /** What a detached instance needs to be stopped later. */
  record(): ScopeRecord;
  /** Stops Prometheus by PID and removes its folder (TSDB included). */
  stop(): Promise<void>;
}

async function queryPrometheus(baseUrl: string, promql: string): Promise<PrometheusSample[]> {
  const response = await fetch(`${baseUrl}/api/v1/query?${new URLSearchParams({ query: promql })}`).catch((error: unknown) => {
    throw new TestenvError('not-running', `Prometheus at ${baseUrl} did not answer`, { cause: error });
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  if (body.status !== 'success' || !body.data) {
    throw new TestenvError('invalid-argument', `Prometheus rejected "${promql}": ${body.error ?? response.statusText}`);
  }
  const { resultType, result } = body.data;
  if (resultType === 'vector') return result as PrometheusSample[];
  if (resultType === 'scalar') return [{ metric: {}, value: result as [number, string] }];
  throw new TestenvError('invalid-argument', `"${promql}" gives a ${resultType}; query() supports instant vectors and scalars`);
}

/**
 * Starts Prometheus on a free 127.0.0.1 port with its own config and TSDB in a
 * temp folder, scraping `targets` every `scrapeIntervalMs`. Ready when `/-/ready`
 * answers 200.
 */
export async function startPrometheus(targets: readonly string[], options: StartPrometheusOptions = {}): Promise<PrometheusHandle> {
  const log = options.log ?? createStderrLogger();
  const parsed = targets.map(parseScrapeTarget);
  const intervalMs = options.scrapeIntervalMs ?? 1_000;
  if (!Number.isInteger(intervalMs) || intervalMs < 100) {
    throw new TestenvError('invalid-argument', `scrapeIntervalMs must be an integer ≥ 100, not ${intervalMs}`);
  }
  const jobName = options.jobName ?? 'testenv';
  if (!/^[a-zA-Z_][\w-]*$/.test(jobName)) throw new TestenvError('invalid-argument', `jobName "${jobName}" must be a plain identifier`);
  if (!options.detached) await sweepAbandonedLeases();
  const startedAt = Date.now();
  return retryOnPortRace(async () => {
    const scope = new ServiceScope('prometheus', { detached: options.detached });
    try {
      const port = await findFreePort();
      const configFile = join(scope.dir, 'prometheus.yml');
      writeFileSync(configFile, renderPrometheusConfig(parsed, jobName, intervalMs));
      mkdirSync(join(scope.dir, 'data'));
      const logFile = join(scope.dir, 'prometheus.log');
      const service = scope.spawn({
        name: 'prometheus',
        command: options.command ?? 'prometheus',
        args: [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(scope.dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--storage.tsdb.retention.time=1d',
          '--log.level=warn',
        ],
        logFile,
      });
      const url = `http://127.0.0.1:${port}`;
      await waitUntilReady(async () => (await fetch(`${url}/-/ready`)).status === 200, {
        service,
        timeoutMs: options.startTimeoutMs ?? 30_000,
        condition: `GET ${url}/-/ready answers 200`,
      });
      log.info('prometheus ready', { url, pid: service.pid, targets: targets.join(','), ms: Date.now() - startedAt });
      return {
        url,
        port,
        pid: service.pid,
        logFile,
        targets: parsed.map((target) => `${target.scheme}://${target.address}${target.metricsPath}`),
        query: (promql) => queryPrometheus(url, promql),
        record: () => scope.record(),
        stop: () => scope.close(options.stopGraceMs ?? STOP_GRACE_MS),
      };
    } catch (error) {
      await scope.close(1_000);
      throw error;
    }
  });
}
