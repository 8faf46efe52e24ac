// @ts-check
/**
 * A local Nx plugin that infers every project's targets from the files it has,
 * so that no project repeats a project.json:
 *
 * - `typecheck`  when the project has `tsconfig.json` (tsc, no emit)
 * - `lint`       always (ESLint, flat config at the root, module boundaries included)
 * - `test`       when it has unit specs (`*.spec.ts` that are not `*.int.spec.ts`)
 * - `test-int`   when it has integration specs (`*.int.spec.ts`, real services)
 * - `build`      libraries: `tsc -p tsconfig.lib.json` to `dist/`;
 *                apps with `src/main.ts`: an esbuild bundle `dist/main.mjs`
 *
 * Why a local plugin rather than @nx/js + @nx/vitest: those infer from per-project
 * vite/tsconfig layouts we do not use, and their versions must move in lockstep
 * with nx; this file is the whole contract and is easy to read.
 */
const fs = require('node:fs');
const path = require('node:path');

const SKIP_DIRS = new Set(['node_modules', 'dist', '.nx', 'coverage']);

/** @param {string} dir @param {(file: string) => void} visit */
function walk(dir, visit) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path.join(dir, entry.name), visit);
    } else {
      visit(entry.name);
    }
  }
}

/** @param {string} root */
function findSpecKinds(root) {
  let unit = false;
  let integration = false;
  walk(root, (name) => {
    if (name.endsWith('.int.spec.ts')) integration = true;
    else if (name.endsWith('.spec.ts')) unit = true;
  });
  return { unit, integration };
}

/** @param {string} command @param {string} cwd @param {Record<string, unknown>} [extra] */
function runCommand(command, cwd, extra = {}) {
  return { executor: 'nx:run-commands', options: { command, cwd }, ...extra };
}

/** @type {import('nx/src/project-graph/plugins/public-api').CreateNodesFunction} */
function inferTargets(configFiles, _options, context) {
  return configFiles.map((configFile) => {
    const projectRoot = path.dirname(configFile);
    const absRoot = path.join(context.workspaceRoot, projectRoot);
    const toRoot = path.relative(absRoot, context.workspaceRoot) || '.';
    const has = (/** @type {string} */ file) => fs.existsSync(path.join(absRoot, file));
    const specs = findSpecKinds(path.join(absRoot, 'src'));
    /** @type {Record<string, any>} */
    const targets = {};

    if (has('tsconfig.json')) {
      targets.typecheck = runCommand('tsc -p tsconfig.json', projectRoot);
    }
    targets.lint = runCommand('eslint --max-warnings=0 .', projectRoot);
    if (specs.unit) {
      targets.test = runCommand(`vitest run --config ${toRoot}/vitest.unit.config.ts`, projectRoot);
    }
    if (specs.integration) {
      targets['test-int'] = runCommand(`vitest run --config ${toRoot}/vitest.int.config.ts`, projectRoot);
    }
    if (projectRoot.startsWith('apps/') && has('src/main.ts')) {
      targets.build = runCommand(`node ${toRoot}/tools/scripts/bundle-app.mjs .`, projectRoot, {
        outputs: ['{projectRoot}/dist'],
      });
    } else if (has('tsconfig.lib.json')) {
      targets.build = runCommand('tsc -p tsconfig.lib.json', projectRoot, { outputs: ['{projectRoot}/dist'] });
    }
    return /** @type {const} */ ([configFile, { projects: { [projectRoot]: { targets } } }]);
  });
}

/** @type {import('nx/src/project-graph/plugins/public-api').NxPlugin} */
module.exports = {
  name: 'nmfleet-infer-targets',
  createNodesV2: ['{packages,apps,tools}/*/package.json', inferTargets],
};
