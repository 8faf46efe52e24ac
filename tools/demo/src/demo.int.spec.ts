import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DEMO = join(REPO_ROOT, 'tools/demo/src/demo.ts');

/** Runs the demo as `npm run demo` does (after bootstrap), with stdout a pipe: the CI mode. */
function runDemo(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--conditions=@nmfleet/source', '--import', 'tsx', DEMO, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo, not on a terminal', () => {
  it('rolls the upstream examples out on a small fleet, prints the summary, stops everything and exits 0', async () => {
    const run = await runDemo(['--nodes', '12', '--latency-ms', '20', '--qps', '100', '--burst', '100']);
    expect(run.code, `${run.stdout}\n${run.stderr.slice(-3000)}`).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Applying 20 policies to 12 nodes');
    // Plain progress lines (no terminal control sequences), the last one complete.
    expect(out).not.toContain('\x1b[');
    expect(out).toMatch(/s: 20\/20 policies settled; enactments (\d+)\/\1 available, 0 progressing, 0 failing, 0 aborted\n/);
    expect(out).toContain('Rollout finished in');
    const rows = out.split('\n').filter((line) => /^\S+ +(Available|Degraded|Progressing|Pending|Ignored) /.test(line));
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row).toMatch(/^\S+ +Available +SuccessfullyConfigured +(\d+)\/\1 nodes successfully configured$/);
    expect(out).toMatch(/API requests \(kube-apiserver's apiserver_request_total, since the policies were applied\): \d+ \(\d+ by the coordinator, 20 by the demo itself\)/);
    const prometheusUrl = /Prometheus: (http:\/\/127\.0\.0\.1:\d+) /.exec(out)?.[1];
    expect(prometheusUrl).toBeDefined();
    expect(out).toContain(`${prometheusUrl}/graph?g0.expr=nmfleet_policies`);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(out)?.[1];
    expect(kubeconfig).toMatch(/kubeconfig$/);
    for (const command of ['kubectl get nncp', 'kubectl get nnce', 'kubectl get nns']) expect(out).toContain(command);
    expect(out).toContain('Stopping everything');
    // Nothing is left running: Prometheus and the coordinator's metrics endpoint are gone.
    const metricsUrl = /scraping the coordinator at (http:\/\/\S+)\/metrics/.exec(out)?.[1] ?? '';
    expect(await answers(`${prometheusUrl}/-/ready`)).toBe(false);
    expect(await answers(`${metricsUrl}/healthz`)).toBe(false);
  });

  it('refuses a fleet too small for the examples, before starting anything', async () => {
    const run = await runDemo(['--nodes', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--nodes "3" is invalid: expected an integer of at least 11');
    expect(run.stdout).toBe('');
  });
});
