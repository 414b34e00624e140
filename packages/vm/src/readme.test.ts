/** The README's vitest example is `src/readme-example.test.ts` verbatim (so it is run, and works as pasted). */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

test('README example = readme-example.test.ts', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8'));
});
