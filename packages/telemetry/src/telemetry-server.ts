import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { TelemetryError } from './errors.js';

/** What a health or readiness check answers: a plain flag, or a flag with the reason it is false. */
export type HealthCheckResult = boolean | { readonly ok: boolean; readonly reason?: string };

/** A health or readiness check; it may be async. */
export type HealthCheck = () => HealthCheckResult | Promise<HealthCheckResult>;

/** Options of {@link startTelemetryServer}. */
export interface TelemetryServerOptions {
  /** Address to listen on. Default `127.0.0.1`; a Pod that Prometheus scrapes uses `0.0.0.0`. */
  readonly host?: string;
  /** Port to listen on; `0` picks a free one. Default `0`. */
  readonly port?: number;
  /** The registry `/metrics` serves. */
  readonly registry: Registry;
  /** Liveness for `/healthz`. Default: always healthy. */
  readonly isHealthy?: HealthCheck;
  /** Readiness for `/readyz`. Default: always ready. */
  readonly isReady?: HealthCheck;
  /** A check that has not answered after this long counts as failed. Default 5000 ms. */
  readonly checkTimeoutMs?: number;
}

/** A running telemetry endpoint. */
export interface TelemetryServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (append `/metrics`). */
  readonly url: string;
  /** The port it listens on (the chosen one when `port` was 0). */
  readonly port: number;
  /** Stops listening and closes open connections; safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_CHECK_TIMEOUT_MS = 5000;
const TEXT = 'text/plain; charset=utf-8';

/**
 * Serves `/metrics` (Prometheus text format), `/healthz` and `/readyz`
 * (200 `ok`, or 503 with a short reason) over HTTP. GET and HEAD only.
 *
 * @throws TelemetryError `invalid-option` for a bad port or a missing registry,
 *   `listen-failed` when the address cannot be bound.
 */
export async function startTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new TelemetryError('invalid-option', `port must be an integer from 0 to 65535, got ${String(requestedPort)}`);
  }
  if (options.registry == null || typeof options.registry.metrics !== 'function') {
    throw new TelemetryError('invalid-option', 'registry must be a prom-client Registry');
  }
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const { registry } = options;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, request, 500, TEXT, `error: ${readMessage(error)}\n`);
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, request, 405, TEXT, 'method not allowed\n');
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    switch (path) {
      case '/metrics':
        send(response, request, 200, registry.contentType, await registry.metrics());
        return;
      case '/healthz':
        return answerCheck(request, response, options.isHealthy, 'unhealthy');
      case '/readyz':
        return answerCheck(request, response, options.isReady, 'not ready');
      default:
        send(response, request, 404, TEXT, 'not found: try /metrics, /healthz or /readyz\n');
    }
  }

  async function answerCheck(
    request: IncomingMessage,
    response: ServerResponse,
    check: HealthCheck | undefined,
    failure: string,
  ): Promise<void> {
    const result = check ? await runCheck(check, checkTimeoutMs) : { ok: true };
    if (result.ok) send(response, request, 200, TEXT, 'ok\n');
    else send(response, request, 503, TEXT, `${failure}${result.reason ? `: ${result.reason}` : ''}\n`);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      reject(new TelemetryError('listen-failed', `cannot listen on ${host}:${requestedPort}: ${error.message}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Prometheus keeps its connection alive between scrapes; without this
        // close() would wait for the peer to hang up.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<{ ok: boolean; reason?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `check did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    if (typeof result === 'boolean') return { ok: result };
    return result.reason === undefined ? { ok: result.ok } : { ok: result.ok, reason: collapseToOneLine(result.reason) };
  } catch (error) {
    return { ok: false, reason: collapseToOneLine(readMessage(error)) };
  } finally {
    clearTimeout(timer);
  }
}

function send(response: ServerResponse, request: IncomingMessage, status: number, type: string, body: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.setHeader('Cache-Control', 'no-store');
  response.end(request.method === 'HEAD' ? undefined : body);
}

function readMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function collapseToOneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
