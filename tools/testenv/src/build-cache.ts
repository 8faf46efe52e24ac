import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestenvLogger } from './logger.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

const LOCK_POLL_INTERVAL_MS = 1_000;
const LOCK_WAIT_REPORT_INTERVAL_MS = 30_000;

interface LockOwner extends ProcessIdentity {
  readonly since: string;
}

function readLockOwner(lockFile: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Takes `lockFile` for this process. Two test processes may ask for the same cold
 * cache at once; the second waits instead of building twice. A lock whose owner
 * died (killed build) is taken over.
 */
async function acquireLock(lockFile: string, what: string, log: TestenvLogger): Promise<() => void> {
  const self = identifyProcess(process.pid);
  if (!self) throw new Error('cannot read /proc/self/stat');
  const owner: LockOwner = { ...self, since: new Date().toISOString() };
  let lastReport = 0;
  for (;;) {
    try {
      writeFileSync(lockFile, JSON.stringify(owner), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLockOwner(lockFile);
    if (!holder || !isProcessAlive(holder)) {
      // A half-written lock file is as stale as a dead owner's: the writer is gone or about to retry.
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() - lastReport >= LOCK_WAIT_REPORT_INTERVAL_MS) {
      log.info('waiting for another build', { what, pid: holder.pid, since: holder.since });
      lastReport = Date.now();
    }
    await sleep(LOCK_POLL_INTERVAL_MS);
  }
}

/**
 * Produces `targetDir` at most once: when `isComplete(targetDir)` already holds,
 * nothing runs. Otherwise `build` fills a fresh temp folder beside the target,
 * which is then renamed into place, so a killed build never leaves a half
 * result in the cache. Returns whether a build ran.
 */
export async function installAtomically(
  targetDir: string,
  what: string,
  isComplete: (dir: string) => boolean,
  build: (tempDir: string) => Promise<void>,
  log: TestenvLogger,
): Promise<boolean> {
  if (isComplete(targetDir)) return false;
  const parent = targetDir.slice(0, targetDir.lastIndexOf('/'));
  mkdirSync(parent, { recursive: true });
  const release = await acquireLock(`${targetDir}.lock`, what, log);
  const tempDir = `${targetDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    if (isComplete(targetDir)) return false;
    // A folder that exists but is incomplete was not produced by this function; set it aside, never merge into it.
    if (existsSync(targetDir)) rmSync(targetDir, { recursive: true, force: true });
    mkdirSync(tempDir, { recursive: true });
    await build(tempDir);
    if (!isComplete(tempDir)) throw new Error(`${what}: the build finished but ${tempDir} is incomplete`);
    await rename(tempDir, targetDir);
    return true;
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
    release();
  }
}
