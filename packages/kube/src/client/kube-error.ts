/**
 * What went wrong talking to the API server, as the callers of this package
 * need to branch on it:
 * - `conflict`: a precondition (resourceVersion, uid) no longer holds; re-read or re-apply.
 * - `already-exists`: a create found the name taken.
 * - `not-found`: the object (or its kind) does not exist.
 * - `gone`: the requested resourceVersion is too old (HTTP 410); relist.
 * - `too-many-requests`: HTTP 429; wait `retryAfterSeconds`.
 * - `unavailable`: 5xx, or no response at all (refused, reset, timed out); retry with backoff.
 * - `invalid`: the server rejected the content (400, 413, 415, 422); retrying will not help.
 * - `unauthorized` / `forbidden`: credentials or RBAC (401, 403).
 * - `invalid-argument`: this package was called with unusable options; nothing was sent.
 * - `unexpected`: any other status.
 */
export type KubeErrorKind =
  | 'conflict'
  | 'already-exists'
  | 'not-found'
  | 'gone'
  | 'too-many-requests'
  | 'unavailable'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid-argument'
  | 'unexpected';

/** Details carried by a {@link KubeError}. */
export interface KubeErrorDetails {
  /** HTTP status, when the server answered. */
  statusCode?: number;
  /** The `reason` of the API server's Status object (`Conflict`, `AlreadyExists`, `Expired`, …). */
  reason?: string;
  /** How long the server asked us to wait (`Retry-After`, or the Status' `details.retryAfterSeconds`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** The one error type this package throws. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  readonly kind: KubeErrorKind;
  readonly statusCode?: number;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;

  constructor(kind: KubeErrorKind, message: string, details: KubeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.reason !== undefined) this.reason = details.reason;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** Whether the same request may succeed later without changing it. */
  isTransient(): boolean {
    return this.kind === 'unavailable' || this.kind === 'too-many-requests' || this.kind === 'conflict';
  }
}

/** Whether `error` is a {@link KubeError}, optionally of one of `kinds`. */
export function isKubeError(error: unknown, ...kinds: KubeErrorKind[]): error is KubeError {
  return error instanceof KubeError && (kinds.length === 0 || kinds.includes(error.kind));
}

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { retryAfterSeconds?: number };
}

function readStatusBody(body: unknown): StatusBody {
  return typeof body === 'object' && body !== null ? (body as StatusBody) : {};
}

function parseRetryAfter(header: string | undefined, status: StatusBody): number | undefined {
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  const fromBody = status.details?.retryAfterSeconds;
  return typeof fromBody === 'number' && fromBody >= 0 ? fromBody : undefined;
}

/**
 * The error for a non-2xx answer: `what` names the request for the message
 * (`PATCH nodenetworkconfigurationenactments/node1.br1/status`).
 */
export function createKubeErrorFromResponse(
  what: string,
  statusCode: number,
  headers: Record<string, string>,
  body: unknown,
): KubeError {
  const status = readStatusBody(body);
  const reason = status.reason;
  const serverMessage = status.message ?? (typeof body === 'string' && body !== '' ? body.slice(0, 500) : `HTTP ${statusCode}`);
  const details: KubeErrorDetails = { statusCode };
  if (reason !== undefined) details.reason = reason;
  const retryAfterSeconds = parseRetryAfter(headers['retry-after'], status);
  if (retryAfterSeconds !== undefined) details.retryAfterSeconds = retryAfterSeconds;
  return new KubeError(classifyStatus(statusCode, reason), `${what}: ${serverMessage}`, details);
}

function classifyStatus(statusCode: number, reason: string | undefined): KubeErrorKind {
  switch (statusCode) {
    case 400:
    case 413:
    case 415:
    case 422:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return reason === 'AlreadyExists' ? 'already-exists' : 'conflict';
    case 410:
      return 'gone';
    case 429:
      return 'too-many-requests';
    default:
      return statusCode >= 500 ? 'unavailable' : 'unexpected';
  }
}

/** The error for a request that got no HTTP answer (connection refused, reset, TLS failure, timeout). */
export function createKubeErrorFromNetwork(what: string, cause: unknown): KubeError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new KubeError('unavailable', `${what}: no response from the API server (${detail})`, { cause });
}
