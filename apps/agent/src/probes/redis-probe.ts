import type { Probe } from './probe.js';

/** What the probe needs of a Redis connection. */
export interface Pingable {
  ping(): Promise<string>;
}

/** Redis reachable: PING answers PONG (the agent cannot report without it). */
export function createRedisProbe(redis: Pingable): Probe {
  return {
    kind: 'redis',
    check: async () => (await redis.ping()) === 'PONG',
  };
}
