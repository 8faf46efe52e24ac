import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvironment } from './config.js';
import { TestenvError } from './errors.js';
import { isProcessAlive } from './process-identity.js';
import type { ScopeRecord } from './service-scope.js';

/** The services `up` can start. */
export const SERVICE_KINDS = ['k8s', 'redis', 'prometheus'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** One service started by `up`. */
export interface UpEntry {
  readonly startedAt: string;
  /** Shell variables that point clients at the service, e.g. `{ REDIS_URL: 'redis://…' }`. */
  readonly exports: Readonly<Record<string, string>>;
  /** Facts for `status`: URLs, PIDs. */
  readonly details: Readonly<Record<string, string | number>>;
  /** What `down` stops and removes. */
  readonly record: ScopeRecord;
}

/** The CLI's state file: what `up` started and `down` will stop. */
export interface UpState {
  readonly version: 1;
  readonly services: Partial<Record<ServiceKind, UpEntry>>;
}

const stateFile = () => join(readEnvironment().stateDir, 'state.json');
const envFile = () => join(readEnvironment().stateDir, 'env.sh');

/** Reads the state file; an absent file is an empty state. */
export function readUpState(): UpState {
  let text: string;
  try {
    text = readFileSync(stateFile(), 'utf8');
  } catch {
    return { version: 1, services: {} };
  }
  const state = JSON.parse(text) as UpState;
  if (state.version !== 1 || typeof state.services !== 'object') {
    throw new TestenvError('invalid-argument', `${stateFile()} is not a testenv state file (version 1); remove it after stopping its processes by hand`);
  }
  return state;
}

/** Quotes a value for POSIX shells. */
export function quoteForShell(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `export NAME='value'` lines of every service in `state`. */
export function renderExports(state: UpState): string[] {
  return SERVICE_KINDS.flatMap((kind) =>
    Object.entries(state.services[kind]?.exports ?? {}).map(([name, value]) => `export ${name}=${quoteForShell(value)}`),
  );
}

/** Writes the state (atomically) and `.testenv/env.sh`; removes both when nothing is up. */
export function writeUpState(state: UpState): void {
  if (Object.keys(state.services).length === 0) {
    rmSync(stateFile(), { force: true });
    rmSync(envFile(), { force: true });
    return;
  }
  mkdirSync(readEnvironment().stateDir, { recursive: true });
  const temp = `${stateFile()}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, stateFile());
  writeFileSync(envFile(), `# written by "npm run testenv -- up"; source it, or eval the output of up\n${renderExports(state).join('\n')}\n`);
}

/** Whether every process of an entry still runs. */
export function isEntryRunning(entry: UpEntry): boolean {
  return entry.record.processes.length > 0 && entry.record.processes.every(isProcessAlive);
}

/** The state file's path, for messages. */
export function upStatePath(): string {
  return stateFile();
}
