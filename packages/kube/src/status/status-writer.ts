import type { KubeObject } from '../api/object-meta.js';
import { isKubeError, KubeError } from '../client/kube-error.js';
import type { ResourceClient } from '../client/resource-client.js';
import { describeError, silentLogger, type Logger } from '../logger.js';
import { systemClock, type Clock, type TimerHandle } from '../time/clock.js';
import { hashJson } from './stable-hash.js';
import { TokenBucket } from './token-bucket.js';

/** Default sustained write rate, requests per second. */
export const DEFAULT_STATUS_QPS = 20;
/** Default burst: requests sent back to back after a quiet period. */
export const DEFAULT_STATUS_BURST = 30;
/** Default field manager of the status writer's server-side applies. */
export const DEFAULT_FIELD_MANAGER = 'nmfleet-coordinator';
/** How long to pause after a 429 that names no Retry-After. */
export const DEFAULT_RETRY_AFTER_S = 1;

/**
 * How a write ended:
 * - `written`: the status (or a newer one for the same object) is on the server;
 *   for deletes, the object is gone.
 * - `unchanged`: it equals the status last written, so nothing was sent.
 * - `not-found`: `writeStatus` found no object (it never creates one).
 * - `failed`: the server rejected it for good (invalid, forbidden, or `maxAttempts` spent).
 * - `discarded`: the writer was closed with `discardPending` before sending it.
 */
export type WriteOutcome = 'written' | 'unchanged' | 'not-found' | 'failed' | 'discarded';

/** The result of one submitted write. Writes never reject: a result tells what happened. */
export interface WriteResult {
  outcome: WriteOutcome;
  /** Requests spent on this object for this write, retries included. */
  requests: number;
  error?: KubeError;
}

/** Hears how a write ended (see {@link StatusWriter.writeStatusFrom}). */
export type WriteCallback = (result: WriteResult) => void;

/** Reported once per completed write, for metrics. */
export interface WriteCompletedEvent {
  /** Plural resource (`nodenetworkconfigurationenactments`). */
  resource: string;
  outcome: WriteOutcome;
  /** From the first submission to the moment its last request was sent: time spent queued, rate limited or backing off. */
  waitSeconds: number;
  /** From the first submission to completion. */
  latencySeconds: number;
  /** Submissions merged into this write (1 when none was coalesced). */
  submissions: number;
  requests: number;
}

/** Metrics hooks of the writer; none may throw (errors are swallowed). */
export interface StatusWriterHooks {
  onWriteCompleted?(event: WriteCompletedEvent): void;
  /** The server answered 429; every write pauses for `retryAfterSeconds`. */
  onThrottled?(event: { retryAfterSeconds: number }): void;
  /** Objects with a write queued, backing off or in flight changed. */
  onPendingChange?(pending: number): void;
}

/** Options of {@link StatusWriter}. */
export interface StatusWriterOptions {
  /** Sustained requests per second. Default 20 ({@link DEFAULT_STATUS_QPS}). */
  qps?: number;
  /** Requests that may go out back to back. Default 30 ({@link DEFAULT_STATUS_BURST}). */
  burst?: number;
  /**
   * Requests in flight at once, each for a different object. Default 8: at 20
   * QPS that keeps the bucket busy with request latencies up to 400 ms.
   */
  maxInFlight?: number;
  /** Owner of the applied status fields. Default `nmfleet-coordinator` ({@link DEFAULT_FIELD_MANAGER}). */
  fieldManager?: string;
  /** First retry delay after a 5xx, a network error or a conflict; doubles per attempt. Default 200 ms. */
  initialRetryDelayMs?: number;
  /** Longest retry delay. Default 30 000 ms. */
  maxRetryDelayMs?: number;
  /** Requests for one write before it is given up as `failed`. Default: unlimited (transient errors are retried until the server recovers). */
  maxAttempts?: number;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: silent. */
  logger?: Logger;
  hooks?: StatusWriterHooks;
}

/**
 * Renders an object's status when its write is sent (see {@link StatusWriter.ensureStatusFrom}).
 * It must return the newest status the caller wants the object to have at that moment.
 */
export type StatusRenderer = () => unknown;

