import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GO_WRAPPER_DIR } from './cache-paths.js';
import { isTestenvError } from './errors.js';
import { ensureKubeBinaries } from './kube-binaries.js';
import { silentLogger } from './logger.js';
import { ensureNmstatectl } from './nmstatectl.js';
import { ensureSystemPackages } from './system-packages.js';

describe('clear errors before anything is built or installed', () => {
  let cacheRoot: string;
  beforeEach(() => {
    cacheRoot = mkdtempSync(join(tmpdir(), 'testenv-toolchain-spec-'));
  });
  afterEach(() => rmSync(cacheRoot, { recursive: true, force: true }));

  it('names the missing Go toolchain and leaves the cache empty', async () => {
    const error = await ensureKubeBinaries({ cacheRoot, goCommand: join(cacheRoot, 'no-such-go'), log: silentLogger }).catch((e: unknown) => e);
    expect(isTestenvError(error, 'missing-tool')).toBe(true);
    expect((error as Error).message).toMatch(/Go toolchain \(go ≥ 1\.\d+/);
    expect(readdirSync(cacheRoot).filter((name) => name.startsWith('kube-'))).toEqual([]);
  });

  it('refuses a wrapper module that does not require k8s.io/kubernetes', async () => {
    const dir = join(cacheRoot, 'go');
    mkdirSync(dir);
    writeFileSync(join(dir, 'go.mod'), 'module example.com/x\n\ngo 1.26.0\n');
    writeFileSync(join(dir, 'go.sum'), '');
    const error = await ensureKubeBinaries({ cacheRoot, goModuleDir: dir, log: silentLogger }).catch((e: unknown) => e);
    expect(isTestenvError(error, 'invalid-argument')).toBe(true);
    expect((error as Error).message).toMatch(/require k8s\.io\/kubernetes/);
  });

  it('keys the kube cache by the committed go.sum', async () => {
    const { kubeBinariesDir, hashGoSum } = await import('./cache-paths.js');
    expect(hashGoSum()).toMatch(/^[0-9a-f]{16}$/);
    expect(kubeBinariesDir(cacheRoot)).toBe(join(cacheRoot, `kube-${hashGoSum(GO_WRAPPER_DIR)}`));
  });

  it('names the missing cargo and leaves the cache empty', async () => {
    const error = await ensureNmstatectl({ cacheRoot, cargoCommand: join(cacheRoot, 'no-such-cargo'), log: silentLogger }).catch((e: unknown) => e);
    expect(isTestenvError(error, 'missing-tool')).toBe(true);
    expect((error as Error).message).toMatch(/cargo \(Rust\) is needed to build nmstatectl 2\.2\.62/);
    expect(readdirSync(cacheRoot).filter((name) => name.startsWith('nmstatectl-') && !name.endsWith('.lock'))).toEqual([]);
  });

  it('rejects a malformed Debian package name without calling apt', async () => {
    const error = await ensureSystemPackages({ packages: ['redis-server; rm -rf /'], log: silentLogger }).catch((e: unknown) => e);
    expect(isTestenvError(error, 'invalid-argument')).toBe(true);
  });

  it('reports installed packages as present without installing anything', async () => {
    expect(await ensureSystemPackages({ packages: ['iproute2'], log: silentLogger })).toEqual({ present: ['iproute2'], installed: [] });
  });
});
