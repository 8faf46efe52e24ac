#!/usr/bin/env node
// Bundles an app (`src/main.ts`) into one ESM file, `dist/main.mjs`, with esbuild.
// Workspace packages are inlined from their TypeScript sources (the `@nmfleet/source`
// export condition). npm packages stay external and load from node_modules, unless the
// app's package.json says `"nmfleet": { "inlineDependencies": true }`: then they are
// inlined too (start-up matters for a command run once per call; native add-ons and
// optional peers listed in `KEEP_EXTERNAL` always load from node_modules).
//
//   node tools/scripts/bundle-app.mjs APP_DIR
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const appDir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
const inlineDependencies = pkg.nmfleet?.inlineDependencies === true;
/** Packages that are native add-ons or optional peers: never inlined. */
const KEEP_EXTERNAL = new Set(['usocket', 'bufferutil', 'utf-8-validate', 'msgpackr-extract']);
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** @param {string} path */
function isExternal(path) {
  if (path.startsWith('@nmfleet/')) return false;
  if (!inlineDependencies || builtins.has(path) || path.startsWith('node:')) return true;
  const name = path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0];
  return KEEP_EXTERNAL.has(name);
}
await build({
  entryPoints: [join(appDir, 'src', 'main.ts')],
  outfile: join(appDir, 'dist', 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  conditions: ['@nmfleet/source'],
  // Inlined CommonJS dependencies call require() for Node's built-ins.
  banner: inlineDependencies
    ? { js: "import { createRequire as __nmfleetCreateRequire } from 'node:module';\nconst require = __nmfleetCreateRequire(import.meta.url);" }
    : {},
  plugins: [
    {
      name: 'externalize',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (isExternal(args.path) ? { external: true } : undefined));
      },
    },
  ],
  define: { NMFLEET_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
