import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isTestenvError } from './errors.js';
import { parseScrapeTarget, renderPrometheusConfig } from './prometheus-config.js';

describe('prometheus.yml', () => {
  it('accepts host:port and http(s) URLs with a path', () => {
    expect(parseScrapeTarget('127.0.0.1:9464')).toEqual({ scheme: 'http', address: '127.0.0.1:9464', metricsPath: '/metrics' });
    expect(parseScrapeTarget('https://localhost:8443/stats/prom')).toEqual({ scheme: 'https', address: 'localhost:8443', metricsPath: '/stats/prom' });
  });

  it.each(['not a target', 'ftp://127.0.0.1:21/x', 'http://127.0.0.1/metrics', 'http://127.0.0.1:9/metrics?x=1'])('rejects %s', (target) => {
    let error: unknown;
    try {
      parseScrapeTarget(target);
    } catch (e) {
      error = e;
    }
    expect(isTestenvError(error, 'invalid-argument')).toBe(true);
  });

  it('groups targets by scheme and path, one job each, with the interval everywhere', () => {
    const text = renderPrometheusConfig(
      ['127.0.0.1:1', '127.0.0.1:2', 'http://127.0.0.1:3/other'].map(parseScrapeTarget),
      'coordinator',
      1_500,
    );
    expect(load(text)).toEqual({
      global: { scrape_interval: '1500ms', scrape_timeout: '1500ms', evaluation_interval: '1500ms' },
      scrape_configs: [
        { job_name: 'coordinator', scheme: 'http', metrics_path: '/metrics', static_configs: [{ targets: ['127.0.0.1:1', '127.0.0.1:2'] }] },
        { job_name: 'coordinator-1', scheme: 'http', metrics_path: '/other', static_configs: [{ targets: ['127.0.0.1:3'] }] },
      ],
    });
  });

  it('renders a valid config without targets', () => {
    expect(load(renderPrometheusConfig([], 'testenv', 1_000))).toMatchObject({ global: { scrape_interval: '1s' }, scrape_configs: [] });
  });
});
