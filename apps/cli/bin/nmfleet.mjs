#!/usr/bin/env node
// The `nmfleet` command. Runs the esbuild bundle of apps/cli (built by `npm run build`,
// `npm test` and `npm run demo`); explains how to build it when it is missing.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/main.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('nmfleet: the CLI is not built yet; run `npm run build` at the repository root.\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
