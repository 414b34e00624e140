import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@bpfkit/source'] } },
  test: { name: 'collections', include: ['src/**/*.test.ts'] },
});