interface PendingWrite {
  /** The status as submitted, or as rendered when the write was sent. */
  status?: unknown;
  /** Renders the status at send time; `status` and `hash` are filled in then. */
  render?: StatusRenderer;
  /** Digest of `status`, computed when first needed. */
  hash?: string;
  /** Set for `ensureStatus`: the object to create when it does not exist. */
  object?: KubeObject;
}

type Phase = 'queued' | 'delayed' | 'parked' | 'in-flight';

/** The status of a write, rendering it first when it is rendered at send time. */
function materialize(write: PendingWrite): unknown {
  if (write.render !== undefined && write.hash === undefined) {
    write.status = write.render();
    write.hash = hashJson(write.status);
  }
  return write.status;
}

/** The digest of a write's status, computed once. */
function hashOf(write: PendingWrite): string {
  materialize(write);
  write.hash ??= hashJson(write.status);
  return write.hash;
}

/** A rendered write that must be sent again renders again: the next attempt sends the newest status. */
function forgetRendering(write: PendingWrite | undefined): void {
  if (write?.render === undefined) return;
  delete write.status;
  delete write.hash;
}

function withoutObject(write: PendingWrite): PendingWrite {
  const { object: _object, ...rest } = write;
  return rest;
}

interface Entry {
  key: string;
  resource: ResourceClient<KubeObject>;
  name: string;
  deleteFirst: boolean;
  write?: PendingWrite;
  waiters: WriteCallback[];
  submissions: number;
  firstSubmittedAt: number;
  lastSentAt: number;
  requests: number;
  failures: number;
  phase: Phase;
  timer?: TimerHandle;
}

type Step = 'delete' | 'create' | 'status';

/**
 * The one path for every status write of the coordinator: NNCP, NNCE and NNS
 * status, enactment creation and deletion.
 *
 * - A token bucket limits the request rate (default 20 QPS, burst 30); writes
 *   go out in the order their objects first became pending (FIFO across
 *   objects), and whenever a write is pending and a token is free a request is sent.
 * - At most one write per object is pending: a newer status replaces an
 *   unsent older one, and a status equal to the one last written is not sent.
 *   One object never has two requests in flight, so its writes never reorder.
 * - `ensureStatus` creates the object when it does not exist (POST), then
 *   writes its status; a status submitted before the object exists is kept.
 * - Status is written by server-side apply of the `/status` subresource with a
 *   fixed field manager and `force`: no read before write, no resourceVersion,
 *   hence no conflict to lose an update in. The applied status is the complete
 *   status, so a retry always sends the newest whole value.
 * - On 429 the whole bucket pauses for `Retry-After`; on 5xx, network errors
 *   and conflicts the object is retried with exponential backoff (newer
 *   statuses submitted meanwhile replace the failed one).
 *
 * See docs/adr/0004-status-writing.md for the reasoning.
 */
export class StatusWriter {
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hooks: StatusWriterHooks;
  private readonly fieldManager: string;
  private readonly maxInFlight: number;
  private readonly initialRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxAttempts: number;
  /** Entries not in flight (queued, delayed, parked behind an in-flight request). */
  private readonly pending = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Entry>();
  private readonly queue: string[] = [];
  /** Digest of the status last confirmed written, per object. */
  private readonly lastWritten = new Map<string, string>();
  /** Objects known to exist (created, written to, or announced by `noteExisting`). */
  private readonly existing = new Set<string>();
  private pausedUntil = 0;
  private wakeTimer: TimerHandle | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private lastPendingReported = 0;

