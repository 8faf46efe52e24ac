import type { KubeObject } from '../api/object-meta.js';
import { isKubeError, KubeError } from '../client/kube-error.js';
import type { ResourceClient } from '../client/resource-client.js';
import type { WatchEvent } from '../client/transport.js';
import { describeError, silentLogger, type Logger } from '../logger.js';
import { sleep, type Clock } from '../time/clock.js';

/** Options of {@link Informer}. */
export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * How long the server keeps each watch open before ending it; the informer
   * then re-watches from the last resourceVersion it saw. Default 300 s.
   */
  watchTimeoutSeconds?: number;
  /** Objects per page of the initial list (and of relists). Default 500. */
  listPageSize?: number;
  /** First wait after a failure; doubles per consecutive failure. Default 500 ms. */
  initialBackoffMs?: number;
  /** Longest wait between attempts while the server is unreachable. Default 30 000 ms. */
  maxBackoffMs?: number;
  /** Default: the clock of the resource's client. */
  clock?: Clock;
  /** Default: silent. */
  logger?: Logger;
}

/** Handlers of cache changes; each runs after the cache already holds the change. */
export interface InformerHandlers<T> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, object: T): void;
  onDelete?(object: T): void;
}

/** Requests an informer made, to show that a quiet steady state costs no lists. */
export interface InformerStats {
  lists: number;
  watches: number;
  relistsAfterExpiry: number;
}

