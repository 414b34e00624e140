/** The README's example, executed: it runs as printed (with the edits named below) and prints what its comments say. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';
import { existsSync } from 'node:fs';
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
