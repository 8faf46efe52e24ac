import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const plugin = require('../infer-targets.cjs') as {
  createNodesV2: readonly [string, (files: string[], options: unknown, context: unknown) => [string, { projects: Record<string, { targets: Record<string, { options: { command: string; cwd: string } }> }> }][]];
};

let workspace = '';
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

function project(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(workspace, root, file, '..'), { recursive: true });
    writeFileSync(join(workspace, root, file), text);
  }
}

function infer(configFiles: string[]) {
  const [, createNodes] = plugin.createNodesV2;
  const results = createNodes(configFiles, undefined, { workspaceRoot: workspace, nxJsonConfiguration: {} });
  return Object.fromEntries(results.map(([file, result]) => [file, Object.values(result.projects)[0]!.targets]));
}

describe('infer-targets', () => {
  it('infers targets from the files a project has', () => {
    workspace = mkdtempSync(join(tmpdir(), 'nmfleet-infer-'));
    project('packages/lib', {
      'package.json': '{}',
      'tsconfig.json': '{}',
      'tsconfig.lib.json': '{}',
      'src/a.spec.ts': '',
      'src/b.int.spec.ts': '',
    });
    project('apps/app', { 'package.json': '{}', 'tsconfig.json': '{}', 'src/main.ts': '' });
    project('tools/bare', { 'package.json': '{}', 'src/index.ts': '' });

    const targets = infer(['packages/lib/package.json', 'apps/app/package.json', 'tools/bare/package.json']);

    expect(Object.keys(targets['packages/lib/package.json']!).sort()).toEqual(['build', 'lint', 'test', 'test-int', 'typecheck']);
    expect(targets['packages/lib/package.json']!.test!.options).toEqual({
      command: 'vitest run --config ../../vitest.unit.config.ts',
      cwd: 'packages/lib',
    });
    expect(targets['packages/lib/package.json']!.build!.options.command).toBe('tsc -p tsconfig.lib.json');
    expect(Object.keys(targets['apps/app/package.json']!).sort()).toEqual(['build', 'lint', 'typecheck']);
    expect(targets['apps/app/package.json']!.build!.options.command).toBe('node ../../tools/scripts/bundle-app.mjs .');
    expect(Object.keys(targets['tools/bare/package.json']!)).toEqual(['lint']);
  });
});
