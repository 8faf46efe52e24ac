import { spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { delimiter, join } from 'node:path';
import { readEnvironment } from './config.js';
import { TestenvError } from './errors.js';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Working directory. Default: the current one. */
  readonly cwd?: string;
  /** Variables added to (or, when `undefined`, removed from) the inherited environment. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with every line of stdout and stderr as it arrives. Default: none. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Appends everything the command prints to this file. Default: nothing is written. */
  readonly logFile?: string;
  /** Text written to the command's stdin. Default: stdin is closed. */
  readonly input?: string;
}

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Merges `overrides` over the inherited environment; `undefined` removes a variable. */
export function buildChildEnvironment(overrides: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...readEnvironment().inherited };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Finds `name` on PATH, then in `extraDirs`; `undefined` when absent. Extra
 * folders cover toolchains installed where a non-login shell does not look
 * (`/usr/local/go/bin`, `~/.cargo/bin`).
 */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | undefined {
  const pathDirs = (readEnvironment().inherited['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...extraDirs]) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
}

/** Runs a command to completion; never throws for a non-zero exit (see {@link runCommandChecked}). */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    let log: WriteStream | undefined;
    if (options.logFile) {
      // Opened synchronously so that an unwritable log fails here, not later as an unhandled stream error.
      log = createWriteStream('', { fd: openSync(options.logFile, 'a') });
      // The log is a copy for humans; the result (stdout, stderr, code) never depends on it.
      log.on('error', () => undefined);
    }
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: buildChildEnvironment(options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const onLine = options.onLine;
    const out = child.stdout;
    const err = child.stderr;
    if (!out || !err) throw new Error('unreachable: stdout and stderr are pipes');
    out.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      log?.write(chunk);
    });
    err.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      log?.write(chunk);
    });
    if (onLine) {
      out.on('data', splitLines((line) => onLine(line, 'stdout')));
      err.on('data', splitLines((line) => onLine(line, 'stderr')));
    }
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error: NodeJS.ErrnoException) => {
      log?.end();
      if (error.code === 'ENOENT') {
        reject(new TestenvError('missing-tool', `${command} is not installed or not on PATH`, { cause: error }));
      } else {
        reject(error);
      }
    });
    child.on('close', (code, signal) => {
      const finish = () =>
        resolve({
          code,
          signal,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
      if (log) log.end(finish);
      else finish();
    });
  });
}

/** Runs a command and throws a `command-failed` {@link TestenvError} (with its output) unless it exits 0. */
export async function runCommandChecked(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with ${result.code}`;
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new TestenvError('command-failed', `${[command, ...args].join(' ')} ${how}`, { logTail: output });
  }
  return result;
}
