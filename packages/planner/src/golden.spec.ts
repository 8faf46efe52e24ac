import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { diffStates, type StateDoc } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const genDiffDir = join(repoRoot, 'testdata/upstream/nmstate/gen-diff');

function readState(path: string): StateDoc {
  return (load(readFileSync(path, 'utf8')) ?? {}) as StateDoc;
}

describe('gen-diff corpus (nmstate rust/src/lib/unit_tests/gen_diff_test_files)', () => {
  const cases = readdirSync(genDiffDir).sort();
  it('has the 11 upstream cases', () => expect(cases).toHaveLength(11));
  for (const name of cases) {
    it(name, () => {
      const dir = join(genDiffDir, name);
      const got = diffStates(readState(join(dir, 'desired.yml')), readState(join(dir, 'current.yml')));
      const expected = existsSync(join(dir, 'diff.yml')) ? readState(join(dir, 'diff.yml')) : {};
      expect(got).toEqual(expected);
    });
  }
});
