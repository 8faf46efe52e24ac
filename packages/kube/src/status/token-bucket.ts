import { KubeError } from '../client/kube-error.js';
import type { Clock } from '../time/clock.js';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  qps: number;
  /** Most tokens held at once: how many requests may go out back to back after a quiet period. */
  burst: number;
  clock: Clock;
}

/**
 * A token bucket (client-go's flowcontrol): it starts full, refills
 * continuously at `qps` up to `burst`, and each request takes one token.
 */
export class TokenBucket {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!Number.isFinite(options.qps) || options.qps <= 0) {
      throw new KubeError('invalid-argument', `token bucket: qps must be a positive number, got ${options.qps}`);
    }
    if (!Number.isInteger(options.burst) || options.burst < 1) {
      throw new KubeError('invalid-argument', `token bucket: burst must be an integer of at least 1, got ${options.burst}`);
    }
    this.qps = options.qps;
    this.burst = options.burst;
    this.clock = options.clock;
    this.tokens = options.burst;
    this.updatedAt = options.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.qps) / 1000);
    }
    this.updatedAt = now;
  }

  /** Takes a token if one is available. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token will be available (0 when one is). */
  msUntilAvailable(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.qps);
  }

  /** Tokens available now (fractional). */
  get available(): number {
    this.refill();
    return this.tokens;
  }
}
