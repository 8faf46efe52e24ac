import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureKubeBinaries } from './kube-binaries.js';
import { silentLogger } from './logger.js';
import { ensureNmstatectl } from './nmstatectl.js';
import { GO_WRAPPER_DIR, NMSTATECTL_VERSION, kubeBinariesDir, nmstatectlPath } from './cache-paths.js';

describe('the Go wrapper module', () => {
  it('replaces exactly the staging modules upstream requires at v0.0.0, each at the matching v0 release', () => {
    const goMod = readFileSync(join(GO_WRAPPER_DIR, 'go.mod'), 'utf8');
    const kubernetes = /^\s*k8s\.io\/kubernetes (v1\.(\d+\.\d+))\b/m.exec(goMod);
    if (!kubernetes?.[1]) throw new Error('go.mod does not require k8s.io/kubernetes');
    // Upstream's own go.mod, as the Go module proxy serves it (downloaded into the module cache if missing).
    const download = spawnSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${kubernetes[1]}`], {
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    });
    const upstreamModFile = (JSON.parse(download.stdout) as { GoMod: string }).GoMod;
    const staging = [...readFileSync(upstreamModFile, 'utf8').matchAll(/^\s*(k8s\.io\/[\w.-]+) v0\.0\.0\s*$/gm)].map((m) => m[1]).sort();
    const replaces = [...goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+) => (k8s\.io\/[\w.-]+) (v\S+)\s*$/gm)];
    expect(replaces.map((m) => m[1]).sort()).toEqual(staging);
    expect(replaces.filter((m) => m[1] !== m[2] || m[3] !== `v0.${kubernetes[2]}`)).toEqual([]);
    expect(staging).toContain('k8s.io/streaming');
    expect(staging).not.toContain('k8s.io/legacy-cloud-providers');
  });
});

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
