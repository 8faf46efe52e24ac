/** An HTTP method the API server understands. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query parameters; `undefined` values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** One request to the API server. */
export interface KubeRequest {
  method: HttpMethod;
  /** Absolute API path, e.g. `/apis/nmstate.io/v1/nodenetworkconfigurationpolicies`. */
  path: string;
  query?: QueryParams;
  /** Serialised as JSON. */
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  /** Defaults to `application/json`. */
  accept?: string;
  signal?: AbortSignal;
}

/** The server's answer: any HTTP status, the body parsed when it is JSON. */
export interface KubeResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
}

/** One event of a watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** The object, or for `ERROR` a metav1.Status. */
  object: unknown;
}

/** A watch request: path and query (`resourceVersion`, `allowWatchBookmarks`, selectors, `timeoutSeconds`). */
export interface WatchRequest {
  path: string;
  query: QueryParams;
  signal: AbortSignal;
}

/** Callbacks of a watch stream. */
export interface WatchHandlers {
  /** The server accepted the watch (HTTP 200); events follow. */
  onOpen(): void;
  onEvent(event: WatchEvent): void;
}

/**
 * How requests reach the API server. The real one goes through
 * `@kubernetes/client-node`; tests use an in-memory fake API server.
 */
export interface KubeTransport {
  /**
   * Sends one request. Resolves with any HTTP answer, errors included; rejects
   * with a `KubeError` of kind `unavailable` only when no answer came.
   */
  request(request: KubeRequest): Promise<KubeResponse>;
  /**
   * Streams a watch. Resolves when the stream ends normally (the server closed
   * it, or `signal` aborted); rejects with a `KubeError` when the server
   * refused the watch or the connection failed.
   */
  watch(request: WatchRequest, handlers: WatchHandlers): Promise<void>;
}
