import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureKubeBinaries } from './kube-binaries.js';
import { silentLogger } from './logger.js';
import { ensureNmstatectl } from './nmstatectl.js';
import { NMSTATECTL_VERSION, kubeBinariesDir, nmstatectlPath } from './cache-paths.js';

describe('cached binaries', () => {
  it('builds kube-apiserver and etcd at most once per go.sum; the second call builds nothing', async () => {
    const first = await ensureKubeBinaries();
    const second = await ensureKubeBinaries({ log: silentLogger });
    expect(second).toEqual({ ...first, built: false });
    expect(first.kubeApiserver).toBe(`${kubeBinariesDir()}/kube-apiserver`);
    expect(spawnSync(second.kubeApiserver, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`Kubernetes ${second.kubernetesVersion}`);
    expect(spawnSync(second.etcd, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^etcd Version: 3\.6\.\d+$/m);
  });

  it('builds nmstatectl at the pinned version at most once', async () => {
    const first = await ensureNmstatectl();
    expect(first).toBe(nmstatectlPath());
    expect(await ensureNmstatectl({ log: silentLogger })).toBe(first);
    expect(spawnSync(first, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`nmstatectl ${NMSTATECTL_VERSION}`);
  });
});
