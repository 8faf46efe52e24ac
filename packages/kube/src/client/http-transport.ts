import http from 'node:http';
import https from 'node:https';
import {
  HttpMethod as ClientHttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  Watch,
  type KubeConfig,
} from '@kubernetes/client-node';
import { createKubeErrorFromNetwork, createKubeErrorFromResponse, KubeError } from './kube-error.js';
import type { KubeRequest, KubeResponse, KubeTransport, QueryParams, WatchEvent, WatchHandlers, WatchRequest } from './transport.js';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /**
   * Connections kept open to the API server and reused across requests.
   * Default 32: enough for the status writer's in-flight writes plus reads.
   */
  maxSockets?: number;
}

const WATCH_EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function appendQuery(url: URL, query: QueryParams | undefined): void {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
}

/**
 * The transport to a real API server, over `@kubernetes/client-node`: its
 * `KubeConfig` supplies the server, credentials (refreshed per request, so
 * exec and OIDC tokens keep working) and TLS material; its fetch-based HTTP
 * library sends requests and its `Watch` streams watches.
 *
 * Unlike client-node's own API classes, which build a new agent (and so a new
 * TLS connection) for every call, requests share one keep-alive agent: at 20
 * writes per second a handshake per write would cost more than the write.
 */
export function createHttpTransport(kubeConfig: KubeConfig, options: HttpTransportOptions = {}): KubeTransport {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new KubeError('invalid-argument', 'the kubeconfig has no current cluster: expected a current-context naming a cluster');
  }
  const server = cluster.server.replace(/\/+$/, '');
  const library = new IsomorphicFetchHttpLibrary();
  const watcher = new Watch(kubeConfig);
  let sharedAgent: http.Agent | undefined;

  async function prepare(): Promise<{ headers: Record<string, string>; agent: http.Agent }> {
    const options_: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(options_);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(options_.headers ?? {})) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    if (typeof options_.auth === 'string') headers.Authorization = `Basic ${Buffer.from(options_.auth).toString('base64')}`;
    if (sharedAgent === undefined) {
      if (cluster?.proxyUrl !== undefined && options_.agent instanceof http.Agent) {
        sharedAgent = options_.agent;
      } else if (server.startsWith('http:')) {
        sharedAgent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 32 });
      } else {
        const tls: https.AgentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32 };
        if (options_.ca !== undefined) tls.ca = options_.ca;
        if (options_.cert !== undefined) tls.cert = options_.cert;
        if (options_.key !== undefined) tls.key = options_.key;
        if (options_.pfx !== undefined) tls.pfx = options_.pfx;
        if (options_.passphrase !== undefined) tls.passphrase = options_.passphrase;
        if (options_.servername !== undefined) tls.servername = options_.servername;
        if (options_.rejectUnauthorized !== undefined) tls.rejectUnauthorized = options_.rejectUnauthorized;
        else if (cluster?.skipTLSVerify === true) tls.rejectUnauthorized = false;
        sharedAgent = new https.Agent(tls);
      }
    }
    return { headers, agent: sharedAgent };
  }

  return {
    async request(request: KubeRequest): Promise<KubeResponse> {
      const url = new URL(server + request.path);
      appendQuery(url, request.query);
      const what = `${request.method} ${request.path}`;
      let response;
      try {
        const { headers, agent } = await prepare();
        const context = new RequestContext(url.toString(), ClientHttpMethod[request.method]);
        for (const [key, value] of Object.entries(headers)) context.setHeaderParam(key, value);
        context.setHeaderParam('Accept', request.accept ?? 'application/json');
        if (request.body !== undefined) {
          context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
          context.setBody(JSON.stringify(request.body));
        }
        context.setAgent(agent);
        if (request.signal !== undefined) context.setSignal(request.signal);
        response = await library.send(context).toPromise();
      } catch (error) {
        throw createKubeErrorFromNetwork(what, error);
      }
      let text: string;
      try {
        text = await response.body.text();
      } catch (error) {
        throw createKubeErrorFromNetwork(what, error);
      }
      const isJson = (response.headers['content-type'] ?? '').includes('json');
      let body: unknown = text;
      if (isJson && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          // Keep the text: the caller reports it rather than a parse error.
        }
      }
      return { status: response.httpStatusCode, headers: response.headers, body };
    },

    watch(request: WatchRequest, handlers: WatchHandlers): Promise<void> {
      const what = `WATCH ${request.path}`;
      return new Promise<void>((resolve, reject) => {
        let opened = false;
        let controller: AbortController | undefined;
        const onAbort = (): void => controller?.abort();
        const done = (error: unknown): void => {
          request.signal.removeEventListener('abort', onAbort);
          if (request.signal.aborted || error === null || error === undefined) {
            resolve();
            return;
          }
          const statusCode = (error as { statusCode?: unknown }).statusCode;
          if (typeof statusCode === 'number') {
            reject(createKubeErrorFromResponse(what, statusCode, {}, (error as Error).message));
          } else if (opened && (error as { name?: string }).name === 'AbortError') {
            resolve();
          } else {
            reject(createKubeErrorFromNetwork(what, error));
          }
        };
        const onEvent = (type: string, object: unknown): void => {
          if (WATCH_EVENT_TYPES.has(type)) handlers.onEvent({ type, object } as WatchEvent);
        };
        request.signal.addEventListener('abort', onAbort, { once: true });
        const query: Record<string, string | number | boolean | undefined> = { ...request.query };
        watcher
          .watch(request.path, query, onEvent, done)
          .then((abortController) => {
            controller = abortController;
            if (request.signal.aborted) {
              abortController.abort();
              return;
            }
            if (!abortController.signal.aborted) {
              opened = true;
              handlers.onOpen();
            }
          })
          .catch((error: unknown) => done(error ?? new Error('watch failed')));
      });
    },
  };
}
