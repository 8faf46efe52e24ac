import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readEnvironment } from './config.js';
import { TestenvError } from './errors.js';
import { registerExitCleanup } from './exit-cleanup.js';
import { readLogTail } from './log-tail.js';
import { identifyProcess, isProcessAlive, signalProcess, type ProcessIdentity } from './process-identity.js';
import { buildChildEnvironment, findExecutable } from './run-command.js';

/** Default time a service gets between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 10_000;
const STOP_POLL_INTERVAL_MS = 25;

/** A process of a scope, as recorded on disk. */
export interface RecordedProcess extends ProcessIdentity {
  readonly name: string;
}

/**
 * Everything one started service owns, in a form that survives this process:
 * the CLI's state file and the leases of the safety net both hold these.
 */
export interface ScopeRecord {
  readonly kind: string;
  readonly owner: ProcessIdentity | undefined;
  readonly processes: RecordedProcess[];
  readonly namespaces: string[];
  readonly dirs: string[];
}

/** Options of {@link ServiceScope.spawn}. */
export interface SpawnServiceOptions {
  /** Short name used in logs and errors, e.g. `etcd`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Where stdout and stderr go. */
  readonly logFile: string;
  /** Variables added to the inherited environment. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory. Default: the scope's folder. */
  readonly cwd?: string;
}

/** A running child of a scope. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** How it ended, or `undefined` while it runs. */
  exitDescription(): string | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

function leasesDir(): string {
  return join(readEnvironment().runtimeRoot, 'leases');
}

function hasPdeathsigHelper(): boolean {
  return findExecutable('setpriv') !== undefined;
}

function deleteNamespaceSync(namespace: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
  for (const pid of (pids.stdout ?? '').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync('ip', ['netns', 'del', namespace], { stdio: 'ignore' });
}

async function waitForExit(identity: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(identity)) {
    if (Date.now() >= deadline) return false;
    await sleep(STOP_POLL_INTERVAL_MS);
  }
  return true;
}

async function stopRecordedProcess(recorded: RecordedProcess, graceMs: number): Promise<void> {
  if (!signalProcess(recorded, 'SIGTERM')) return;
  if (await waitForExit(recorded, graceMs)) return;
  signalProcess(recorded, 'SIGKILL');
  await waitForExit(recorded, graceMs);
}

async function killNamespaceProcesses(namespace: string, graceMs: number): Promise<void> {
  const listing = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
  const identities = (listing.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((pid) => identifyProcess(Number(pid)))
    .filter((identity): identity is ProcessIdentity => identity !== undefined);
  await Promise.all(identities.map((identity) => stopRecordedProcess({ ...identity, name: 'netns process' }, graceMs)));
}

/**
 * Stops everything a record holds: its processes in reverse start order (SIGTERM,
 * SIGKILL after `graceMs`), any process still inside its network namespaces,
 * the namespaces, and its folders. Safe to call twice and on a half-dead record.
 */
export async function releaseScopeRecord(record: ScopeRecord, graceMs = STOP_GRACE_MS): Promise<void> {
  for (const recorded of [...record.processes].reverse()) await stopRecordedProcess(recorded, graceMs);
  for (const namespace of record.namespaces) {
    await killNamespaceProcesses(namespace, graceMs);
    spawnSync('ip', ['netns', 'del', namespace], { stdio: 'ignore' });
  }
  for (const dir of record.dirs) rmSync(dir, { recursive: true, force: true });
}

/**
 * Releases the leases of test processes that died without cleaning up (killed by
 * SIGKILL, out of memory): their services, namespaces and folders. Leases of
 * living processes are never touched.
 */
export async function sweepAbandonedLeases(): Promise<number> {
  let entries: string[];
  try {
    entries = readdirSync(leasesDir());
  } catch {
    return 0;
  }
  let swept = 0;
  for (const entry of entries.filter((name) => name.endsWith('.json'))) {
    const file = join(leasesDir(), entry);
    let record: ScopeRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as ScopeRecord;
    } catch {
      continue;
    }
    if (record.owner && isProcessAlive(record.owner)) continue;
    await releaseScopeRecord(record, 1_000);
    rmSync(file, { force: true });
    swept++;
  }
  return swept;
}

/**
 * The resources of one started service: its child processes, temp folder and
 * network namespaces. Attached scopes (the default) are tied to this process:
 * children get a parent-death signal, a synchronous cleanup runs on exit or
 * interrupt, and a lease on disk lets a later run clean up after a SIGKILL.
 * Detached scopes (the CLI's `up`) outlive this process and are stopped from
 * their {@link ScopeRecord}.
 */
export class ServiceScope {
  readonly dir: string;
  readonly detached: boolean;
  private readonly kind: string;
  private readonly processes: { recorded: RecordedProcess; child: ChildProcess; exited: Promise<void> }[] = [];
  private readonly namespaces: string[] = [];
  private readonly leaseFile: string | undefined;
  private readonly unregister: (() => void) | undefined;
  private closed = false;

