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

test('README example: decode, format, validate, assemble, encode', async () => {
  const { logs, mod } = await runReadmeExample({ postamble: 'export const result = { insns, again, bytes, valid: validateProgram(insns) };' });
  expect(String(logs[0]![0]).trimEnd()).toBe('0: (bf) r6 = r1\n1: (b7) r0 = 0\n2: (95) exit');
  const r = mod.result as { insns: unknown; again: unknown; bytes: Uint8Array; valid: unknown };
  expect(r.valid).toBeUndefined();
  expect(r.again).toEqual(r.insns);
  expect(Buffer.from(r.bytes).toString('hex')).toBe('bf16000000000000b7000000000000009500000000000000');
  void ROOT;
});
