import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Lints a source text as if it lived at `filePath` (relative to the workspace root),
 * with the workspace's own ESLint configuration and Nx project graph.
 */
async function lintAs(filePath: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(text, { filePath: `${workspaceRoot}${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (ARCHITECTURE.md dependency direction, enforced by lint)', () => {
  it.each([
    ['packages/model/src/probe.ts', "import { Queue } from 'bullmq';\nexport const q = Queue;\n", /not allowed to import "bullmq"/],
    ['packages/planner/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /no-restricted-imports/],
    ['packages/planner/src/probe.ts', "import * as k from '@kubernetes/client-node';\nexport const x = k;\n", /not allowed to import "@kubernetes\/client-node"/],
    ['packages/planner/src/probe.ts', "export const t = setTimeout;\n", /no-restricted-globals/],
    ['packages/model/src/probe.ts', "import * as p from 'prom-client';\nexport const x = p;\n", /not allowed to import "prom-client"/],
    ['packages/nm-backend/src/probe.ts', "import { Queue } from 'bullmq';\nexport const q = Queue;\n", /bullmq/],
    ['packages/planner/src/probe.ts', "import type {} from '@nmfleet/kube';\n", /type:planner/],
    ['packages/kube/src/probe.ts', "import type {} from '@nmfleet/nm-backend';\n", /type:adapter/],
  ])('%s rejects %j', async (filePath, text, expected) => {
    const messages = await lintAs(filePath, text);
    expect(messages.join('\n')).toMatch(expected);
  });

  it('accepts what the direction allows', async () => {
    const messages = await lintAs(
      'packages/planner/src/probe.ts',
      "import type { NetworkState } from '@nmfleet/model';\nexport type S = NetworkState;\n",
    );
    expect(messages).toEqual([]);
  });
});
