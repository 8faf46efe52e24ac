import { defineConfig } from 'vitest/config';
import { sharedConfig } from './vitest.shared.js';

/**
 * Integration tests: `src/**\/*.int.spec.ts`, against real services (Redis,
 * kube-apiserver, NetworkManager, Prometheus) that each suite starts and stops.
 * Files run one at a time: this machine has two cores and the services are heavy.
 */
export default defineConfig({
  ...sharedConfig,
  test: {
    include: ['src/**/*.int.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
