import { request } from 'node:https';
import type { Probe } from './probe.js';

/** Options of {@link createApiServerProbe}. */
export interface ApiServerProbeOptions {
  /** The API server, e.g. `https://10.96.0.1:443`. */
  serverUrl: string;
  /** PEM CA to verify it with; without it the certificate is not checked (this probes reachability, not trust). */
  caPem?: string;
}

/**
 * Kubernetes API reachable: `GET /readyz` answers 200. It needs no credentials
 * (`system:public-info-viewer`), so the agent holds no Kubernetes permission.
 */
export function createApiServerProbe(options: ApiServerProbeOptions): Probe {
  const url = new URL('/readyz', options.serverUrl);
  return {
    kind: 'api-server',
    check: ({ signal }) =>
      new Promise((resolve) => {
        const req = request(url, { method: 'GET', signal, ca: options.caPem, rejectUnauthorized: options.caPem !== undefined }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.once('error', () => resolve(false));
        req.end();
      }),
  };
}
