import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { installAtomically } from './build-cache.js';
import { NMSTATECTL_VERSION, nmstatectlPath, resolveCacheRoot } from './cache-paths.js';
import { TestenvError, isTestenvError } from './errors.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { findExecutable, runCommand } from './run-command.js';

const PROGRESS_INTERVAL_MS = 10_000;

/** Options of {@link ensureNmstatectl}. */
export interface EnsureNmstatectlOptions {
  /** Cache root. Default: `$XDG_CACHE_HOME/nmfleet` or `~/.cache/nmfleet`. */
  readonly cacheRoot?: string;
  /** The `cargo` command. Default: `cargo` on PATH, then `~/.cargo/bin/cargo`. */
  readonly cargoCommand?: string;
  /** Progress and events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

function isUsableNmstatectl(binary: string): boolean {
  try {
    accessSync(binary, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cached nmstatectl (the oracle) if it has been built, without building it;
 * for specs that skip with a message when the oracle is absent.
 */
export function findCachedNmstatectl(cacheRoot = resolveCacheRoot()): string | undefined {
  const binary = nmstatectlPath(cacheRoot);
  return isUsableNmstatectl(binary) ? binary : undefined;
}

/**
 * Returns the path of nmstatectl {@link NMSTATECTL_VERSION}, building it on first
 * use with `cargo install nmstatectl --version <pin> --locked` into
 * `<cache>/nmstatectl-<pin>/bin/nmstatectl`. A warm call builds nothing. Throws
 * `missing-tool` without cargo and `build-failed` with the tail of the build log.
 */
export async function ensureNmstatectl(options: EnsureNmstatectlOptions = {}): Promise<string> {
  const log = options.log ?? createStderrLogger();
  const cacheRoot = options.cacheRoot ?? resolveCacheRoot();
  const binary = nmstatectlPath(cacheRoot);
  const targetDir = dirname(dirname(binary));
  const startedAt = Date.now();
  const built = await installAtomically(
    targetDir,
    `nmstatectl ${NMSTATECTL_VERSION}`,
    (dir) => isUsableNmstatectl(join(dir, 'bin', 'nmstatectl')),
    async (tempDir) => {
      const missingCargo = (cause?: unknown) =>
        new TestenvError(
          'missing-tool',
          `cargo (Rust) is needed to build nmstatectl ${NMSTATECTL_VERSION} from crates.io, but "${options.cargoCommand ?? 'cargo'}" was not found; install Rust with rustup or put cargo on PATH`,
          { cause },
        );
      const cargo = options.cargoCommand ?? findExecutable('cargo', [join(homedir(), '.cargo', 'bin')]);
      if (!cargo) throw missingCargo();
      mkdirSync(join(cacheRoot, 'logs'), { recursive: true });
      const logFile = join(cacheRoot, 'logs', `${basename(targetDir)}.build.log`);
      log.info('building nmstatectl from crates.io (first use)', { version: NMSTATECTL_VERSION, into: targetDir, log: logFile });
      let compiled = 0;
      let lastCrate = '';
      const timer = setInterval(() => {
        log.info('cargo install', {
          target: 'nmstatectl',
          compiled,
          last: lastCrate,
          elapsed_s: Math.round((Date.now() - startedAt) / 1000),
        });
      }, PROGRESS_INTERVAL_MS);
      let result;
      try {
        result = await runCommand(
          cargo,
          ['install', 'nmstatectl', '--version', NMSTATECTL_VERSION, '--locked', '--root', tempDir],
          {
            logFile,
            // cargo install builds in a temp target folder and deletes it; nothing lands in the repository.
            env: { CARGO_TERM_COLOR: 'never', CARGO_TERM_PROGRESS_WHEN: 'never' },
            onLine: (line) => {
              const match = /^\s*Compiling (\S+ v\S+)/.exec(line);
              if (match?.[1]) {
                compiled++;
                lastCrate = match[1];
              }
            },
          },
        ).catch((error: unknown) => {
          throw isTestenvError(error, 'missing-tool') ? missingCargo(error) : error;
        });
      } finally {
        clearInterval(timer);
      }
      if (result.code !== 0) {
        throw new TestenvError('build-failed', `cargo install nmstatectl ${NMSTATECTL_VERSION} failed (exit ${result.code}); full log: ${logFile}`, {
          logTail: result.stderr.trimEnd().split('\n').slice(-30).join('\n'),
        });
      }
      const version = await runCommand(join(tempDir, 'bin', 'nmstatectl'), ['--version']);
      if (!version.stdout.includes(NMSTATECTL_VERSION)) {
        throw new TestenvError('build-failed', `the built nmstatectl reports "${version.stdout.trim()}", expected ${NMSTATECTL_VERSION}`);
      }
    },
    log,
  );
  if (built) log.info('nmstatectl ready', { seconds: ((Date.now() - startedAt) / 1000).toFixed(1), path: binary });
  return binary;
}
