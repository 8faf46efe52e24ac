import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpState } from './cli-state.js';
import { isProcessAlive } from './process-identity.js';
import { pingRedis } from './redis.js';
import { releaseScopeRecord } from './service-scope.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the testenv CLI: up, status, down', () => {
  // A private state folder, so this suite never touches a developer's own `up` in the repository.
  const stateDir = mkdtempSync(join(tmpdir(), 'testenv-cli-spec-'));
  const run = (...args: string[]) =>
    new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
        env: { ...process.env, NMFLEET_TESTENV_STATE_DIR: stateDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  const readState = () => JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as UpState;
  const evaluate = async (lines: string) => {
    const result = await new Promise<string>((resolve) => {
      const sh = spawn('sh', ['-c', `${lines}\nprintf '%s\\n%s\\n%s' "$KUBECONFIG" "$REDIS_URL" "$PROMETHEUS_URL"`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      sh.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      sh.once('close', () => resolve(out));
    });
    const [kubeconfig, redisUrl, prometheusUrl] = result.split('\n');
    return { kubeconfig, redisUrl, prometheusUrl };
  };

  afterAll(async () => {
    // Only if an assertion failed half-way: stop what the state still lists.
    if (existsSync(join(stateDir, 'state.json'))) {
      for (const entry of Object.values(readState().services)) if (entry) await releaseScopeRecord(entry.record, 2_000);
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts detached services and prints lines a shell can eval', async () => {
    const up = await run('up', '--k8s', '--redis', '--prometheus', '127.0.0.1:9');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.split('\n').filter(Boolean).every((line) => line.startsWith('export '))).toBe(true);
    const { kubeconfig, redisUrl, prometheusUrl } = await evaluate(up.stdout);
    expect(readFileSync(join(stateDir, 'env.sh'), 'utf8')).toContain(`export REDIS_URL='${redisUrl}'`);

    const config = new KubeConfig();
    config.loadFromFile(kubeconfig ?? '');
    expect((await config.makeApiClient(VersionApi).getCode()).gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(await pingRedis(Number(new URL(redisUrl ?? '').port))).toBe(true);
    expect((await fetch(`${prometheusUrl}/-/ready`)).status).toBe(200);
  });

  it('reports status, and reuses running services on a second up', async () => {
    const status = await run('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^k8s running /m);
    expect(status.stdout).toMatch(/^redis running /m);
    expect(status.stdout).toMatch(/^prometheus running .*targets=http:\/\/127\.0\.0\.1:9\/metrics/m);
    const before = readState();
    const again = await run('up', '--redis');
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`export REDIS_URL='${before.services.redis?.exports['REDIS_URL']}'`);
    expect(readState().services.redis?.record).toEqual(before.services.redis?.record);
  });

  it('stops exactly what up started, by PID, and forgets it', async () => {
    const state = readState();
    const processes = Object.values(state.services).flatMap((entry) => entry?.record.processes ?? []);
    const dirs = Object.values(state.services).flatMap((entry) => entry?.record.dirs ?? []);
    expect(processes).toHaveLength(4);
    expect(processes.every(isProcessAlive)).toBe(true);
    const down = await run('down');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('unset KUBECONFIG');
    expect(processes.filter(isProcessAlive)).toEqual([]);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
    expect(existsSync(join(stateDir, 'state.json'))).toBe(false);
    expect((await run('status')).stdout.trim()).toBe('nothing is up');
  });

  it('rejects unknown commands and arguments with usage', async () => {
    const bad = await run('up', '--kafka');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown argument "--kafka"');
    expect(bad.stdout).toBe('');
  });
});
