import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // Generous: a loaded 2-core CI machine runs integration tests several times slower; nothing here measures time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests start local servers (and a JVM); two workers on two cores.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
