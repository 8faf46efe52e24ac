// Rewrites the generated tables of docs/metrics.md from the metric
// definitions; `--check` only reports whether the file is up to date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceGeneratedReference } from '../src/metrics-reference.js';

const docPath = fileURLToPath(new URL('../../../docs/metrics.md', import.meta.url));
const current = readFileSync(docPath, 'utf8');
const next = replaceGeneratedReference(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/metrics.md is out of date: run npx tsx packages/telemetry/scripts/generate-metrics-doc.ts');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(docPath, next);
  console.error('docs/metrics.md updated');
}
