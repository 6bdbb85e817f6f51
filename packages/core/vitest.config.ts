import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['orglint-source'] },
  ssr: { resolve: { conditions: ['orglint-source'] } },
  test: {
    name: 'core',
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Generous: the suites start real servers and browsers on a 2-core machine; no test asserts on time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
