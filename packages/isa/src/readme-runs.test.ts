/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

test('README example: decode, format, validate, assemble, encode', async () => {
  const { logs, mod } = await runReadmeExample({ postamble: 'export const result = { insns, again, bytes, valid: validateProgram(insns) };' });
  expect(String(logs[0]![0]).trimEnd()).toBe('0: (bf) r6 = r1\n1: (b7) r0 = 0\n2: (95) exit');
  const r = mod.result as { insns: unknown; again: unknown; bytes: Uint8Array; valid: unknown };
  expect(r.valid).toBeUndefined();
  expect(r.again).toEqual(r.insns);
  expect(Buffer.from(r.bytes).toString('hex')).toBe('bf16000000000000b7000000000000009500000000000000');
});
