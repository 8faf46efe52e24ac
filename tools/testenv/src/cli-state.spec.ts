import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteForShell, renderExports, type UpEntry } from './cli-state.js';

function entry(exports: Record<string, string>): UpEntry {
  return { startedAt: '2026-01-01T00:00:00Z', exports, details: {}, record: { kind: 'x', owner: undefined, processes: [], namespaces: [], dirs: [] } };
}

describe('evaluable output of up', () => {
  it.each(['/tmp/plain/kubeconfig', "it's quoted", 'spaces and $HOME and `cmd` and "double"'])('quotes %s so that sh gives it back unchanged', (value) => {
    const result = spawnSync('sh', ['-c', `printf %s ${quoteForShell(value)}`], { encoding: 'utf8' });
    expect(result.stdout).toBe(value);
  });

  it('prints export lines in a stable service order', () => {
    const lines = renderExports({
      version: 1,
      services: { prometheus: entry({ PROMETHEUS_URL: 'http://127.0.0.1:9090' }), k8s: entry({ KUBECONFIG: '/k' }), redis: entry({ REDIS_URL: 'redis://127.0.0.1:1' }) },
    });
    expect(lines).toEqual(["export KUBECONFIG='/k'", "export REDIS_URL='redis://127.0.0.1:1'", "export PROMETHEUS_URL='http://127.0.0.1:9090'"]);
    const evaluated = spawnSync('sh', ['-c', `${lines.join('\n')}\nprintf '%s|%s|%s' "$KUBECONFIG" "$REDIS_URL" "$PROMETHEUS_URL"`], { encoding: 'utf8' });
    expect(evaluated.stdout).toBe('/k|redis://127.0.0.1:1|http://127.0.0.1:9090');
  });
});
