import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.spec.ts', 'src/**/*.spec.tsx'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2-core machines: real tools (openssl, keytool, pebble, chromium) are heavy.
    maxWorkers: 2,
  },
});
