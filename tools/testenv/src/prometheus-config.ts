import { TestenvError } from './errors.js';

/** One scrape target, split the way prometheus.yml wants it. */
export interface ScrapeTarget {
  readonly scheme: 'http' | 'https';
  readonly address: string;
  readonly metricsPath: string;
}

/** Accepts `host:port` (path `/metrics`) or an `http(s)://host:port/path` URL. */
export function parseScrapeTarget(target: string): ScrapeTarget {
  const text = target.includes('://') ? target : `http://${target}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TestenvError('invalid-argument', `scrape target "${target}" is neither host:port nor an http(s) URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.port || url.search || url.hash) {
    throw new TestenvError('invalid-argument', `scrape target "${target}" must be host:port or http(s)://host:port/path with an explicit port`);
  }
  return { scheme: url.protocol === 'https:' ? 'https' : 'http', address: url.host, metricsPath: url.pathname === '/' ? '/metrics' : url.pathname };
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Renders prometheus.yml. Prometheus takes one scheme and path per scrape config,
 * so targets are grouped by (scheme, path): the first group's job is `jobName`,
 * further groups get `jobName-1`, `jobName-2`, ….
 */
export function renderPrometheusConfig(targets: readonly ScrapeTarget[], jobName: string, intervalMs: number): string {
  const groups = new Map<string, ScrapeTarget[]>();
  for (const target of targets) {
    const key = `${target.scheme} ${target.metricsPath}`;
    groups.set(key, [...(groups.get(key) ?? []), target]);
  }
  const interval = formatDuration(intervalMs);
  const lines = ['global:', `  scrape_interval: ${interval}`, `  scrape_timeout: ${interval}`, `  evaluation_interval: ${interval}`, 'scrape_configs:'];
  let index = 0;
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    lines.push(
      `  - job_name: ${JSON.stringify(index === 0 ? jobName : `${jobName}-${index}`)}`,
      `    scheme: ${first.scheme}`,
      `    metrics_path: ${JSON.stringify(first.metricsPath)}`,
      '    static_configs:',
      `      - targets: [${group.map((target) => JSON.stringify(target.address)).join(', ')}]`,
    );
    index++;
  }
  if (groups.size === 0) lines.push('  []');
  return `${lines.join('\n')}\n`;
}
