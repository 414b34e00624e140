import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@bpfkit/source'] } },
  test: { name: 'vm-wasm', include: ['src/**/*.test.ts'] },
});
