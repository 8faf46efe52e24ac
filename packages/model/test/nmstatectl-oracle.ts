/**
 * Running the real `nmstatectl` 2.2.62, the oracle of the differential specs. The specs
 * find it with tools/testenv (`findCachedNmstatectl()`, where `npm run testenv` builds
 * it) or where it was first built on this machine, and skip with {@link ORACLE_MISSING}
 * when it is absent.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Where nmstatectl was built before tools/testenv cached it. */
const EARLY_BUILD = '/tmp/nmst/bin/nmstatectl';

/** The oracle binary: the cached one when given, else the early build, else undefined. */
export function pickNmstatectl(cached: string | undefined): string | undefined {
  if (cached !== undefined) return cached;
  try {
    accessSync(EARLY_BUILD, constants.X_OK);
    return EARLY_BUILD;
  } catch {
    return undefined;
  }
}

export const ORACLE_MISSING =
  'nmstatectl 2.2.62 (the oracle) is not built: run `npm run -s testenv -- install --for test` (needs cargo) to build it into the cache';

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
