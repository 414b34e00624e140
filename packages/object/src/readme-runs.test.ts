/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

test('README example on fixtures/obj/plain.bpf.o: programs, maps, a linked program', async () => {
  const { logs } = await runReadmeExample({
    edits: [
      ["readFileSync('prog.bpf.o')", `readFileSync('${ROOT}fixtures/obj/plain.bpf.o')`],
      ["'prog1'", "'tc_count'"],
    ],
  });
  expect(logs.slice(0, 6).map((l) => l.slice(0, 3))).toEqual([
    ['tc_count', 'BPF_PROG_TYPE_SCHED_CLS', true],
    ['core_type_id', 'BPF_PROG_TYPE_SCHED_CLS', true],
    ['xdp_pass', 'BPF_PROG_TYPE_XDP', true],
    ['sys_prog', 'BPF_PROG_TYPE_SYSCALL', true],
    ['socket_filter', 'BPF_PROG_TYPE_SOCKET_FILTER', true],
    ['tc_optional', 'BPF_PROG_TYPE_SCHED_CLS', false],
  ]);
  const linked = logs.at(-1)!;
  expect(linked[0]).toBe(logs[0]![3]); // no subprograms: the program's own slots
  expect(Array.isArray(linked[1])).toBe(true);
});
