import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The only place in tools/testenv that reads `process.env`, once: where the build
 * cache and the runtime folders live, and the environment children inherit.
 */
export interface TestenvEnvironment {
  /** `$XDG_CACHE_HOME/nmfleet` or `~/.cache/nmfleet`: built binaries (kube-apiserver, etcd, nmstatectl). */
  readonly cacheRoot: string;
  /** `<os tmpdir>/nmfleet-testenv`: temp folders of running services and their leases. */
  readonly runtimeRoot: string;
  /** Where the CLI keeps what `up` started: `$NMFLEET_TESTENV_STATE_DIR`, default `<repo>/.testenv` (git-ignored). */
  readonly stateDir: string;
  /** Environment passed on to every child process (PATH and friends). */
  readonly inherited: Readonly<NodeJS.ProcessEnv>;
}

let cached: TestenvEnvironment | undefined;

/** Reads the environment once; later calls return the same values. */
export function readEnvironment(): TestenvEnvironment {
  if (cached) return cached;
  const env = process.env;
  const xdgCache = env['XDG_CACHE_HOME'];
  // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const cacheBase = xdgCache && xdgCache.startsWith('/') ? xdgCache : join(homedir(), '.cache');
  cached = {
    cacheRoot: join(cacheBase, 'nmfleet'),
    runtimeRoot: join(tmpdir(), 'nmfleet-testenv'),
    stateDir: env['NMFLEET_TESTENV_STATE_DIR']
      ? resolve(env['NMFLEET_TESTENV_STATE_DIR'])
      : join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.testenv'),
    inherited: { ...env },
  };
  return cached;
}
