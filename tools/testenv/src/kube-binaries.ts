import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { installAtomically } from './build-cache.js';
import { GO_WRAPPER_DIR, kubeBinariesDir, resolveCacheRoot } from './cache-paths.js';
import { TestenvError } from './errors.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { findExecutable, runCommand, runCommandChecked } from './run-command.js';

const PROGRESS_INTERVAL_MS = 10_000;
const GO_FALLBACK_DIRS = ['/usr/local/go/bin', '/usr/lib/go/bin'];
const KUBE_APISERVER_PACKAGE = 'k8s.io/kubernetes/cmd/kube-apiserver';
const ETCD_PACKAGE = 'go.etcd.io/etcd/server/v3';

/** Options of {@link ensureKubeBinaries}. */
export interface EnsureKubeBinariesOptions {
  /** Cache root. Default: `$XDG_CACHE_HOME/nmfleet` or `~/.cache/nmfleet`. */
  readonly cacheRoot?: string;
  /** The wrapper module with go.mod/go.sum. Default: `tools/testenv/go` of this repository. */
  readonly goModuleDir?: string;
  /** The `go` command. Default: `go` on PATH, then `/usr/local/go/bin/go`. */
  readonly goCommand?: string;
  /** Progress and events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

/** Paths of the cached binaries. */
export interface KubeBinaries {
  /** Absolute path of `kube-apiserver`. */
  readonly kubeApiserver: string;
  /** Absolute path of `etcd`. */
  readonly etcd: string;
  /** The Kubernetes release they were built from, e.g. `v1.36.3`. */
  readonly kubernetesVersion: string;
  /** Whether this call built them (false: they came from the cache). */
  readonly built: boolean;
}

interface GoModuleFacts {
  readonly goVersion: string;
  readonly kubernetesVersion: string;
}

function readGoModuleFacts(goModuleDir: string): GoModuleFacts {
  const goMod = readFileSync(join(goModuleDir, 'go.mod'), 'utf8');
  const goVersion = /^go (\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod)?.[1];
  const kubernetesVersion = /^\s*k8s\.io\/kubernetes (v1\.\d+\.\d+)\b/m.exec(goMod)?.[1];
  if (!goVersion || !kubernetesVersion) {
    throw new TestenvError(
      'invalid-argument',
      `${goModuleDir}/go.mod must have a "go" directive and require k8s.io/kubernetes v1.x.y (regenerate it with regenerate.sh)`,
    );
  }
  return { goVersion, kubernetesVersion };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function checkGoToolchain(goCommand: string, needed: string): Promise<string> {
  const result = await runCommand(goCommand, ['env', 'GOVERSION']).catch((error: unknown) => {
    throw new TestenvError(
      'missing-tool',
      `the Go toolchain (go ≥ ${needed}) is needed to build kube-apiserver and etcd from the Go module proxy, but "${goCommand}" could not run; install Go from https://go.dev/dl or put it on PATH`,
      { cause: error },
    );
  });
  const found = result.stdout.trim().replace(/^go/, '');
  if (result.code !== 0 || !/^\d+\.\d+/.test(found)) {
    throw new TestenvError('missing-tool', `"${goCommand} env GOVERSION" failed`, { logTail: result.stderr });
  }
  if (compareVersions(found.replace(/[^\d.].*$/, ''), needed) < 0) {
    throw new TestenvError('missing-tool', `Go ${found} is too old: tools/testenv/go/go.mod needs go ≥ ${needed}`);
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasKubeBinaries(dir: string): boolean {
  return isExecutable(join(dir, 'kube-apiserver')) && isExecutable(join(dir, 'etcd'));
}

interface GoBuildStep {
  readonly name: string;
  readonly packagePath: string;
  readonly ldflags: string;
  readonly output: string;
}

/** Counts the packages a build may compile, so that progress can say "n of m". */
async function countDependencies(goCommand: string, step: GoBuildStep, env: Record<string, string>, cwd: string): Promise<number | undefined> {
  const result = await runCommand(goCommand, ['list', '-deps', step.packagePath], { cwd, env });
  return result.code === 0 ? result.stdout.split('\n').filter(Boolean).length : undefined;
}

async function runGoBuild(
  goCommand: string,
  step: GoBuildStep,
  env: Record<string, string>,
  cwd: string,
  logFile: string,
  log: TestenvLogger,
): Promise<void> {
  const startedAt = Date.now();
  let phase = 'resolving packages (downloading modules if the module cache lacks them)';
  let total: number | undefined;
  let compiled = 0;
  let lastPackage = '';
  log.info('go build', { target: step.name, phase });
  const timer = setInterval(() => {
    log.info('go build', {
      target: step.name,
      phase,
      compiled: total ? `${compiled}/${total}` : compiled,
      last: lastPackage || undefined,
      elapsed_s: Math.round((Date.now() - startedAt) / 1000),
    });
  }, PROGRESS_INTERVAL_MS);
  try {
    total = await countDependencies(goCommand, step, env, cwd);
  } catch (error) {
    clearInterval(timer);
    throw error;
  }
  phase = 'compiling';
  const args = ['build', '-v', '-trimpath', ...(step.ldflags ? ['-ldflags', step.ldflags] : []), '-o', step.output, step.packagePath];
  let result;
  try {
    result = await runCommand(goCommand, args, {
      cwd,
      env,
      logFile,
      onLine: (line, stream) => {
        // `go build -v` names each package as it compiles it, on stderr, one per line.
        if (stream === 'stderr' && /^[\w.-]+(\/[\w.~+-]+)*$/.test(line)) {
          compiled++;
          lastPackage = line;
        }
      },
    });
  } finally {
    clearInterval(timer);
  }
  if (result.code !== 0) {
    throw new TestenvError('build-failed', `go build of ${step.name} failed (exit ${result.code}); full log: ${logFile}`, {
      logTail: result.stderr.trimEnd().split('\n').slice(-30).join('\n'),
    });
  }
  log.info('go build done', { target: step.name, compiled, seconds: ((Date.now() - startedAt) / 1000).toFixed(1) });
}

/**
 * Returns kube-apiserver and etcd, building them on first use from the Go wrapper
 * module (k8s.io/kubernetes with every staging module at its published version;
 * etcd from Kubernetes' own module graph) with the version ldflags, so that the
 * server reports its real version. Cached in `<cache>/kube-<hash of go.sum>/`;
 * a warm call builds nothing. Throws `missing-tool` without a Go toolchain and
 * `build-failed` with the tail of the build log.
 */
export async function ensureKubeBinaries(options: EnsureKubeBinariesOptions = {}): Promise<KubeBinaries> {
  const log = options.log ?? createStderrLogger();
  const cacheRoot = options.cacheRoot ?? resolveCacheRoot();
  const goModuleDir = options.goModuleDir ?? GO_WRAPPER_DIR;
  const facts = readGoModuleFacts(goModuleDir);
  const targetDir = kubeBinariesDir(cacheRoot, goModuleDir);
  const startedAt = Date.now();
  const built = await installAtomically(
    targetDir,
    'kube-apiserver + etcd',
    hasKubeBinaries,
    async (tempDir) => {
      const goCommand = options.goCommand ?? findExecutable('go', GO_FALLBACK_DIRS) ?? 'go';
      const goVersion = await checkGoToolchain(goCommand, facts.goVersion);
      const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(facts.kubernetesVersion) ?? [];
      // GOTOOLCHAIN=local: never fetch another Go silently; -mod=readonly: go.sum is the contract and must not move.
      const env = { CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' };
      mkdirSync(join(cacheRoot, 'logs'), { recursive: true });
      const logFile = join(cacheRoot, 'logs', `${basename(targetDir)}.build.log`);
      log.info('building kube-apiserver and etcd (first use of this go.sum)', {
        kubernetes: facts.kubernetesVersion,
        go: goVersion,
        into: targetDir,
        log: logFile,
      });
      const versionFlags = [
        `-X k8s.io/component-base/version.gitVersion=${facts.kubernetesVersion}`,
        `-X k8s.io/component-base/version.gitMajor=${major}`,
        `-X k8s.io/component-base/version.gitMinor=${minor}`,
      ].join(' ');
      const steps: GoBuildStep[] = [
        { name: 'kube-apiserver', packagePath: KUBE_APISERVER_PACKAGE, ldflags: `-s -w ${versionFlags}`, output: join(tempDir, 'kube-apiserver') },
        { name: 'etcd', packagePath: ETCD_PACKAGE, ldflags: '', output: join(tempDir, 'etcd') },
      ];
      for (const step of steps) await runGoBuild(goCommand, step, env, goModuleDir, logFile, log);
      const reported = await runCommandChecked(join(tempDir, 'kube-apiserver'), ['--version']);
      if (!reported.stdout.includes(facts.kubernetesVersion)) {
        throw new TestenvError('build-failed', `kube-apiserver reports "${reported.stdout.trim()}", expected ${facts.kubernetesVersion}`);
      }
      await runCommandChecked(join(tempDir, 'etcd'), ['--version']);
      writeFileSync(
        join(tempDir, 'build-info.json'),
        `${JSON.stringify({ kubernetesVersion: facts.kubernetesVersion, go: goVersion, builtAt: new Date().toISOString() }, null, 2)}\n`,
      );
    },
    log,
  );
  if (built) log.info('kube binaries ready', { seconds: ((Date.now() - startedAt) / 1000).toFixed(1), dir: targetDir });
  return {
    kubeApiserver: join(targetDir, 'kube-apiserver'),
    etcd: join(targetDir, 'etcd'),
    kubernetesVersion: facts.kubernetesVersion,
    built,
  };
}
