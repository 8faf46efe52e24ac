import { defaultServerConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

/**
 * Settings every project's tests share. Workspace packages resolve to their
 * TypeScript sources through the `@nmfleet/source` export condition, so tests
 * never need a build first.
 */
export const sharedConfig: ViteUserConfig = {
  resolve: { conditions: ['@nmfleet/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@nmfleet/source', ...defaultServerConditions] } },
};
