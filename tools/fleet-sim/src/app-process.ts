import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { inheritedEnvironment } from './config.js';

/** Children still running, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) if (child.pid !== undefined) child.kill('SIGKILL');
  });
}

/** Time between SIGTERM and SIGKILL when stopping a child, in milliseconds. */
export const STOP_GRACE_MS = 10_000;

/** A child process of the simulator (the coordinator, or an agent), with its log file. */
export class AppProcess {
  readonly pid: number;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.pid = child.pid ?? -1;
    running.add(child);
    this.exited = once(child, 'exit').then(([code]) => {
      running.delete(child);
      this.exitCode = code as number | null;
      return code as number | null;
    });
  }

  /** Starts `node [nodeArgs] script args` with `env` added, stdout and stderr appended to `logFile`. */
  static start(
    name: string,
    script: string,
    args: readonly string[],
    env: Record<string, string>,
    logFile: string,
    nodeArgs: readonly string[] = [],
  ): AppProcess {
    installExitHook();
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, script, ...args], {
      env: { ...inheritedEnvironment(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('exit', () => log.end());
    if (child.pid === undefined) throw new Error(`${name} could not be started (${script})`);
    return new AppProcess(name, logFile, child);
  }

  /** Whether it has exited. */
  get isRunning(): boolean {
    return this.exitCode === undefined;
  }

  /** Kills it at once, as a crash would (SIGKILL), and waits for its exit. */
  async kill(): Promise<void> {
    if (!this.isRunning) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Asks it to stop (SIGTERM), then kills it after `graceMs`. Resolves its exit code. */
  async stop(graceMs: number = STOP_GRACE_MS): Promise<number | null> {
    if (!this.isRunning) return (await this.exited) ?? null;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Its exit code, once it exited (undefined while it runs). */
  get code(): number | null | undefined {
    return this.exitCode;
  }

  /** Resolves when it exits. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}
