import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { UPSTREAM_NNCP_EXAMPLES } from './upstream-fleet.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const policiesDir = mkdtempSync(join(tmpdir(), 'fleet-sim-cli-'));

afterAll(() => rmSync(policiesDir, { recursive: true, force: true }));

describe('npm run sim', () => {
  it('rolls the policies of a folder out to generated nodes and prints the JSON summary', async () => {
    // worker-selector selects node-role.kubernetes.io/worker, which every generated node carries.
    copyFileSync(join(UPSTREAM_NNCP_EXAMPLES, 'worker-selector.yaml'), join(policiesDir, 'worker-selector.yaml'));
    copyFileSync(join(UPSTREAM_NNCP_EXAMPLES, 'static-ip.yaml'), join(policiesDir, 'static-ip.yaml'));
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'sim', '--', '--nodes', '4', '--policies', policiesDir, '--latency-ms', '20', '--status-qps', '100', '--json'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, KUBECONFIG: '', REDIS_URL: '' } },
    );
    const summary = JSON.parse(stdout) as {
      policies: { name: string; status: string; reason: string; nodes: Record<string, number>; maxInProgress: number }[];
      wallSeconds: number;
      apiRequests: { total: number; byVerb: Record<string, number> };
    };
    console.log(`[cli] settled in ${summary.wallSeconds}s with ${summary.apiRequests.total} API requests`);
    expect(summary.policies.map((p) => [p.name, p.status, p.reason])).toEqual([
      // static-ip selects kubernetes.io/hostname=node02, which no simulated node is.
      ['static-ip', 'Ignored', 'NoMatchingNode'],
      ['worker-selector', 'Available', 'SuccessfullyConfigured'],
    ]);
    expect(summary.policies[1]).toMatchObject({ nodes: { matching: 4, available: 4, failing: 0, aborted: 0, pending: 0 } });
    expect(summary.policies[1]?.maxInProgress).toBeLessThanOrEqual(2);
    expect(summary.apiRequests.total).toBeGreaterThan(0);
    expect(summary.apiRequests.byVerb.POST).toBeGreaterThan(0);
  });
});
