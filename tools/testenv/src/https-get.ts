import { request } from 'node:https';

/** A response read to its end. */
export interface TextResponse {
  readonly status: number;
  readonly body: string;
}

/** Options of {@link getHttpsText}. */
export interface HttpsGetOptions {
  /** Bearer token. Default: none (anonymous). */
  readonly token?: string;
  /** PEM of the CA(s) to trust. Default: none, and then the certificate is not verified. */
  readonly ca?: string;
  /** Abort after this many milliseconds. Default: 10 000. */
  readonly timeoutMs?: number;
}

/** GET over HTTPS with a private CA; Node's fetch cannot take a CA without another dependency. */
export function getHttpsText(url: string, options: HttpsGetOptions = {}): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        ca: options.ca,
        rejectUnauthorized: options.ca !== undefined,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
