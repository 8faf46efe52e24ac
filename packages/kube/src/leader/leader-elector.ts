import type { Lease, LeaseSpec } from '../api/core-types.js';
import type { KubeClient } from '../client/kube-client.js';
import { isKubeError, KubeError } from '../client/kube-error.js';
import type { ResourceClient } from '../client/resource-client.js';
import { describeError, silentLogger, type Logger } from '../logger.js';
import { sleep, systemClock, type Clock } from '../time/clock.js';

/** client-go's default lease duration. */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
/** client-go's default renew deadline. */
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
/** client-go's default retry period. */
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

/** Options of {@link LeaderElector}. */
export interface LeaderElectorOptions {
  client: KubeClient;
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease (e.g. `nmfleet-coordinator`). */
  name: string;
  /** This candidate's identity, unique among candidates (e.g. the pod name). */
  identity: string;
  /** How long a lease holds without renewal before others may take it. Default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. Default 10 s; must be below the lease duration. */
  renewDeadlineMs?: number;
  /** Interval between acquire and renew attempts. Default 2 s; must be below the renew deadline. */
  retryPeriodMs?: number;
  /**
   * Called on becoming leader. `signal` aborts when leadership ends (lost, or
   * shutting down); a returned promise should settle soon after that, and the
   * lease is released only once it has, so two leaders never work at once.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called after leading ended. */
  onStoppedLeading?(): void;
  /** Called when the observed holder changes (including to this candidate). */
  onNewLeader?(identity: string): void;
  /** Give the lease up on shutdown so a successor takes over at once. Default true. */
  releaseOnStop?: boolean;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: silent. */
  logger?: Logger;
}

/** MicroTime as the API server wants it: RFC 3339 with six fractional digits. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules:
 * a candidate takes the lease when it is free or when its holder has not
 * renewed it for a lease duration (measured on the local clock from when the
 * candidate last saw it change, so clock skew between machines does not
 * matter); the leader renews every retry period and stops leading when it
 * could not renew for a renew deadline. Updates carry the resourceVersion, so
 * of two candidates racing for the lease exactly one wins. On shutdown the
 * leader stops its work, then releases the lease.
 */
export class LeaderElector {
  private readonly leases: ResourceClient<Lease>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: Lease | undefined;
  private observedAt = 0;
  private leading = false;
  private lastReportedLeader: string | undefined;

  constructor(private readonly options: LeaderElectorOptions) {
    this.leases = options.client.leases(options.namespace);
    this.clock = options.clock ?? options.client.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.leaseDurationMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (options.identity === '' || options.name === '' || options.namespace === '') {
      throw new KubeError('invalid-argument', 'leader election: identity, name and namespace must not be empty');
    }
    if (!(this.retryPeriodMs > 0 && this.renewDeadlineMs > this.retryPeriodMs && this.leaseDurationMs > this.renewDeadlineMs)) {
      throw new KubeError(
        'invalid-argument',
        `leader election: expected 0 < retryPeriodMs (${this.retryPeriodMs}) < renewDeadlineMs (${this.renewDeadlineMs}) < leaseDurationMs (${this.leaseDurationMs})`,
      );
    }
  }

  /** Whether this candidate currently leads. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed on the lease, if any. */
  get observedLeader(): string | undefined {
    const holder = this.observed?.spec?.holderIdentity;
    return holder === undefined || holder === '' ? undefined : holder;
  }

