import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_RENEW_DEADLINE_MS, DEFAULT_RETRY_PERIOD_MS, DEFAULT_STATUS_BURST, DEFAULT_STATUS_QPS } from '@nmfleet/kube';
import { DEFAULT_KEY_PREFIX } from '@nmfleet/queue';
import { LOG_THRESHOLDS, type LogThreshold } from '@nmfleet/telemetry';
import { SWEEP_INTERVAL_MS } from './leader-session.js';

/** Default of {@link CoordinatorConfig.metricsPort}. */
export const DEFAULT_METRICS_PORT = 8080;

/** Everything the coordinator is told, validated once. Only this file reads `process.env`. */
export interface CoordinatorConfig {
  /** `KUBECONFIG`: a kubeconfig file; unset: the in-cluster service account. */
  kubeconfigPath?: string;
  /** `REDIS_URL` (required). */
  redisUrl: string;
  /** `NMFLEET_KEY_PREFIX`: isolation prefix of the Redis keys. Default `default`. */
  keyPrefix: string;
  /** `NMFLEET_STATUS_QPS`: status writes per second. Default 20. */
  statusQps: number;
  /** `NMFLEET_STATUS_BURST`. Default 30. */
  statusBurst: number;
  /** `NMFLEET_LEADER_ELECTION_NAMESPACE` (else `POD_NAMESPACE`, else `default`). */
  leaseNamespace: string;
  /** `NMFLEET_LEADER_ELECTION_NAME`. Default `nmfleet-coordinator`. */
  leaseName: string;
  /** `NMFLEET_IDENTITY` (else `POD_NAME`, else host, pid and a random suffix). */
  identity: string;
  /** `NMFLEET_LEASE_DURATION_MS`. Default 15 000. */
  leaseDurationMs: number;
  /** `NMFLEET_RENEW_DEADLINE_MS`. Default 10 000. */
  renewDeadlineMs: number;
  /** `NMFLEET_RETRY_PERIOD_MS`. Default 2000. */
  retryPeriodMs: number;
  /** `NMFLEET_METRICS_HOST`. Default `0.0.0.0`. */
  metricsHost: string;
  /** `NMFLEET_METRICS_PORT` (0 picks a free one). Default 8080. */
  metricsPort: number;
  /** `NMFLEET_SWEEP_INTERVAL_MS`. Default 5000. */
  sweepIntervalMs: number;
  /** `LOG_LEVEL`. Default `info`. */
  logLevel: LogThreshold;
}

/** A configuration problem; main prints it and exits with status 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new ConfigError(`${name}=${JSON.stringify(text)} is invalid: expected an integer of at least ${minimum}`);
  }
  return value;
}

function readNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name}=${JSON.stringify(text)} is invalid: expected a positive number`);
  return value;
}

/** Reads and validates the environment; throws {@link ConfigError} naming what was expected. */
export function loadCoordinatorConfig(env: NodeJS.ProcessEnv = process.env): CoordinatorConfig {
  const redisUrl = env.REDIS_URL;
  if (redisUrl === undefined || redisUrl === '') throw new ConfigError('REDIS_URL is not set: expected redis://HOST:PORT');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(LOG_THRESHOLDS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL=${JSON.stringify(logLevel)} is invalid: expected one of ${LOG_THRESHOLDS.join(', ')}`);
  }
  const config: CoordinatorConfig = {
    redisUrl,
    keyPrefix: env.NMFLEET_KEY_PREFIX || DEFAULT_KEY_PREFIX,
    statusQps: readNumber(env, 'NMFLEET_STATUS_QPS', DEFAULT_STATUS_QPS),
    statusBurst: readInteger(env, 'NMFLEET_STATUS_BURST', DEFAULT_STATUS_BURST, 1),
    leaseNamespace: env.NMFLEET_LEADER_ELECTION_NAMESPACE || env.POD_NAMESPACE || 'default',
    leaseName: env.NMFLEET_LEADER_ELECTION_NAME || 'nmfleet-coordinator',
    identity: env.NMFLEET_IDENTITY || env.POD_NAME || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    leaseDurationMs: readInteger(env, 'NMFLEET_LEASE_DURATION_MS', DEFAULT_LEASE_DURATION_MS, 1),
    renewDeadlineMs: readInteger(env, 'NMFLEET_RENEW_DEADLINE_MS', DEFAULT_RENEW_DEADLINE_MS, 1),
    retryPeriodMs: readInteger(env, 'NMFLEET_RETRY_PERIOD_MS', DEFAULT_RETRY_PERIOD_MS, 1),
    metricsHost: env.NMFLEET_METRICS_HOST || '0.0.0.0',
    metricsPort: readInteger(env, 'NMFLEET_METRICS_PORT', DEFAULT_METRICS_PORT, 0),
    sweepIntervalMs: readInteger(env, 'NMFLEET_SWEEP_INTERVAL_MS', SWEEP_INTERVAL_MS, 1),
    logLevel: logLevel as LogThreshold,
  };
  if (!(config.retryPeriodMs < config.renewDeadlineMs && config.renewDeadlineMs < config.leaseDurationMs)) {
    throw new ConfigError(
      `leader election timings are invalid: expected NMFLEET_RETRY_PERIOD_MS (${config.retryPeriodMs}) < NMFLEET_RENEW_DEADLINE_MS (${config.renewDeadlineMs}) < NMFLEET_LEASE_DURATION_MS (${config.leaseDurationMs})`,
    );
  }
  if (config.metricsPort > 65_535) throw new ConfigError(`NMFLEET_METRICS_PORT=${config.metricsPort} is invalid: expected a port number`);
  if (env.KUBECONFIG) config.kubeconfigPath = env.KUBECONFIG;
  return config;
}
