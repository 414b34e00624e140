/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

test('README example on a committed raw BTF blob (core.btf: struct task { int pid; ... })', async () => {
  const { logs, out } = await runReadmeExample({
    edits: [
      ["'/sys/kernel/btf/vmlinux'", `'${ROOT}packages/btf/src/__fixtures__/core.btf'`],
      ["'task_struct'", "'task'"],
    ],
  });
  expect(logs[0]).toEqual([2, 0]); // [2] STRUCT 'task', pid at offset 0
  expect(out).toBe("[1] PTR '(anon)' type_id=2\n[2] STRUCT 'task' size=48 vlen=5\n\t'pid' type_id=3 bits_offset=0\n\t'flags' type_id=4 bits_offset=32 bitfield_size=3\n\t'mode' type_id=4 bits_offset=35 bitfield_size=5\n\t'in' type_id=5 bit".slice(0, 200));
});

test('README example as printed, on this machine\'s kernel BTF when it has one', async () => {
  const vmlinux = existsSync('/sys/kernel/btf/vmlinux');
  const { logs, out } = await runReadmeExample(vmlinux ? {} : { edits: [["'/sys/kernel/btf/vmlinux'", `'${ROOT}packages/btf/src/__fixtures__/core.btf'`], ["'task_struct'", "'task'"]] });
  expect(logs[0]![0]).toBeGreaterThan(0);
  expect(typeof logs[0]![1]).toBe('number');
  expect(out).toHaveLength(200);
}, 60_000);