  constructor(options: StatusWriterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.bucket = new TokenBucket({
      qps: options.qps ?? DEFAULT_STATUS_QPS,
      burst: options.burst ?? DEFAULT_STATUS_BURST,
      clock: this.clock,
    });
    this.logger = options.logger ?? silentLogger;
    this.hooks = options.hooks ?? {};
    this.fieldManager = options.fieldManager ?? DEFAULT_FIELD_MANAGER;
    this.maxInFlight = options.maxInFlight ?? 8;
    this.initialRetryDelayMs = options.initialRetryDelayMs ?? 200;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) {
      throw new KubeError('invalid-argument', `status writer: maxInFlight must be an integer of at least 1, got ${this.maxInFlight}`);
    }
    if (!(this.initialRetryDelayMs > 0) || !(this.maxRetryDelayMs >= this.initialRetryDelayMs)) {
      throw new KubeError('invalid-argument', 'status writer: expected 0 < initialRetryDelayMs <= maxRetryDelayMs');
    }
    if (this.fieldManager === '') throw new KubeError('invalid-argument', 'status writer: fieldManager must not be empty');
  }

  /** Objects with a write queued, backing off or in flight. */
  get pendingCount(): number {
    let count = this.pending.size;
    for (const key of this.inFlight.keys()) if (!this.pending.has(key)) count += 1;
    return count;
  }

  /**
   * Writes `status` to an existing object (NNCP). Resolves `not-found` when it
   * does not exist: a policy's status is never worth creating a policy for.
   */
  writeStatus<T extends KubeObject>(resource: ResourceClient<T>, name: string, status: unknown): Promise<WriteResult> {
    return new Promise((resolve) => this.submit(resource as unknown as ResourceClient<KubeObject>, name, { status }, false, resolve));
  }

  /**
   * Like {@link writeStatus}, but the status is rendered by `render` when its write is
   * sent, not now: under a tight QPS, an object whose status changes many times while
   * it waits costs one rendering and one request. Whether it equals the status last
   * written is decided then too (an equal one is not sent). Fire and forget: `onResult`,
   * when given, hears how the write ended (once per write, however often the same
   * callback was submitted for it), so a caller submitting on every change allocates no
   * promise per submission.
   */
  writeStatusFrom<T extends KubeObject>(resource: ResourceClient<T>, name: string, render: StatusRenderer, onResult?: WriteCallback): void {
    this.submit(resource as unknown as ResourceClient<KubeObject>, name, { render }, false, onResult);
  }

  /**
   * Writes `status` to `object` (NNCE, NNS), creating the object first when it
   * does not exist. `object` carries what creation needs (name, labels, owner
   * references); its own `status` is ignored.
   */
  ensureStatus<T extends KubeObject>(resource: ResourceClient<T>, object: T, status: unknown): Promise<WriteResult> {
    const name = object.metadata?.name;
    if (name === undefined || name === '') {
      return Promise.resolve({
        outcome: 'failed',
        requests: 0,
        error: new KubeError('invalid-argument', `ensureStatus: the ${resource.descriptor.kind} needs metadata.name`),
      });
    }
    const { status: _ignored, ...withoutStatus } = object as T & { status?: unknown };
    return new Promise((resolve) => this.submit(resource as unknown as ResourceClient<KubeObject>, name, { status, object: withoutStatus }, false, resolve));
  }

  /**
   * Like {@link ensureStatus}, but the status is rendered by `render` when its write is
   * sent, fire and forget (see {@link writeStatusFrom}). The object is created first when
   * it does not exist.
   */
  ensureStatusFrom<T extends KubeObject>(resource: ResourceClient<T>, object: T, render: StatusRenderer, onResult?: WriteCallback): void {
    const name = object.metadata?.name;
    if (name === undefined || name === '') {
      onResult?.({
        outcome: 'failed',
        requests: 0,
        error: new KubeError('invalid-argument', `ensureStatusFrom: the ${resource.descriptor.kind} needs metadata.name`),
      });
      return;
    }
    let withoutStatus: KubeObject = object;
    if ('status' in object) {
      const { status: _ignored, ...rest } = object as T & { status?: unknown };
      withoutStatus = rest;
    }
    this.submit(resource as unknown as ResourceClient<KubeObject>, name, { render, object: withoutStatus }, false, onResult);
  }

  /** Deletes the object (a missing one counts as deleted). Replaces any unsent status for it. */
  delete<T extends KubeObject>(resource: ResourceClient<T>, name: string): Promise<WriteResult> {
    return new Promise((resolve) => this.submit(resource as unknown as ResourceClient<KubeObject>, name, undefined, true, resolve));
  }

  /** Tells the writer the object exists (seen by an informer), so `ensureStatus` skips the create. */
  noteExisting<T extends KubeObject>(resource: ResourceClient<T>, name: string): void {
    this.existing.add(this.keyOf(resource, name));
  }

  /**
   * Tells the writer the object exists with `status` on the server (e.g. from
   * an informer after a restart), so an equal status is not written again.
   */
  noteCurrentStatus<T extends KubeObject>(resource: ResourceClient<T>, name: string, status: unknown): void {
    const key = this.keyOf(resource, name);
    this.existing.add(key);
    this.lastWritten.set(key, hashJson(status));
  }

  /** Tells the writer the object is gone (deleted by someone else), so it is created again when needed. */
  noteDeleted<T extends KubeObject>(resource: ResourceClient<T>, name: string): void {
    const key = this.keyOf(resource, name);
    this.existing.delete(key);
    this.lastWritten.delete(key);
  }

  /** Resolves once nothing is queued, backing off or in flight. */
  flush(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops accepting writes (later ones resolve `discarded`) and waits for the
   * pending ones; with `discardPending`, drops what has not been sent instead.
   */
  async close(options: { discardPending?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (options.discardPending === true) {
      for (const entry of [...this.pending.values()]) {
        this.removePending(entry);
        this.finish(entry, { outcome: 'discarded', requests: entry.requests });
      }
    }
    await this.flush();
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
  }

  private keyOf(resource: ResourceClient<KubeObject> | ResourceClient<never>, name: string): string {
    const descriptor = resource.descriptor;
    return `${descriptor.group}/${descriptor.plural}/${resource.namespace ?? ''}/${name}`;
  }

  private submit(
    resource: ResourceClient<KubeObject>,
    name: string,
    write: PendingWrite | undefined,
    isDelete: boolean,
    waiter: WriteCallback | undefined,
  ): void {
    if (this.closed) {
      waiter?.({ outcome: 'discarded', requests: 0 });
      return;
    }
    const key = this.keyOf(resource, name);
    let entry = this.pending.get(key);
    if (entry === undefined) {
      if (!isDelete && write !== undefined && !this.inFlight.has(key) && this.isAlreadyWritten(key, write)) {
        waiter?.({ outcome: 'unchanged', requests: 0 });
        return;
      }
      entry = {
        key,
        resource,
        name,
        deleteFirst: false,
        waiters: [],
        submissions: 0,
        firstSubmittedAt: this.clock.now(),
        lastSentAt: this.clock.now(),
        requests: 0,
        failures: 0,
        phase: this.inFlight.has(key) ? 'parked' : 'queued',
      };
      this.pending.set(key, entry);
      if (entry.phase === 'queued') this.queue.push(key);
    }
    entry.submissions += 1;
    if (waiter !== undefined && !entry.waiters.includes(waiter)) entry.waiters.push(waiter);
    if (isDelete) {
      entry.deleteFirst = true;
      delete entry.write;
    } else if (write !== undefined) {
      // An ensure stays an ensure when a plain status write follows it: the object may still be missing.
      const object = write.object ?? entry.write?.object;
      entry.write = object === undefined ? withoutObject(write) : { ...write, object };
      if (entry.phase !== 'parked' && !entry.deleteFirst && this.isAlreadyWritten(key, entry.write)) {
        this.removePending(entry);
        this.finish(entry, { outcome: 'unchanged', requests: entry.requests });
        return;
      }
    }
    this.reportPending();
    this.pump();
  }

  /**
   * Whether `write` equals the status last written to an existing object. A write
   * rendered at send time is only judged when `atSend` (it is rendered then).
   */
  private isAlreadyWritten(key: string, write: PendingWrite, atSend = false): boolean {
    const last = this.lastWritten.get(key);
    if (last === undefined || (write.object !== undefined && !this.existing.has(key))) return false;
    if (write.render !== undefined && write.hash === undefined && !atSend) return false;
    return hashOf(write) === last;
  }

  private removePending(entry: Entry): void {
    this.pending.delete(entry.key);
    entry.timer?.cancel();
    delete entry.timer;
    const index = this.queue.indexOf(entry.key);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight.size < this.maxInFlight) {
      const head = this.pending.get(this.queue[0] as string);
      if (head === undefined || head.phase !== 'queued') {
        this.queue.shift();
        continue;
      }
      // A status rendered now may equal what the server has: then it costs no request.
      if (!head.deleteFirst && head.write !== undefined && this.isAlreadyWritten(head.key, head.write, true)) {
        this.queue.shift();
        this.pending.delete(head.key);
        this.finish(head, { outcome: 'unchanged', requests: head.requests });
        continue;
      }
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        this.wakeIn(this.pausedUntil - now);
        return;
      }
      if (!this.bucket.tryTake()) {
        this.wakeIn(this.bucket.msUntilAvailable());
        return;
      }
      this.queue.shift();
      this.pending.delete(head.key);
      head.phase = 'in-flight';
      this.inFlight.set(head.key, head);
      void this.execute(head);
    }
  }

  private wakeIn(delayMs: number): void {
    const at = this.clock.now() + Math.max(1, delayMs);
    if (this.wakeTimer !== undefined && this.wakeAt <= at) return;
    this.wakeTimer?.cancel();
    this.wakeAt = at;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, at - this.clock.now());
  }

  private nextStep(entry: Entry): Step | undefined {
    if (entry.deleteFirst) return 'delete';
    if (entry.write === undefined) return undefined;
    if (entry.write.object !== undefined && !this.existing.has(entry.key)) return 'create';
    return 'status';
  }

  private async execute(entry: Entry): Promise<void> {
    const step = this.nextStep(entry);
    if (step === undefined) {
      this.complete(entry, { outcome: 'written', requests: entry.requests }, false);
      return;
    }
    entry.requests += 1;
    entry.lastSentAt = this.clock.now();
    const write = entry.write;
    try {
      await this.send(entry, step);
    } catch (error) {
      this.handleFailure(entry, step, error);
      return;
    }
    entry.failures = 0;
    if (step === 'delete') {
      entry.deleteFirst = false;
      this.existing.delete(entry.key);
      this.lastWritten.delete(entry.key);
    } else if (step === 'create') {
      this.existing.add(entry.key);
    } else if (write !== undefined) {
      this.existing.add(entry.key);
      this.lastWritten.set(entry.key, hashOf(write));
      delete entry.write;
    }
    if (this.nextStep(entry) === undefined) {
      this.complete(entry, { outcome: 'written', requests: entry.requests }, false);
    } else {
      // Creation done: the status follows at once, ahead of other objects, so a new object shows its status promptly.
      this.complete(entry, undefined, true);
    }
  }

  private async send(entry: Entry, step: Step): Promise<void> {
    const { resource, name } = entry;
    try {
      if (step === 'delete') {
        await resource.delete(name);
      } else if (step === 'create') {
        await resource.create(entry.write?.object ?? { metadata: { name } });
      } else {
        await resource.applyStatus(name, entry.write === undefined ? undefined : materialize(entry.write), { fieldManager: this.fieldManager, force: true });
      }
    } catch (error) {
      if (step === 'delete' && isKubeError(error, 'not-found')) return;
      if (step === 'create' && isKubeError(error, 'already-exists')) return;
      throw error;
    }
  }

  private handleFailure(entry: Entry, step: Step, error: unknown): void {
    forgetRendering(entry.write);
    const kubeError =
      error instanceof KubeError ? error : new KubeError('unexpected', `status writer: ${describeError(error)}`, { cause: error });
    const fields = { resource: entry.resource.descriptor.plural, name: entry.name, step, error: kubeError.message };
    if (step === 'status' && kubeError.kind === 'not-found') {
      this.existing.delete(entry.key);
      this.lastWritten.delete(entry.key);
      if (entry.write?.object === undefined) {
        this.complete(entry, { outcome: 'not-found', requests: entry.requests }, false);
        return;
      }
      // Deleted behind our back: create it again, then write the status.
      this.logger.info('status target vanished; creating it again', fields);
      this.retry(entry, kubeError, step);
      return;
    }
    if (kubeError.kind === 'too-many-requests') {
      const seconds = kubeError.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S;
      this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + seconds * 1000);
      this.logger.warn('API server throttled the status writer; pausing all writes', { ...fields, retryAfterSeconds: seconds });
      this.callHook(() => this.hooks.onThrottled?.({ retryAfterSeconds: seconds }));
      if (entry.requests >= this.maxAttempts) {
        this.giveUp(entry, kubeError, fields);
        return;
      }
      this.complete(entry, undefined, true);
      return;
    }
    if (kubeError.isTransient()) {
      this.retry(entry, kubeError, step);
      return;
    }
    this.giveUp(entry, kubeError, fields);
  }

  private giveUp(entry: Entry, error: KubeError, fields: Record<string, unknown>): void {
    this.logger.error('status write failed; giving up on it', { ...fields, requests: entry.requests });
    this.complete(entry, { outcome: 'failed', requests: entry.requests, error }, false);
  }

  private retry(entry: Entry, error: KubeError, step: Step): void {
    entry.failures += 1;
    if (entry.requests >= this.maxAttempts) {
      this.giveUp(entry, error, { resource: entry.resource.descriptor.plural, name: entry.name, step, error: error.message });
      return;
    }
    const delayMs = Math.min(this.maxRetryDelayMs, this.initialRetryDelayMs * 2 ** (entry.failures - 1));
    this.logger.warn('status write failed; retrying', {
      resource: entry.resource.descriptor.plural,
      name: entry.name,
      step,
      error: error.message,
      retryInMs: delayMs,
    });
    this.inFlight.delete(entry.key);
    const merged = this.mergeParked(entry);
    merged.phase = 'delayed';
    this.pending.set(merged.key, merged);
    merged.timer = this.clock.setTimeout(() => {
      delete merged.timer;
      if (this.pending.get(merged.key) !== merged) return;
      merged.phase = 'queued';
      this.queue.push(merged.key);
      this.pump();
    }, delayMs);
    this.reportPending();
    this.pump();
  }

  /** Folds a write submitted while `entry` was in flight into it: the newer status wins, waiters add up. */
  private mergeParked(entry: Entry): Entry {
    const parked = this.pending.get(entry.key);
    if (parked === undefined) return entry;
    this.pending.delete(entry.key);
    if (parked.deleteFirst) {
      entry.deleteFirst = true;
      delete entry.write;
    }
    if (parked.write !== undefined) {
      const object = parked.write.object ?? entry.write?.object;
      entry.write = object === undefined ? withoutObject(parked.write) : { ...parked.write, object };
    }
    entry.waiters.push(...parked.waiters);
    entry.submissions += parked.submissions;
    return entry;
  }

  /**
   * Ends the in-flight part of `entry`: with a `result`, the write is done; with
   * `requeueAtHead`, it goes back to the front of the queue (creation done, or
   * throttled). A write parked meanwhile then follows.
   */
  private complete(entry: Entry, result: WriteResult | undefined, requeueAtHead: boolean): void {
    this.inFlight.delete(entry.key);
    if (requeueAtHead) {
      const merged = this.mergeParked(entry);
      merged.phase = 'queued';
      this.pending.set(merged.key, merged);
      this.queue.unshift(merged.key);
    } else {
      if (result !== undefined) this.finish(entry, result);
      const parked = this.pending.get(entry.key);
      if (parked !== undefined && parked.phase === 'parked') {
        if (!parked.deleteFirst && parked.write !== undefined && this.isAlreadyWritten(parked.key, parked.write)) {
          this.pending.delete(parked.key);
          this.finish(parked, { outcome: 'unchanged', requests: parked.requests });
        } else {
          parked.phase = 'queued';
          this.queue.push(parked.key);
        }
      }
    }
    this.reportPending();
    this.pump();
  }

  private finish(entry: Entry, result: WriteResult): void {
    const now = this.clock.now();
    const event: WriteCompletedEvent = {
      resource: entry.resource.descriptor.plural,
      outcome: result.outcome,
      waitSeconds: Math.max(0, ((entry.requests > 0 ? entry.lastSentAt : now) - entry.firstSubmittedAt) / 1000),
      latencySeconds: Math.max(0, (now - entry.firstSubmittedAt) / 1000),
      submissions: entry.submissions,
      requests: entry.requests,
    };
    if (result.outcome === 'written' || result.outcome === 'not-found') {
      this.logger.debug('status write done', { resource: event.resource, name: entry.name, outcome: result.outcome, requests: entry.requests });
    }
    this.callHook(() => this.hooks.onWriteCompleted?.(event));
    for (const waiter of entry.waiters) {
      try {
        waiter(result);
      } catch (error) {
        this.logger.error('a status write callback threw', { name: entry.name, error: describeError(error) });
      }
    }
    entry.waiters = [];
    this.reportPending();
  }

  private reportPending(): void {
    const pending = this.pendingCount;
    if (pending !== this.lastPendingReported) {
      this.lastPendingReported = pending;
      this.callHook(() => this.hooks.onPendingChange?.(pending));
    }
    if (pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private callHook(call: () => void): void {
    try {
      call();
    } catch {
      // Metrics hooks must not break writing.
    }
  }
}
