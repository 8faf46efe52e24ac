import type { KubeObject } from '../api/object-meta.js';
import { createKubeErrorFromNetwork, createKubeErrorFromResponse } from '../client/kube-error.js';
import type {
  HttpMethod,
  KubeRequest,
  KubeResponse,
  KubeTransport,
  QueryParams,
  WatchEvent,
  WatchHandlers,
  WatchRequest,
} from '../client/transport.js';
import { sleep, type Clock } from '../time/clock.js';

/** Selects requests for {@link FakeApiServer.failNext}. */
export interface RequestMatcher {
  method?: HttpMethod;
  /** A substring of the path, e.g. `/status` or `nodenetworkstates`. */
  pathIncludes?: string;
  /** Only watches (`true`) or only plain requests (`false`). */
  watch?: boolean;
}

/** What a failed request gets instead of being served. */
export type Fault =
  | { status: number; headers?: Record<string, string>; reason?: string; message?: string; details?: Record<string, unknown> }
  | { networkError: true };

/** A request as the fake received it. */
export interface RecordedRequest {
  method: HttpMethod;
  path: string;
  query: QueryParams;
  body: unknown;
  contentType?: string;
  watch: boolean;
}

/** Options of {@link FakeApiServer}. */
export interface FakeApiServerOptions {
  /** Supplies creation times, watch timeouts and latency. Default: none (no latency, no watch timeouts). */
  clock?: Clock;
  /** Delay before each answer, on `clock`. Default 0. */
  latencyMs?: number;
}

interface ParsedPath {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

interface StoredEvent {
  resourceVersion: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  collection: string;
  object: KubeObject;
}

interface OpenWatch {
  collection: string;
  namespace?: string;
  labelSelector?: string;
  bookmarks: boolean;
  apiVersion: string;
  send(event: WatchEvent): void;
  end(): void;
}

type Stored = KubeObject & { spec?: unknown; status?: unknown; [key: string]: unknown };

function parsePath(path: string): ParsedPath | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group = '';
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (version === undefined) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (plural === undefined) return undefined;
  const parsed: ParsedPath = { group, version, plural };
  if (namespace !== undefined) parsed.namespace = namespace;
  if (name !== undefined) parsed.name = name;
  if (subresource !== undefined) parsed.subresource = subresource;
  return parsed;
}

function matchesLabels(object: KubeObject, selector: string | undefined): boolean {
  if (selector === undefined || selector === '') return true;
  const labels = object.metadata?.labels ?? {};
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    if (key === undefined) return true;
    return value === undefined ? key in labels : labels[key] === value;
  });
}

function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