  constructor(kind: string, options: { readonly detached?: boolean } = {}) {
    this.kind = kind;
    this.detached = options.detached ?? false;
    const root = readEnvironment().runtimeRoot;
    mkdirSync(root, { recursive: true });
    this.dir = mkdtempSync(join(root, `${kind}-`));
    if (!this.detached) {
      mkdirSync(leasesDir(), { recursive: true });
      this.leaseFile = join(leasesDir(), `${process.pid}-${kind}-${randomBytes(4).toString('hex')}.json`);
      this.unregister = registerExitCleanup(() => this.closeSync());
      this.writeLease();
    }
  }

  /** The serialisable form of this scope. */
  record(): ScopeRecord {
    return {
      kind: this.kind,
      owner: this.detached ? undefined : identifyProcess(process.pid),
      processes: this.processes.map((entry) => entry.recorded),
      namespaces: [...this.namespaces],
      dirs: [this.dir],
    };
  }

  /** Records a network namespace this scope created, to delete on close. */
  addNamespace(namespace: string): void {
    this.namespaces.push(namespace);
    this.writeLease();
  }

  /** Starts a child process as part of this scope; its output goes to `logFile`. */
  spawn(options: SpawnServiceOptions): ServiceProcess {
    if (this.closed) throw new TestenvError('not-running', `${this.kind} is already stopped`);
    const logFd = openSync(options.logFile, 'a');
    // setpriv makes the kernel send SIGTERM to the service if this process dies, even by SIGKILL.
    const wrap = !this.detached && hasPdeathsigHelper();
    const command = wrap ? 'setpriv' : options.command;
    const args = wrap ? ['--pdeathsig', 'TERM', '--', options.command, ...options.args] : [...options.args];
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: options.cwd ?? this.dir,
        env: buildChildEnvironment(options.env),
        stdio: ['ignore', logFd, logFd],
        detached: this.detached,
      });
    } finally {
      closeSync(logFd);
    }
    // Registered at once: a spawn failure is also emitted as an 'error' event, which would otherwise be thrown as uncaught.
    child.once('error', () => undefined);
    const pid = child.pid;
    const identity = pid === undefined ? undefined : identifyProcess(pid);
    if (pid === undefined || !identity) {
      throw new TestenvError('start-failed', `${options.name} could not be started: "${command}" is not installed or not on PATH`, {
        logTail: readLogTail(options.logFile),
      });
    }
    let exitDescription: string | undefined;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitDescription = signal ? `killed by ${signal}` : `exited with ${code}`;
        resolve();
      });
      child.once('error', (error) => {
        exitDescription = `failed to start: ${error.message}`;
        resolve();
      });
    });
    if (this.detached) child.unref();
    const recorded: RecordedProcess = { name: options.name, ...identity };
    this.processes.push({ recorded, child, exited });
    this.writeLease();
    return { name: options.name, pid, logFile: options.logFile, exitDescription: () => exitDescription, exited };
  }

  /** Stops one process of this scope (SIGTERM, then SIGKILL after `graceMs`) and forgets it. */
  async stopProcess(target: ServiceProcess, graceMs = STOP_GRACE_MS): Promise<void> {
    const index = this.processes.findIndex((entry) => entry.recorded.pid === target.pid);
    const entry = this.processes[index];
    if (!entry) return;
    await this.stopEntry(entry, graceMs);
    this.processes.splice(index, 1);
    this.writeLease();
  }

  /** Stops everything this scope started, deletes its namespaces and folder; idempotent. */
  async close(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const entry of [...this.processes].reverse()) await this.stopEntry(entry, graceMs);
    await releaseScopeRecord({ ...this.record(), processes: [] }, graceMs);
    if (this.leaseFile) rmSync(this.leaseFile, { force: true });
    this.unregister?.();
  }

  /** The exit-time variant of {@link close}: no waiting, SIGKILL, synchronous. */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    for (const entry of [...this.processes].reverse()) signalProcess(entry.recorded, 'SIGKILL');
    for (const namespace of this.namespaces) deleteNamespaceSync(namespace);
    rmSync(this.dir, { recursive: true, force: true });
    if (this.leaseFile) rmSync(this.leaseFile, { force: true });
    this.unregister?.();
  }

  private async stopEntry(entry: { recorded: RecordedProcess; child: ChildProcess; exited: Promise<void> }, graceMs: number): Promise<void> {
    if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
    entry.child.kill('SIGTERM');
    const graceOver = new AbortController();
    const timedOut = await Promise.race([
      entry.exited.then(() => false),
      sleep(graceMs, true, { signal: graceOver.signal }).catch(() => false),
    ]);
    // A pending grace timer would otherwise keep the event loop (and the CLI) alive for its full length.
    graceOver.abort();
    if (timedOut) {
      entry.child.kill('SIGKILL');
      await entry.exited;
    }
  }

  private writeLease(): void {
    if (this.leaseFile) writeFileSync(this.leaseFile, JSON.stringify(this.record()));
  }
}
