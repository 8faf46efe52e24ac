#!/usr/bin/env node
// Bundles an app (`src/main.ts`) into one ESM file, `dist/main.mjs`, with esbuild.
// Workspace packages are inlined from their TypeScript sources (the `@nmfleet/source`
// export condition); npm packages stay external and load from node_modules.
//
//   node tools/scripts/bundle-app.mjs APP_DIR
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const appDir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
await build({
  entryPoints: [join(appDir, 'src', 'main.ts')],
  outfile: join(appDir, 'dist', 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  conditions: ['@nmfleet/source'],
  // Keep npm dependencies external: they resolve from node_modules at run time.
  plugins: [
    {
      name: 'externalize-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@nmfleet/') ? undefined : { external: true }));
      },
    },
  ],
  define: { NMFLEET_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