function buildStatusBody(code: number, reason: string, message: string, details?: Record<string, unknown>): unknown {
  const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
  if (details !== undefined) body.details = details;
  return body;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return clone(patch);
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * An in-memory Kubernetes API server for unit tests: objects with
 * resourceVersions and generations, status subresources, optimistic
 * concurrency, server-side apply of status, watches with history, bookmarks
 * and expiry (410), and injectable faults (429 with Retry-After, 5xx, network
 * errors). It records every request so tests can count them.
 *
 * Versions of one group and plural share storage, as CRDs without conversion do.
 */
export class FakeApiServer implements KubeTransport {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly clock: Clock | undefined;
  private readonly latencyMs: number;
  private readonly objects = new Map<string, Stored>();
  private readonly history: StoredEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly faults: { matcher: RequestMatcher; fault: Fault; remaining: number }[] = [];
  private revision = 1;
  private compactedRevision = 0;
  private uidSequence = 0;

  constructor(options: FakeApiServerOptions = {}) {
    this.clock = options.clock;
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** The current resourceVersion, as a number. */
  get resourceVersion(): number {
    return this.revision;
  }

  /** Watches currently streaming. */
  get openWatchCount(): number {
    return this.watches.size;
  }

  /** The next `times` requests matching `matcher` fail with `fault`. */
  failNext(matcher: RequestMatcher, fault: Fault, times = 1): void {
    this.faults.push({ matcher, fault, remaining: times });
  }

  /** Requests matching `matcher` received so far. */
  countRequests(matcher: RequestMatcher = {}): number {
    return this.requests.filter((r) => this.matches(matcher, r.method, r.path, r.watch)).length;
  }

  /** Stores `object` under `path` (a collection path) as if created, without recording a request. */
  seed(collectionPath: string, object: KubeObject): KubeObject {
    const parsed = parsePath(collectionPath);
    if (parsed === undefined) throw new Error(`not an API path: ${collectionPath}`);
    const name = object.metadata?.name;
    if (name === undefined) throw new Error('seeded objects need metadata.name');
    return this.store(parsed, name, clone(object) as Stored, 'ADDED');
  }

  /** The stored object at `objectPath` (e.g. `/apis/nmstate.io/v1beta1/nodenetworkstates/node1`), or undefined. */
  getObject(objectPath: string): KubeObject | undefined {
    const parsed = parsePath(objectPath);
    if (parsed?.name === undefined) return undefined;
    return clone(this.objects.get(this.key(parsed, parsed.name)));
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that asked for bookmarks. */
  sendBookmarks(): void {
    for (const watch of this.watches) {
      if (watch.bookmarks) {
        watch.send({ type: 'BOOKMARK', object: { apiVersion: watch.apiVersion, metadata: { resourceVersion: String(this.revision) } } });
      }
    }
  }

  /** Ends every open watch normally, as the server does when its timeout passes. */
  closeWatches(): void {
    for (const watch of [...this.watches]) watch.end();
  }

  /** Forgets the event history: watches from older resourceVersions now get 410 Expired. */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history.length = 0;
  }

  async request(request: KubeRequest): Promise<KubeResponse> {
    const recorded: RecordedRequest = {
      method: request.method,
      path: request.path,
      query: request.query ?? {},
      body: clone(request.body),
      watch: false,
    };
    if (request.contentType !== undefined) recorded.contentType = request.contentType;
    this.requests.push(recorded);
    await this.delay();
    const fault = this.takeFault(request.method, request.path, false);
    if (fault !== undefined) {
      if ('networkError' in fault) throw createKubeErrorFromNetwork(`${request.method} ${request.path}`, new Error('ECONNRESET'));
      return {
        status: fault.status,
        headers: fault.headers ?? {},
        body: buildStatusBody(fault.status, fault.reason ?? 'Injected', fault.message ?? 'injected fault', fault.details),
      };
    }
    return this.serve(request);
  }

  async watch(request: WatchRequest, handlers: WatchHandlers): Promise<void> {
    this.requests.push({ method: 'GET', path: request.path, query: request.query, body: undefined, watch: true });
    await this.delay();
    const fault = this.takeFault('GET', request.path, true);
    if (fault !== undefined) {
      const what = `WATCH ${request.path}`;
      if ('networkError' in fault) throw createKubeErrorFromNetwork(what, new Error('ECONNREFUSED'));
      throw createKubeErrorFromResponse(what, fault.status, fault.headers ?? {}, buildStatusBody(fault.status, fault.reason ?? 'Injected', fault.message ?? 'injected fault'));
    }
    const parsed = parsePath(request.path);
    if (parsed === undefined || parsed.name !== undefined) {
      throw createKubeErrorFromResponse(`WATCH ${request.path}`, 404, {}, buildStatusBody(404, 'NotFound', 'no such collection'));
    }
    if (request.signal.aborted) return;
    handlers.onOpen();
    const collection = this.collectionKey(parsed);
    const labelSelector = typeof request.query.labelSelector === 'string' ? request.query.labelSelector : undefined;
    const apiVersion = parsed.group === '' ? parsed.version : `${parsed.group}/${parsed.version}`;
    const inScope = (object: KubeObject): boolean =>
      (parsed.namespace === undefined || object.metadata?.namespace === parsed.namespace) && matchesLabels(object, labelSelector);
    const present = (object: KubeObject): unknown => ({ ...clone(object), apiVersion });

    await new Promise<void>((resolve) => {
      let ended = false;
      let timer: { cancel(): void } | undefined;
      const watch: OpenWatch = {
        collection,
        bookmarks: request.query.allowWatchBookmarks === true || request.query.allowWatchBookmarks === 'true',
        apiVersion,
        send: (event) => {
          if (!ended) handlers.onEvent(event);
        },
        end: () => {
          if (ended) return;
          ended = true;
          timer?.cancel();
          this.watches.delete(watch);
          request.signal.removeEventListener('abort', watch.end);
          resolve();
        },
      };
      if (parsed.namespace !== undefined) watch.namespace = parsed.namespace;
      if (labelSelector !== undefined) watch.labelSelector = labelSelector;
      request.signal.addEventListener('abort', watch.end, { once: true });

      const rawVersion = request.query.resourceVersion;
      const fromVersion = rawVersion === undefined || rawVersion === '' || rawVersion === '0' ? undefined : Number(rawVersion);
      if (fromVersion !== undefined && fromVersion < this.compactedRevision) {
        watch.send({
          type: 'ERROR',
          object: buildStatusBody(410, 'Expired', `too old resource version: ${fromVersion} (${this.compactedRevision})`),
        });
        watch.end();
        return;
      }
      if (fromVersion === undefined) {
        for (const [key, object] of this.objects) {
          if (key.startsWith(`${collection}|`) && inScope(object)) watch.send({ type: 'ADDED', object: present(object) });
        }
      } else {
        for (const event of this.history) {
          if (event.collection === collection && event.resourceVersion > fromVersion && inScope(event.object)) {
            watch.send({ type: event.type, object: present(event.object) });
          }
        }
      }
      const timeoutSeconds = Number(request.query.timeoutSeconds ?? 0);
      if (this.clock !== undefined && timeoutSeconds > 0) timer = this.clock.setTimeout(watch.end, timeoutSeconds * 1000);
      // Live events are filtered per watch in publish(); keep the scope check there too.
      const send = watch.send;
      watch.send = (event) => {
        if (event.type === 'BOOKMARK' || event.type === 'ERROR' || inScope(event.object as KubeObject)) {
          send(event.type === 'BOOKMARK' || event.type === 'ERROR' ? event : { type: event.type, object: present(event.object as KubeObject) });
        }
      };
      this.watches.add(watch);
    });
  }

  private async delay(): Promise<void> {
    if (this.clock !== undefined && this.latencyMs > 0) await sleep(this.clock, this.latencyMs);
    else await Promise.resolve();
  }

  private matches(matcher: RequestMatcher, method: HttpMethod, path: string, watch: boolean): boolean {
    return (
      (matcher.method === undefined || matcher.method === method) &&
      (matcher.pathIncludes === undefined || path.includes(matcher.pathIncludes)) &&
      (matcher.watch === undefined || matcher.watch === watch)
    );
  }

  private takeFault(method: HttpMethod, path: string, watch: boolean): Fault | undefined {
    const entry = this.faults.find((f) => f.remaining > 0 && this.matches(f.matcher, method, path, watch));
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.faults.splice(this.faults.indexOf(entry), 1);
    return entry.fault;
  }

  private collectionKey(parsed: ParsedPath): string {
    return `${parsed.group}/${parsed.plural}`;
  }

  private key(parsed: ParsedPath, name: string): string {
    return `${this.collectionKey(parsed)}|${parsed.namespace ?? ''}|${name}`;
  }

  private hasStatusSubresource(parsed: ParsedPath): boolean {
    return parsed.group === 'nmstate.io' || parsed.plural === 'nodes';
  }

  private store(parsed: ParsedPath, name: string, object: Stored, type: StoredEvent['type']): Stored {
    this.revision += 1;
    object.metadata = { ...(object.metadata ?? {}), name, resourceVersion: String(this.revision) };
    if (parsed.namespace !== undefined) object.metadata.namespace = parsed.namespace;
    if (type === 'ADDED') {
      this.uidSequence += 1;
      object.metadata.uid = `00000000-0000-4000-8000-${String(this.uidSequence).padStart(12, '0')}`;
      object.metadata.generation = 1;
      object.metadata.creationTimestamp = new Date(this.clock?.now() ?? Date.UTC(2026, 0, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    this.objects.set(this.key(parsed, name), object);
    this.publish({ resourceVersion: this.revision, type, collection: this.collectionKey(parsed), object: clone(object) });
    return object;
  }

  private publish(event: StoredEvent): void {
    this.history.push(event);
    for (const watch of this.watches) {
      if (watch.collection === event.collection) watch.send({ type: event.type, object: event.object });
    }
  }

  private respond(status: number, body: unknown, parsed?: ParsedPath): KubeResponse {
    if (parsed !== undefined && typeof body === 'object' && body !== null && 'metadata' in body) {
      const apiVersion = parsed.group === '' ? parsed.version : `${parsed.group}/${parsed.version}`;
      return { status, headers: { 'content-type': 'application/json' }, body: { ...clone(body as object), apiVersion } };
    }
    return { status, headers: { 'content-type': 'application/json' }, body };
  }

  private fail(status: number, reason: string, message: string): KubeResponse {
    return { status, headers: { 'content-type': 'application/json' }, body: buildStatusBody(status, reason, message) };
  }

  private serve(request: KubeRequest): KubeResponse {
    const parsed = parsePath(request.path);
    if (parsed === undefined) return this.fail(404, 'NotFound', `unknown path ${request.path}`);
    const body = (request.body ?? {}) as Stored;
    if (parsed.name === undefined) {
      if (request.method === 'GET') return this.list(parsed, request.query ?? {});
      if (request.method === 'POST') return this.create(parsed, body);
      return this.fail(405, 'MethodNotAllowed', `${request.method} on a collection`);
    }
    const key = this.key(parsed, parsed.name);
    const existing = this.objects.get(key);
    const isStatus = parsed.subresource === 'status';
    switch (request.method) {
      case 'GET':
        return existing === undefined ? this.notFound(parsed) : this.respond(200, existing, parsed);
      case 'DELETE': {
        if (existing === undefined) return this.notFound(parsed);
        const preconditions = (body as { preconditions?: { uid?: string; resourceVersion?: string } }).preconditions;
        if (
          (preconditions?.uid !== undefined && preconditions.uid !== existing.metadata?.uid) ||
          (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== existing.metadata?.resourceVersion)
        ) {
          return this.fail(409, 'Conflict', 'precondition failed');
        }
        this.objects.delete(key);
        this.revision += 1;
        const deleted = { ...clone(existing), metadata: { ...existing.metadata, resourceVersion: String(this.revision) } };
        this.publish({ resourceVersion: this.revision, type: 'DELETED', collection: this.collectionKey(parsed), object: deleted });
        return this.respond(200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      }
      case 'PUT': {
        if (existing === undefined) return this.notFound(parsed);
        const wanted = body.metadata?.resourceVersion;
        if (wanted !== undefined && wanted !== existing.metadata?.resourceVersion) {
          return this.fail(409, 'Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
        }
        return this.respond(200, this.update(parsed, existing, body, isStatus ? 'status' : 'main'), parsed);
      }
      case 'PATCH': {
        const isApply = request.contentType === 'application/apply-patch+yaml';
        if (existing === undefined) {
          if (isApply && !isStatus) return this.create(parsed, { ...body, metadata: { ...body.metadata, name: parsed.name } });
          return this.notFound(parsed);
        }
        if (isApply) {
          const next = isStatus ? { ...existing, status: clone(body.status) } : { ...existing, spec: clone(body.spec ?? existing.spec) };
          if (!isStatus && body.metadata?.labels !== undefined) {
            next.metadata = { ...existing.metadata, labels: { ...existing.metadata?.labels, ...body.metadata.labels } };
          }
          return this.respond(200, this.update(parsed, existing, next, isStatus ? 'status' : 'main'), parsed);
        }
        const merged = mergePatch(existing, body) as Stored;
        return this.respond(200, this.update(parsed, existing, merged, isStatus ? 'status' : 'main'), parsed);
      }
      default:
        return this.fail(405, 'MethodNotAllowed', request.method);
    }
  }

  private notFound(parsed: ParsedPath): KubeResponse {
    return this.fail(404, 'NotFound', `${parsed.plural} "${parsed.name ?? ''}" not found`);
  }

  private list(parsed: ParsedPath, query: QueryParams): KubeResponse {
    const collection = this.collectionKey(parsed);
    const labelSelector = typeof query.labelSelector === 'string' ? query.labelSelector : undefined;
    const items = [...this.objects.entries()]
      .filter(([key, object]) => key.startsWith(`${collection}|`) && (parsed.namespace === undefined || object.metadata?.namespace === parsed.namespace))
      .map(([, object]) => object)
      .filter((object) => matchesLabels(object, labelSelector));
    const offset = Number(query.continue ?? 0);
    const limit = Number(query.limit ?? 0);
    const page = limit > 0 ? items.slice(offset, offset + limit) : items.slice(offset);
    const apiVersion = parsed.group === '' ? parsed.version : `${parsed.group}/${parsed.version}`;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.revision) };
    if (limit > 0 && offset + limit < items.length) metadata.continue = String(offset + limit);
    return this.respond(200, { apiVersion, kind: 'List', metadata, items: page.map((o) => ({ ...clone(o), apiVersion })) });
  }

  private create(parsed: ParsedPath, body: Stored): KubeResponse {
    const name = body.metadata?.name;
    if (name === undefined || name === '') return this.fail(422, 'Invalid', 'metadata.name: Required value');
    if (this.objects.has(this.key(parsed, name))) {
      return this.fail(409, 'AlreadyExists', `${parsed.plural} "${name}" already exists`);
    }
    const object = clone(body);
    if (this.hasStatusSubresource(parsed)) delete object.status;
    return this.respond(201, this.store(parsed, name, object, 'ADDED'), parsed);
  }

  private update(parsed: ParsedPath, existing: Stored, body: Stored, part: 'main' | 'status'): Stored {
    const next: Stored = clone(existing);
    if (part === 'status' || !this.hasStatusSubresource(parsed)) {
      next.status = clone(body.status);
    }
    if (part === 'main') {
      for (const [field, value] of Object.entries(body)) {
        if (field !== 'status' && field !== 'metadata' && field !== 'apiVersion' && field !== 'kind') next[field] = clone(value);
      }
      next.metadata = { ...existing.metadata, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {} };
      if (JSON.stringify(existing.spec) !== JSON.stringify(next.spec) && next.metadata !== undefined) {
        next.metadata.generation = (existing.metadata?.generation ?? 1) + 1;
      }
      if (body.metadata?.ownerReferences !== undefined) next.metadata.ownerReferences = clone(body.metadata.ownerReferences);
    }
    return this.store(parsed, existing.metadata?.name ?? '', next, 'MODIFIED');
  }
}