const WATCH_END_TOO_FAST_MS = 1000;
/** The wait after a 429 that did not say how long (kube-apiserver answers `Retry-After: 1`). */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** The cache key of an object: `namespace/name`, or `name` for cluster-scoped kinds. */
export function formatObjectKey(object: KubeObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * A local cache of one kind, kept current by list-then-watch, as client-go's
 * reflector does:
 * - list once (paged) and watch from the list's resourceVersion with
 *   `allowWatchBookmarks=true`, remembering the last resourceVersion seen,
 *   bookmarks included;
 * - when a watch ends normally, watch again from that resourceVersion, without
 *   listing;
 * - relist only when the server says the resourceVersion expired (410 Gone);
 * - on a 429 (kube-apiserver answers it while a resource's watch cache is still
 *   initializing, and when API Priority and Fairness sheds load) wait what its
 *   `Retry-After` says (1 s when it says nothing), without growing the backoff:
 *   the informer comes back when the server is ready, not up to a maximum
 *   backoff later;
 * - on any other failure (unreachable server, 5xx, refused watch) wait with
 *   exponential backoff and try again; it never throws out of its loop.
 *
 * `@kubernetes/client-node`'s `ListWatch` (1.4.0) is not used: it does not
 * request bookmarks, and after a failed list or watch it reports the error and
 * stops instead of retrying.
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly options: Required<Omit<InformerOptions, 'labelSelector' | 'fieldSelector'>> &
    Pick<InformerOptions, 'labelSelector' | 'fieldSelector'>;
  private readonly abort = new AbortController();
  private resourceVersion = '';
  private synced = false;
  private syncWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private running: Promise<void> | undefined;
  private consecutiveFailures = 0;
  private readonly counters: InformerStats = { lists: 0, watches: 0, relistsAfterExpiry: 0 };

  constructor(
    private readonly resource: ResourceClient<T>,
    options: InformerOptions = {},
  ) {
    this.options = {
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? 300,
      listPageSize: options.listPageSize ?? 500,
      initialBackoffMs: options.initialBackoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      clock: options.clock ?? resource.clock,
      logger: options.logger ?? silentLogger,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    };
    if (!(this.options.watchTimeoutSeconds > 0) || !(this.options.listPageSize > 0)) {
      throw new KubeError('invalid-argument', 'informer: watchTimeoutSeconds and listPageSize must be positive numbers');
    }
  }

  /** Registers handlers; register before `start()` to see the initial objects as adds. */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** Starts listing and watching in the background. Idempotent. */
  start(): void {
    this.running ??= this.run();
  }

  /** Stops watching and waits for the loop to end. Cached objects stay readable. */
  async stop(): Promise<void> {
    this.abort.abort();
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const waiter of waiters) waiter.reject(new KubeError('unavailable', `informer for ${this.resource.descriptor.plural} stopped before it synced`));
    await this.running;
  }

  /** Whether the first list has been loaded into the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache; rejects if the informer stops first. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.abort.signal.aborted) return Promise.reject(new KubeError('unavailable', 'informer stopped'));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The cached object named `name` (in `namespace`, for namespaced kinds). */
  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(namespace === undefined ? name : `${namespace}/${name}`);
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.cache.values()];
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Lists and watches made so far. */
  get stats(): InformerStats {
    return { ...this.counters };
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    const plural = this.resource.descriptor.plural;
    let needList = true;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.relist();
          needList = false;
          this.consecutiveFailures = 0;
        } catch (error) {
          if (this.stopped) break;
          logger.warn('informer list failed; retrying', { resource: plural, error: describeError(error) });
          await this.backoff(error);
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (this.stopped) break;
      if (outcome.kind === 'expired') {
        logger.info('informer resourceVersion expired; relisting', { resource: plural, resourceVersion: this.resourceVersion });
        this.counters.relistsAfterExpiry += 1;
        needList = true;
      } else if (outcome.kind === 'failed') {
        logger.warn('informer watch failed; re-watching after backoff', {
          resource: plural,
          resourceVersion: this.resourceVersion,
          error: describeError(outcome.error),
        });
        await this.backoff(outcome.error);
      } else if (outcome.kind === 'ended-too-fast') {
        // A server that closes every watch at once would otherwise make this a busy loop.
        await this.backoff();
      }
    }
  }

  private async relist(): Promise<void> {
    this.counters.lists += 1;
    const options: { labelSelector?: string; fieldSelector?: string; limit: number } = { limit: this.options.listPageSize };
    if (this.options.labelSelector !== undefined) options.labelSelector = this.options.labelSelector;
    if (this.options.fieldSelector !== undefined) options.fieldSelector = this.options.fieldSelector;
    const page = await this.resource.listAll(options);
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const object of page.items) {
      const key = formatObjectKey(object);
      seen.add(key);
      this.upsert(key, object);
    }
    for (const [key, object] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit((h) => h.onDelete?.(object));
      }
    }
    this.resourceVersion = page.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const waiter of waiters) waiter.resolve();
    }
    this.options.logger.debug('informer listed', { resource: this.resource.descriptor.plural, objects: page.items.length, resourceVersion: this.resourceVersion });
  }

  private async watchOnce(): Promise<
    { kind: 'ended' } | { kind: 'ended-too-fast' } | { kind: 'expired' } | { kind: 'failed'; error: unknown }
  > {
    const streamAbort = new AbortController();
    const onStop = (): void => streamAbort.abort();
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    const started = this.options.clock.now();
    let events = 0;
    let expired = false;
    let errorEvent: unknown;
    this.counters.watches += 1;
    const options: Parameters<ResourceClient<T>['watch']>[0] = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.watchTimeoutSeconds,
      signal: streamAbort.signal,
    };
    if (this.options.labelSelector !== undefined) options.labelSelector = this.options.labelSelector;
    if (this.options.fieldSelector !== undefined) options.fieldSelector = this.options.fieldSelector;
    try {
      await this.resource.watch(options, {
        onOpen: () => {
          this.consecutiveFailures = 0;
        },
        onEvent: (event) => {
          events += 1;
          const result = this.apply(event);
          if (result === 'expired') expired = true;
          else if (result !== undefined) errorEvent = result;
          if (result !== undefined) streamAbort.abort();
        },
      });
    } catch (error) {
      if (isKubeError(error, 'gone')) return { kind: 'expired' };
      return { kind: 'failed', error };
    } finally {
      this.abort.signal.removeEventListener('abort', onStop);
    }
    if (expired) return { kind: 'expired' };
    if (errorEvent !== undefined) return { kind: 'failed', error: errorEvent };
    if (events === 0 && this.options.clock.now() - started < WATCH_END_TOO_FAST_MS) return { kind: 'ended-too-fast' };
    return { kind: 'ended' };
  }

  /** Applies one event; returns 'expired' for a 410 ERROR, the error for another ERROR. */
  private apply(event: WatchEvent): 'expired' | Error | undefined {
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; reason?: string; message?: string };
      if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') return 'expired';
      return new KubeError('unexpected', `watch of ${this.resource.descriptor.plural} reported an error: ${status.message ?? 'unknown'}`, {
        ...(status.code === undefined ? {} : { statusCode: status.code }),
        ...(status.reason === undefined ? {} : { reason: status.reason }),
      });
    }
    const object = event.object as T;
    const version = object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (version !== undefined) this.resourceVersion = version;
      return undefined;
    }
    const key = formatObjectKey(object);
    if (event.type === 'DELETED') {
      const previous = this.cache.get(key);
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(previous ?? object));
    } else {
      this.upsert(key, object);
    }
    if (version !== undefined) this.resourceVersion = version;
    return undefined;
  }

  private upsert(key: string, object: T): void {
    const previous = this.cache.get(key);
    this.cache.set(key, object);
    if (previous === undefined) this.emit((h) => h.onAdd?.(object));
    else if (previous.metadata?.resourceVersion !== object.metadata?.resourceVersion) this.emit((h) => h.onUpdate?.(previous, object));
  }

  private emit(call: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (error) {
        this.options.logger.error('informer handler threw', { resource: this.resource.descriptor.plural, error: describeError(error) });
      }
    }
  }

  /** Waits before the next attempt after `error`: the server's `Retry-After` when it gave one, else exponential backoff. */
  private async backoff(error?: unknown): Promise<void> {
    // A refused watch carries no headers (the client library drops them): kube-apiserver's own answer is 1 s.
    const retryAfterSeconds = isKubeError(error, 'too-many-requests') ? (error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) : undefined;
    let delay: number;
    if (retryAfterSeconds !== undefined) {
      delay = Math.min(this.options.maxBackoffMs, Math.max(this.options.initialBackoffMs, retryAfterSeconds * 1000));
    } else {
      delay = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** this.consecutiveFailures);
      this.consecutiveFailures += 1;
    }
    await sleep(this.options.clock, delay, this.abort.signal);
  }
}
