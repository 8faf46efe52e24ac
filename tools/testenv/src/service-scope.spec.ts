import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvironment } from './config.js';
import { pollUntil } from './poll-until.js';
import { isTestenvError } from './errors.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';
import { waitUntilReady } from './readiness.js';
import { ServiceScope, releaseScopeRecord, sweepAbandonedLeases } from './service-scope.js';

const OWNER_SCRIPT = fileURLToPath(new URL('./__fixtures__/scope-owner.ts', import.meta.url));

interface Owner {
  readonly child: ReturnType<typeof spawn>;
  readonly service: ProcessIdentity;
  readonly dir: string;
  readonly exited: Promise<void>;
}

const owners = new Set<ReturnType<typeof spawn>>();

/** Starts the fixture as a separate Node process and waits for it to report its service. */
async function startOwner(how: 'exit' | 'throw' | 'wait'): Promise<Owner> {
  const child = spawn(process.execPath, ['--import', 'tsx', OWNER_SCRIPT, how], { stdio: ['pipe', 'pipe', 'ignore'] });
  owners.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!child.stdout) throw new Error('no stdout');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    new Promise<string[]>((resolve) => lines.once('line', (l: string) => resolve([l]))),
    exited.then(() => []),
  ])) as string[];
  if (!line) throw new Error('the owner process exited before reporting');
  const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
  const service = identifyProcess(pid) ?? { pid, startTime: 'gone' };
  // Guards every "it died" assertion below against a service that never ran.
  expect(isProcessAlive(service)).toBe(true);
  return { child, service, dir, exited };
}

function leaseFilesOf(pid: number | undefined): string[] {
  const dir = join(readEnvironment().runtimeRoot, 'leases');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith(`${pid}-`)) : [];
}

describe('ServiceScope', () => {
  afterEach(async () => {
    // A failed assertion must not leave a fixture process (and its service) running.
    for (const child of owners) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    owners.clear();
    await sweepAbandonedLeases();
  });

  it('stops its processes by PID and removes its folder and lease on close', async () => {
    const scope = new ServiceScope('scope-spec');
    const service = scope.spawn({ name: 'sleeper', command: 'sleep', args: ['300'], logFile: join(scope.dir, 'sleep.log') });
    const identity = identifyProcess(service.pid);
    if (!identity) throw new Error('sleep did not start');
    expect(scope.record().processes).toEqual([{ name: 'sleeper', ...identity }]);
    expect(leaseFilesOf(process.pid).length).toBeGreaterThan(0);
    await scope.close();
    expect(isProcessAlive(identity)).toBe(false);
    expect(existsSync(scope.dir)).toBe(false);
    expect(readdirSync(join(readEnvironment().runtimeRoot, 'leases')).some((name) => name.includes('scope-spec'))).toBe(false);
  });

  it('reports a service binary that is not installed as start-failed, naming it', async () => {
    const detached = new ServiceScope('scope-spec', { detached: true });
    const attached = new ServiceScope('scope-spec');
    try {
      const spawnMissing = (scope: ServiceScope) =>
        scope.spawn({ name: 'ghost', command: 'nmfleet-no-such-server', args: [], logFile: join(scope.dir, 'ghost.log') });
      let error: unknown;
      try {
        spawnMissing(detached);
      } catch (e) {
        error = e;
      }
      expect(isTestenvError(error, 'start-failed')).toBe(true);
      expect((error as Error).message).toContain('"nmfleet-no-such-server" is not installed');
      // Attached services start through setpriv, which reports the missing binary in the service's log.
      const viaSetpriv = spawnMissing(attached);
      const failure = await waitUntilReady(async () => false, { service: viaSetpriv, timeoutMs: 10_000, condition: 'never' }).catch((e: unknown) => e);
      expect(isTestenvError(failure, 'start-failed')).toBe(true);
      expect((failure as Error).message).toContain('nmfleet-no-such-server');
    } finally {
      await detached.close(1_000);
      await attached.close(1_000);
    }
  });

  it('releases a detached record from another process, escalating to SIGKILL after the grace period', async () => {
    const scope = new ServiceScope('scope-spec', { detached: true });
    // A service that ignores SIGTERM, as a wedged server would.
    scope.spawn({ name: 'stubborn', command: 'sh', args: ['-c', "trap '' TERM; while :; do sleep 0.05; done"], logFile: join(scope.dir, 'log') });
    const record = scope.record();
    const [stubborn] = record.processes;
    if (!stubborn) throw new Error('not recorded');
    expect(record.owner).toBeUndefined();
    await releaseScopeRecord(record, 200);
    expect(isProcessAlive(stubborn)).toBe(false);
    expect(existsSync(scope.dir)).toBe(false);
  });

  it.each(['exit', 'throw'] as const)('kills its services when the owning process ends by %s', async (how) => {
    const owner = await startOwner(how);
    owner.child.stdin?.write('end now\n');
    await owner.exited;
    await pollUntil(() => !isProcessAlive(owner.service), { timeoutMs: 5_000, description: 'the service to die with its owner' });
    expect(existsSync(owner.dir)).toBe(false);
    expect(leaseFilesOf(owner.child.pid)).toEqual([]);
  });

  it('kills its services when the owning process is interrupted (SIGTERM)', async () => {
    const owner = await startOwner('wait');
    owner.child.kill('SIGTERM');
    await owner.exited;
    await pollUntil(() => !isProcessAlive(owner.service), { timeoutMs: 5_000, description: 'the service to die with its owner' });
    expect(existsSync(owner.dir)).toBe(false);
  });

  it('survives a SIGKILLed owner: the kernel stops the service and the next sweep removes its folder', async () => {
    const owner = await startOwner('wait');
    owner.child.kill('SIGKILL');
    await owner.exited;
    await pollUntil(() => !isProcessAlive(owner.service), { timeoutMs: 5_000, description: 'the parent-death signal to stop the service' });
    expect(existsSync(owner.dir)).toBe(true);
    expect(leaseFilesOf(owner.child.pid)).toHaveLength(1);
    expect(await sweepAbandonedLeases()).toBeGreaterThanOrEqual(1);
    expect(existsSync(owner.dir)).toBe(false);
    expect(leaseFilesOf(owner.child.pid)).toEqual([]);
  });
});
