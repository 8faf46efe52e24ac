/**
 * Rewrites the expected outputs of the model's fixtures from the current code:
 * `__fixtures__/valid/<case>.formatted.yml` and `__fixtures__/invalid/<case>.expected`.
 * Review the diff before committing; `nx run @nmfleet/model:test-int` then checks the
 * formatted files against nmstatectl.
 *
 *   npx tsx packages/model/scripts/update-fixtures.ts
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue, formatState, parseState } from '../src/index.js';

const fixtures = fileURLToPath(new URL('../src/__fixtures__/', import.meta.url));
let written = 0;

for (const file of readdirSync(join(fixtures, 'valid')).filter((f) => f.endsWith('.yml') && !f.endsWith('.formatted.yml'))) {
  const result = parseState(readFileSync(join(fixtures, 'valid', file), 'utf8'), { file });
  if (!result.ok) throw new Error(`${file} must be valid:\n${result.issues.map(formatIssue).join('\n')}`);
  writeFileSync(join(fixtures, 'valid', file.replace(/\.yml$/, '.formatted.yml')), formatState(result.state));
  written++;
}

for (const file of readdirSync(join(fixtures, 'invalid')).filter((f) => f.endsWith('.yml'))) {
  const result = parseState(readFileSync(join(fixtures, 'invalid', file), 'utf8'), { file });
  if (result.ok) throw new Error(`${file} must be rejected`);
  writeFileSync(join(fixtures, 'invalid', file.replace(/\.yml$/, '.expected')), `${result.issues.map(formatIssue).join('\n')}\n`);
  written++;
}

console.log(`wrote ${written} expected outputs under ${fixtures}`);
