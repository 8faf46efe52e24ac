// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node built-ins: model and planner are pure and may import none of them. */
const NODE_IO_MODULES = [
  'fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'os', 'process',
  'worker_threads', 'cluster', 'readline', 'tls', 'timers', 'timers/promises', 'perf_hooks', 'crypto',
];
const noNodeIo = {
  'no-restricted-imports': [
    'error',
    {
      paths: NODE_IO_MODULES.flatMap((m) => [m, `node:${m}`]).map((name) => ({
        name,
        message: 'model and planner are pure: no I/O, no clock, no randomness. Take values as arguments.',
      })),
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'model and planner are pure: take configuration as arguments.' },
    { name: 'setTimeout', message: 'model and planner are pure: no timers.' },
    { name: 'fetch', message: 'model and planner are pure: no I/O.' },
  ],
};


/** Test-only libraries that spec files of any project may import. */
const TEST_LIBRARIES = ['vitest', 'fast-check'];

/**
 * The dependency direction of ARCHITECTURE.md: model ← planner ← nm-backend ← agent/cli;
 * kube, queue and telemetry are adapters used by apps. `extraAllowed` lets spec files
 * import test libraries without letting sources do so.
 * @param {string[]} extraAllowed
 * @param {string[]} [extraTags]
 */
function dependencyRules(extraAllowed, extraTags = []) {
  return [
    // The nmstate schema: parsing and validation only.
    { sourceTag: 'type:model', onlyDependOnLibsWithTags: ['type:model', ...extraTags], allowedExternalImports: ['yaml', 'js-yaml', ...extraAllowed] },
    // Pure planning: nothing but the model.
    { sourceTag: 'type:planner', onlyDependOnLibsWithTags: ['type:model', ...extraTags], allowedExternalImports: [...extraAllowed] },
    // NetworkManager, keyfiles, simulated host: no queue, Kubernetes or metrics library.
    {
      sourceTag: 'type:backend',
      onlyDependOnLibsWithTags: ['type:model', 'type:planner', ...extraTags],
      bannedExternalImports: ['bullmq', 'ioredis', '@kubernetes/*', 'prom-client'],
    },
    // Adapters (kube, queue, telemetry) speak one external system each.
    { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:model', 'type:planner', 'type:adapter', ...extraTags] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:model', 'type:planner', 'type:backend', 'type:adapter', ...extraTags] },
    {
      sourceTag: 'type:tool',
      onlyDependOnLibsWithTags: ['type:model', 'type:planner', 'type:backend', 'type:adapter', 'type:tool', ...extraTags],
    },
  ];
}

/** @param {string[]} extraAllowed @param {string[]} [extraTags] */
function boundaries(extraAllowed, extraTags) {
  return [
    'error',
    { enforceBuildableLibDependency: false, banTransitiveDependencies: true, depConstraints: dependencyRules(extraAllowed, extraTags) },
  ];
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/coverage/**', '**/__fixtures__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Specs may also use the test harness (tools/testenv, tools/fleet-sim): real services, oracles.
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(TEST_LIBRARIES, ['type:tool']) },
  },
  {
    files: ['packages/model/src/**/*.ts', 'packages/planner/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: noNodeIo,
  },
  {
    // Plain-Node scripts (bootstrap, bundler, Nx plugin) run without a TypeScript loader.
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
