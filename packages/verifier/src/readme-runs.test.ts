/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

test('README example: div by zero is rejected with the kernel message and log', async () => {
  const { logs } = await runReadmeExample({ postamble: 'export { r };' });
  expect(logs[0]).toEqual([false, 'div by zero']);
  const log = String(logs[1]![0]);
  expect(log).toMatch(/^0: R1=ctx\(\) R10=fp0\n0: \(b7\) r0 = 1 +; R0=1\n1: \(37\) r0 \/= 0\ndiv by zero\nprocessed 2 insns/);
});
