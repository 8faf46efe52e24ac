import { describe, expect, it } from 'vitest';
import { loadCoordinatorConfig } from './config.js';

describe('loadCoordinatorConfig', () => {
  it('takes defaults for everything but Redis', () => {
    const config = loadCoordinatorConfig({ REDIS_URL: 'redis://r:6379', POD_NAME: 'coordinator-0', POD_NAMESPACE: 'nmstate' });
    expect(config).toMatchObject({
      redisUrl: 'redis://r:6379',
      keyPrefix: 'default',
      statusQps: 20,
      statusBurst: 30,
      leaseNamespace: 'nmstate',
      leaseName: 'nmfleet-coordinator',
      identity: 'coordinator-0',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2000,
      metricsPort: 8080,
      logLevel: 'info',
    });
    expect(config.kubeconfigPath).toBeUndefined();
  });

  it.each([
    [{}, /REDIS_URL is not set/],
    [{ REDIS_URL: 'redis://r', NMFLEET_STATUS_QPS: '0' }, /NMFLEET_STATUS_QPS="0" is invalid: expected a positive number/],
    [{ REDIS_URL: 'redis://r', NMFLEET_STATUS_BURST: '1.5' }, /NMFLEET_STATUS_BURST="1.5" is invalid: expected an integer/],
    [{ REDIS_URL: 'redis://r', NMFLEET_RETRY_PERIOD_MS: '20000' }, /expected NMFLEET_RETRY_PERIOD_MS \(20000\) < NMFLEET_RENEW_DEADLINE_MS/],
    [{ REDIS_URL: 'redis://r', NMFLEET_METRICS_PORT: '70000' }, /NMFLEET_METRICS_PORT=70000 is invalid/],
    [{ REDIS_URL: 'redis://r', LOG_LEVEL: 'chatty' }, /LOG_LEVEL="chatty" is invalid: expected one of/],
  ])('refuses %j', (env, message) => {
    expect(() => loadCoordinatorConfig(env)).toThrow(message);
  });
});
