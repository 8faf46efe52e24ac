import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { TestenvError } from './errors.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { runCommand } from './run-command.js';

/** The Debian packages the real services come from. */
export const SYSTEM_PACKAGES = ['redis-server', 'network-manager', 'prometheus', 'iproute2'] as const;

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const DPKG_LOCK_TIMEOUT_S = 180;

/** Options of {@link ensureSystemPackages}. */
export interface EnsureSystemPackagesOptions {
  /** Packages to have installed. Default: {@link SYSTEM_PACKAGES}. */
  readonly packages?: readonly string[];
  /** Progress and events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

/** What {@link ensureSystemPackages} found and did. */
export interface SystemPackagesResult {
  /** Packages that were already installed. */
  readonly present: readonly string[];
  /** Packages this call installed. */
  readonly installed: readonly string[];
}

async function isInstalled(name: string): Promise<boolean> {
  const result = await runCommand('dpkg-query', ['-W', '-f=${Status}', name]);
  return result.code === 0 && result.stdout.trim() === 'install ok installed';
}

function isMissingPackageList(output: string): boolean {
  return /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found/.test(output);
}

async function aptGet(args: readonly string[], log: TestenvLogger): Promise<{ code: number | null; output: string }> {
  const result = await runCommand('apt-get', args, {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
    onLine: (line) => {
      // apt's "Setting up X" / "Unpacking X" lines are the useful progress; the rest is noise.
      if (/^(Get:|Unpacking|Setting up)/.test(line)) log.info('apt', { line: line.slice(0, 160) });
    },
  });
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

/**
 * Installs the Debian packages that are missing (checked with `dpkg-query`),
 * idempotently: `apt-get install -y --no-install-recommends` with a dpkg lock
 * timeout, and `apt-get update` once first if the package lists are missing.
 * Nothing starts as a system service: a `policy-rc.d` that forbids starts is in
 * place during the install (the existing one is kept if there is one).
 */
export async function ensureSystemPackages(options: EnsureSystemPackagesOptions = {}): Promise<SystemPackagesResult> {
  const log = options.log ?? createStderrLogger();
  const wanted = options.packages ?? SYSTEM_PACKAGES;
  for (const name of wanted) {
    if (!/^[a-z0-9][a-z0-9.+-]+$/.test(name)) {
      throw new TestenvError('invalid-argument', `"${name}" is not a Debian package name`);
    }
  }
  const present: string[] = [];
  const missing: string[] = [];
  for (const name of wanted) (await isInstalled(name) ? present : missing).push(name);
  if (missing.length === 0) {
    log.info('system packages present', { packages: present.join(',') });
    return { present, installed: [] };
  }
  if (process.getuid?.() !== 0) {
    throw new TestenvError('install-failed', `Debian packages missing: ${missing.join(', ')}; installing them needs root (run: sudo apt-get install --no-install-recommends ${missing.join(' ')})`);
  }
  log.info('installing system packages', { packages: missing.join(',') });
  const ownsPolicy = !existsSync(POLICY_RC_D);
  // Exit code 101 tells invoke-rc.d "action forbidden": a test machine must not gain running system services.
  if (ownsPolicy) writeFileSync(POLICY_RC_D, '#!/bin/sh\n# written by nmfleet testenv during apt-get install\nexit 101\n', { mode: 0o755 });
  try {
    const installArgs = ['install', '-y', '--no-install-recommends', '-o', `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`, ...missing];
    let result = await aptGet(installArgs, log);
    if (result.code !== 0 && isMissingPackageList(result.output)) {
      log.info('apt-get update (package lists missing or stale)');
      const update = await aptGet(['update', '-o', `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`], log);
      if (update.code !== 0) {
        throw new TestenvError('install-failed', 'apt-get update failed', { logTail: update.output.split('\n').slice(-20).join('\n') });
      }
      result = await aptGet(installArgs, log);
    }
    if (result.code !== 0) {
      throw new TestenvError('install-failed', `apt-get install ${missing.join(' ')} failed (exit ${result.code})`, {
        logTail: result.output.split('\n').slice(-20).join('\n'),
      });
    }
  } finally {
    if (ownsPolicy) rmSync(POLICY_RC_D, { force: true });
  }
  for (const name of missing) {
    if (!(await isInstalled(name))) throw new TestenvError('install-failed', `${name} is still not installed after apt-get install`);
  }
  log.info('system packages installed', { packages: missing.join(',') });
  return { present, installed: missing };
}
