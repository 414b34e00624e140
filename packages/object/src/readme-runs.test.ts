/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';
import { test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs the README's first ```ts block as a module (written beside this test so that imports
 * resolve like the package's own code): `edits` replace text that needs this repository (each
 * must occur), `preamble` defines what the example takes as given, `postamble` may export values.
 * Returns what it printed with console.log / process.stdout.write, and the module's exports.
 */
async function runReadmeExample(opts: { edits?: [string, string][]; preamble?: string; postamble?: string } = {}): Promise<{ logs: unknown[][]; out: string; mod: Record<string, unknown> }> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  let code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  for (const [from, to] of opts.edits ?? []) {
    expect(code, `README example contains ${from}`).toContain(from);
    code = code.split(from).join(to);
  }
  const file = new URL(`./readme-example.tmp-${process.pid}-${Math.random().toString(36).slice(2)}.ts`, import.meta.url);
  writeFileSync(file, `${opts.preamble ?? ''}\n${code}\n${opts.postamble ?? ''}\nexport {};\n`);
  const logs: unknown[][] = [];
  let out = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  try {
    const mod = (await import(/* @vite-ignore */ file.href)) as Record<string, unknown>;
    return { logs, out, mod };
  } finally {
    log.mockRestore();
    write.mockRestore();
    rmSync(file, { force: true });
  }
}

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
