/**
 * The project's bad-input corpus: `src/__fixtures__/invalid/<case>.yml`, one problem each,
 * with the exact diagnostics expected in `<case>.expected`. The second line of each file
 * says what nmstate does with it: `# nmstate: rejects`, or `# nmstate: accepts (stricter: WHY)`
 * where we are deliberately stricter.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const INVALID_CORPUS_DIR = fileURLToPath(new URL('../src/__fixtures__/invalid/', import.meta.url));

export interface InvalidCase {
  /** File name, e.g. `vlan-id-4095.yml`; also the FILE of the expected diagnostics. */
  file: string;
  path: string;
  text: string;
  expected: string[];
  /** Why we reject what nmstate accepts; undefined when nmstate rejects the file too. */
  stricter: string | undefined;
}

export function invalidCorpus(): InvalidCase[] {
  return readdirSync(INVALID_CORPUS_DIR)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file) => {
      const path = join(INVALID_CORPUS_DIR, file);
      const text = readFileSync(path, 'utf8');
      const verdict = /^# nmstate: (rejects|accepts \(stricter: (.+)\))$/m.exec(text);
      if (verdict === null) throw new Error(`${file}: second line must be "# nmstate: rejects" or "# nmstate: accepts (stricter: ...)"`);
      const expected = readFileSync(path.replace(/\.yml$/, '.expected'), 'utf8').split('\n').filter((line) => line !== '');
      return { file, path, text, expected, stricter: verdict[2] };
    });
}
