import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['orglint-source'] },
  ssr: { resolve: { conditions: ['orglint-source'] } },
  test: {
    projects: ['packages/*'],
  },
});
