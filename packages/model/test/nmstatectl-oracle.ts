/**
 * The real `nmstatectl` 2.2.62, used as an oracle by differential tests. tools/testenv
 * builds it into the cache; until its `findCachedNmstatectl()` is committed we look in the
 * places it is built to, and callers skip with {@link ORACLE_MISSING} when it is absent.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = [
  process.env.NMSTATECTL,
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'nmfleet', 'nmstatectl-2.2.62', 'bin', 'nmstatectl'),
  '/tmp/nmst/bin/nmstatectl',
];

/** The path of the oracle binary, or undefined when it has not been built. */
export function findNmstatectl(): string | undefined {
  for (const candidate of CANDIDATES) {
    if (candidate === undefined || candidate === '') continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

export const ORACLE_MISSING =
  'nmstatectl 2.2.62 (the oracle) is not built: run `node tools/testenv/src/cli.ts nmstatectl` (needs cargo) or set NMSTATECTL';

/** The outcome of one nmstatectl run. */
export interface OracleRun {
  ok: boolean;
  stdout: string;
  /** stderr without nmstatectl's log lines. */
  error: string;
}

/** Runs `nmstatectl SUBCOMMAND -` with `text` on stdin. */
export function runNmstatectl(binary: string, subcommand: 'format' | 'validate', text: string): OracleRun {
  const result = spawnSync(binary, [subcommand, '-'], { input: text, encoding: 'utf8', timeout: 30_000 });
  const error = (result.stderr ?? '')
    .split('\n')
    .filter((line) => line !== '' && !/^\[\S+ (INFO|WARN|DEBUG)/.test(line))
    .join('\n');
  return { ok: result.status === 0, stdout: result.stdout ?? '', error };
}