  /**
   * Campaigns, leads, and campaigns again after losing the lease, until
   * `signal` aborts; then stops leading, releases the lease and resolves.
   */
  async run(signal: AbortSignal): Promise<void> {
    const fields = { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity };
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) break;
      this.leading = true;
      this.logger.info('became leader', fields);
      const leadership = new AbortController();
      const work = Promise.resolve()
        .then(() => this.options.onStartedLeading(leadership.signal))
        .catch((error: unknown) => this.logger.error('leader work failed', { ...fields, error: describeError(error) }));
      const lost = await this.renewUntilLost(signal);
      leadership.abort();
      await work;
      this.leading = false;
      if (lost) {
        this.logger.warn('lost leadership: could not renew the lease within the renew deadline', fields);
      } else if (this.options.releaseOnStop !== false) {
        await this.release();
      }
      this.callHook(() => this.options.onStoppedLeading?.());
    }
  }

  /** Tries until the lease is ours; false when `signal` aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) return true;
      await sleep(this.clock, this.retryPeriodMs, signal);
    }
    return false;
  }

  /** Renews every retry period; resolves true when leadership was lost, false when `signal` aborted. */
  private async renewUntilLost(signal: AbortSignal): Promise<boolean> {
    let lastRenewed = this.clock.now();
    while (!signal.aborted) {
      await sleep(this.clock, this.retryPeriodMs, signal);
      if (signal.aborted) return false;
      const deadline = lastRenewed + this.renewDeadlineMs;
      const renewed = await this.withDeadline(this.tryAcquireOrRenew(), deadline);
      if (renewed) {
        lastRenewed = this.clock.now();
      } else if (this.clock.now() >= deadline) {
        return true;
      }
    }
    return false;
  }

  /** `attempt`, or false if it has not settled by `deadline` (a hung request must not keep a stale leader leading). */
  private withDeadline(attempt: Promise<boolean>, deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), Math.max(0, deadline - this.clock.now()));
      void attempt.then((ok) => {
        timer.cancel();
        resolve(ok);
      });
    });
  }

  private desiredSpec(now: number, previous: LeaseSpec | undefined): LeaseSpec {
    const ours = previous?.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: ours && previous?.acquireTime !== undefined ? previous.acquireTime : formatMicroTime(now),
      renewTime: formatMicroTime(now),
      leaseTransitions: ours ? (previous?.leaseTransitions ?? 0) : (previous?.leaseTransitions ?? -1) + 1,
    };
  }

  private observe(lease: Lease): void {
    const before = this.observed?.spec;
    const after = lease.spec;
    if (before?.holderIdentity !== after?.holderIdentity || before?.renewTime !== after?.renewTime || this.observed === undefined) {
      this.observedAt = this.clock.now();
    }
    this.observed = lease;
    const leader = this.observedLeader;
    if (leader !== undefined && leader !== this.lastReportedLeader) {
      this.lastReportedLeader = leader;
      this.callHook(() => this.options.onNewLeader?.(leader));
    }
  }

  /** One attempt to take or keep the lease. Never throws. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    try {
      // The leader updates from its last observation without reading first; a conflict sends it the slow way.
      if (this.leading && this.observed !== undefined) {
        try {
          this.observe(await this.leases.replace({ ...this.observed, spec: this.desiredSpec(now, this.observed.spec) }));
          return true;
        } catch (error) {
          if (!isKubeError(error, 'conflict')) throw error;
        }
      }
      const current = await this.leases.find(this.options.name);
      if (current === undefined) {
        try {
          const created = await this.leases.create({
            metadata: { name: this.options.name, namespace: this.options.namespace },
            spec: this.desiredSpec(now, undefined),
          });
          this.observe(created);
          return true;
        } catch (error) {
          if (isKubeError(error, 'already-exists')) return false;
          throw error;
        }
      }
      this.observe(current);
      const holder = current.spec?.holderIdentity ?? '';
      const durationMs = (current.spec?.leaseDurationSeconds ?? Math.ceil(this.leaseDurationMs / 1000)) * 1000;
      if (holder !== '' && holder !== this.options.identity && this.observedAt + durationMs > now) return false;
      const updated = await this.leases.replace({ ...current, spec: this.desiredSpec(now, current.spec) });
      this.observe(updated);
      return true;
    } catch (error) {
      const level = isKubeError(error, 'conflict') ? 'debug' : 'warn';
      this.logger[level]('lease attempt failed', {
        lease: `${this.options.namespace}/${this.options.name}`,
        identity: this.options.identity,
        error: describeError(error),
      });
      return false;
    }
  }

  private async release(): Promise<void> {
    const observed = this.observed;
    if (observed?.spec?.holderIdentity !== this.options.identity) return;
    const now = this.clock.now();
    try {
      this.observe(
        await this.leases.replace({
          ...observed,
          spec: {
            holderIdentity: '',
            leaseDurationSeconds: 1,
            acquireTime: formatMicroTime(now),
            renewTime: formatMicroTime(now),
            leaseTransitions: observed.spec.leaseTransitions ?? 0,
          },
        }),
      );
      this.logger.info('released the lease', { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity });
    } catch (error) {
      // The lease then expires on its own after a lease duration.
      this.logger.warn('could not release the lease', { identity: this.options.identity, error: describeError(error) });
    }
  }

  private callHook(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error('leader election callback threw', { identity: this.options.identity, error: describeError(error) });
    }
  }
}
