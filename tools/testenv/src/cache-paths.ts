import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment } from './config.js';

/** The nmstatectl release used as the oracle; other packages find it at {@link nmstatectlPath}. */
export const NMSTATECTL_VERSION = '2.2.62';

/** `tools/testenv/go`: the wrapper module (go.mod and go.sum only) that builds kube-apiserver and etcd. */
export const GO_WRAPPER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'go');

/** The build cache root: `$XDG_CACHE_HOME/nmfleet` or `~/.cache/nmfleet`. */
export function resolveCacheRoot(): string {
  return readEnvironment().cacheRoot;
}

/** First 16 hex digits of sha256(go.sum): the cache key of the kube binaries. */
export function hashGoSum(goModuleDir = GO_WRAPPER_DIR): string {
  return createHash('sha256')
    .update(readFileSync(join(goModuleDir, 'go.sum')))
    .digest('hex')
    .slice(0, 16);
}

/** `<cache>/kube-<hash of go.sum>`: holds `kube-apiserver` and `etcd`. */
export function kubeBinariesDir(cacheRoot = resolveCacheRoot(), goModuleDir = GO_WRAPPER_DIR): string {
  return join(cacheRoot, `kube-${hashGoSum(goModuleDir)}`);
}

/** `<cache>/nmstatectl-<version>/bin/nmstatectl`, whether or not it has been built yet. */
export function nmstatectlPath(cacheRoot = resolveCacheRoot(), version = NMSTATECTL_VERSION): string {
  return join(cacheRoot, `nmstatectl-${version}`, 'bin', 'nmstatectl');
}
