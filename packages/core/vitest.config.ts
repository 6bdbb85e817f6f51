import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['orglint-source'] },
  ssr: { resolve: { conditions: ['orglint-source'] } },
  test: {
    name: 'core',
    exclude: ['**/node_modules/**', '**/dist/**'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
