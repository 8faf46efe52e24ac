// Writes deploy/crds/*.yaml from the TypeScript types of packages/kube.
//   npm run generate:crds            write the manifests
//   npm run generate:crds -- --check exit 1 when a committed manifest differs
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderNmstateCrdManifests } from '../src/crd/crd-manifests.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(repoRoot, 'deploy', 'crds');
const checkOnly = process.argv.includes('--check');

const manifests = renderNmstateCrdManifests();
const wanted = new Set(manifests.map((m) => m.fileName));
let differences = 0;
mkdirSync(outDir, { recursive: true });
for (const manifest of manifests) {
  const path = join(outDir, manifest.fileName);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === manifest.yaml) {
    console.error(JSON.stringify({ msg: 'crd up to date', file: manifest.fileName }));
    continue;
  }
  differences += 1;
  if (checkOnly) {
    console.error(JSON.stringify({ msg: 'crd differs from generator', file: manifest.fileName }));
  } else {
    writeFileSync(path, manifest.yaml);
    console.error(JSON.stringify({ msg: 'crd written', file: manifest.fileName }));
  }
}
for (const file of readdirSync(outDir)) {
  if (file.endsWith('.yaml') && !wanted.has(file)) {
    differences += 1;
    console.error(JSON.stringify({ msg: 'stale crd file not produced by the generator', file }));
  }
}
if (checkOnly && differences > 0) process.exit(1);
