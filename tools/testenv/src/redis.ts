import { connect } from 'node:net';
import { join } from 'node:path';
import { TestenvError } from './errors.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { findFreePort, retryOnPortRace, waitUntilReady } from './readiness.js';
import { STOP_GRACE_MS, ServiceScope, sweepAbandonedLeases, type ScopeRecord } from './service-scope.js';

const REDIS_PING_TIMEOUT_MS = 1_000;

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Keep data on disk (AOF, fsync every second) in the instance's temp folder. Default: false (memory only). */
  readonly persistence?: boolean;
  /** Number of logical databases (`SELECT 0..n-1`). Default: 16. */
  readonly databases?: number;
  /** Further `redis-server` arguments, e.g. `['--maxmemory', '64mb']`. Default: none. */
  readonly extraArgs?: readonly string[];
  /** The `redis-server` binary. Default: `redis-server` on PATH (Debian's). */
  readonly command?: string;
  /** Deadline for answering PING. Default: 10 000 ms. */
  readonly startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop. Default: 10 000 ms. */
  readonly stopGraceMs?: number;
  /** Keep running after this process exits (the CLI's `up`). Default: false. */
  readonly detached?: boolean;
  /** Events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

/** A running Redis. */
export interface RedisHandle {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** What a detached instance needs to be stopped later. */
  record(): ScopeRecord;
  /** Stops Redis by PID and removes its folder. */
  stop(): Promise<void>;
}

/** Sends an inline PING and resolves whether Redis answered +PONG. */
export function pingRedis(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(REDIS_PING_TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port with its own temp folder: no
 * persistence unless asked, `maxmemory-policy noeviction` (BullMQ needs its
 * keys kept), protected mode on. Ready when it answers PING.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const log = options.log ?? createStderrLogger();
  const databases = options.databases ?? 16;
  if (!Number.isInteger(databases) || databases < 1) {
    throw new TestenvError('invalid-argument', `databases must be a positive integer, not ${databases}`);
  }
  if (!options.detached) await sweepAbandonedLeases();
  const startedAt = Date.now();
  return retryOnPortRace(async () => {
    const scope = new ServiceScope('redis', { detached: options.detached });
    try {
      const port = await findFreePort();
      const persistence = options.persistence
        ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '3600 1']
        : ['--appendonly', 'no', '--save', ''];
      const logFile = join(scope.dir, 'redis.log');
      const service = scope.spawn({
        name: 'redis-server',
        command: options.command ?? 'redis-server',
        args: [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--protected-mode', 'yes',
          '--daemonize', 'no',
          '--supervised', 'no',
          '--dir', scope.dir,
          '--logfile', '',
          '--databases', String(databases),
          '--maxmemory-policy', 'noeviction',
          ...persistence,
          ...(options.extraArgs ?? []),
        ],
        logFile,
      });
      await waitUntilReady(() => pingRedis(port), {
        service,
        timeoutMs: options.startTimeoutMs ?? 10_000,
        condition: `PING on 127.0.0.1:${port} answers PONG`,
      });
      const url = `redis://127.0.0.1:${port}`;
      log.info('redis ready', { url, pid: service.pid, ms: Date.now() - startedAt });
      return {
        url,
        host: '127.0.0.1',
        port,
        pid: service.pid,
        logFile,
        record: () => scope.record(),
        stop: () => scope.close(options.stopGraceMs ?? STOP_GRACE_MS),
      };
    } catch (error) {
      await scope.close(1_000);
      throw error;
    }
  });
}
