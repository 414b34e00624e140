/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

test('README example: a three-instruction program on the core', async () => {
  const { logs } = await runReadmeExample();
  expect(logs).toEqual([[42n, 3n]]);
});
