import { defineConfig } from 'vitest/config';
import { sharedConfig } from './vitest.shared.js';

/** Unit tests: `src/**\/*.spec.ts` beside the code, no services, run in parallel. */
export default defineConfig({
  ...sharedConfig,
  test: {
    include: ['src/**/*.spec.ts'],
    exclude: ['**/*.int.spec.ts', '**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
  },
});
