import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/*
 * The golden cases of `nmfleet gc`, shared by the unit spec (our output
 * against the recorded one) and the integration specs (against the real
 * nmstatectl, and through `nmcli --offline`). Spec support only.
 */

const FIXTURES_DIR = fileURLToPath(new URL('./__fixtures__/gc', import.meta.url));
const CORPUS_DIR = fileURLToPath(new URL('../../../../testdata/upstream/nmstate/examples', import.meta.url));
/** Case folders named `corpus-<example>` take their input from the upstream corpus. */
const CORPUS_PREFIX = 'corpus-';

/** One gc golden case. */
export interface GcCase {
  readonly name: string;
  /** The desired state file. */
  readonly desiredFile: string;
  /** The recorded `nmfleet gc` output, when generation succeeds. */
  readonly expectedFile?: string;
  /** The recorded error message, when the state is refused. */
  readonly expectedErrorFile?: string;
}

/** Every case under `__fixtures__/gc`, corpus examples first, then our own, by name. */
export function listGcCases(): GcCase[] {
  return readdirSync(FIXTURES_DIR)
    .sort()
    .map((name): GcCase => {
      const dir = join(FIXTURES_DIR, name);
      const desiredFile = name.startsWith(CORPUS_PREFIX) ? join(CORPUS_DIR, `${name.slice(CORPUS_PREFIX.length)}.yml`) : join(dir, 'desired.yml');
      const expectedFile = join(dir, 'expected.yml');
      const expectedErrorFile = join(dir, 'expected-error.txt');
      return {
        name,
        desiredFile,
        ...(existsSync(expectedFile) ? { expectedFile } : {}),
        ...(existsSync(expectedErrorFile) ? { expectedErrorFile } : {}),
      };
    });
}

/** Whether every corpus example has a case folder (a new upstream example must not go untested). */
export function listCorpusExamplesWithoutCase(): string[] {
  const cases = new Set(readdirSync(FIXTURES_DIR));
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -'.yml'.length))
    .filter((example) => !cases.has(`${CORPUS_PREFIX}${example}`));
}

/** A file's text. */
export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
