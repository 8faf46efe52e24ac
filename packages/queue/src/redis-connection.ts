import { Redis } from 'ioredis';
import { QueueError } from './errors.js';
import { ALL_SCRIPTS } from './scripts/script-registry.js';
import type { ScriptDefinition } from './scripts/script-definition.js';

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** Name shown by `CLIENT LIST`. Default: `nmfleet`. */
  connectionName?: string;
  /** Longest wait between reconnect attempts, in milliseconds. Default: 2000. */
  maxReconnectDelayMs?: number;
  /**
   * Send the commands issued in one event-loop tick as one pipeline (ioredis's
   * `enableAutoPipelining`). Default: false: on a connection to a nearby Redis, building
   * a pipeline per tick cost more CPU than the writes it saved (the rollout benchmark ran
   * 9 % faster without it, with less CPU in the agent and the coordinator; docs/benchmarks.md).
   */
  autoPipelining?: boolean;
  /** Called with connection errors (they also make commands wait, not fail). */
  onError?: (error: Error) => void;
}

/** Default of {@link RedisConnectionOptions.maxReconnectDelayMs}. */
export const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Opens the shared command connection of a process. Commands issued while Redis
 * is unreachable wait for the reconnect instead of failing (`maxRetriesPerRequest:
 * null`, which BullMQ also requires), so an outage delays work but loses none.
 * Every script of this package is registered on it.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new QueueError('invalid', `Redis URL ${JSON.stringify(url)} is invalid: expected redis://HOST:PORT[/DB]`, { cause: error });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueError('invalid', `Redis URL ${JSON.stringify(url)} is invalid: expected the redis:// or rediss:// scheme`);
  }
  const maxDelayMs = options.maxReconnectDelayMs ?? MAX_RECONNECT_DELAY_MS;
  const redis = new Redis(url, {
    connectionName: options.connectionName ?? 'nmfleet',
    maxRetriesPerRequest: null,
    enableAutoPipelining: options.autoPipelining ?? false,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelayMs),
  });
  redis.on('error', (error: Error) => options.onError?.(error));
  registerScripts(redis);
  return redis;
}

/** Registers this package's scripts on a connection (idempotent). */
export function registerScripts(redis: Redis): void {
  for (const script of ALL_SCRIPTS) {
    if (typeof (redis as unknown as Record<string, unknown>)[script.name] !== 'function') {
      redis.defineCommand(script.name, { numberOfKeys: 0, lua: script.lua });
    }
  }
}

/** Runs a registered script (EVALSHA, falling back to EVAL once per connection). */
export function runScript(redis: Redis, script: ScriptDefinition, args: readonly (string | number)[]): Promise<unknown> {
  if (typeof (redis as unknown as Record<string, unknown>)[script.name] !== 'function') registerScripts(redis);
  const command = (redis as unknown as Record<string, unknown>)[script.name];
  return (command as (...a: (string | number)[]) => Promise<unknown>).apply(redis, [...args]);
}
