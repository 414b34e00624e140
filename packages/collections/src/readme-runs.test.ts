/** The README's example, executed on a real image: rbtree.bpf.o's `.data.R` tree after rbtree_add_three (keys 5, 1, 3), in an @bpfkit/vm instance. */
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

/** What the example takes as given: a core, a map value holding a tree, its record, the BTF. */
const preamble = (root: string): string => `
import { readFileSync as __readFileSync } from 'node:fs';
import { loadInstance as __loadInstance } from '@bpfkit/vm';
import { findByName as __findByName } from '@bpfkit/btf';
const __vm: any = await __loadInstance(__readFileSync('${root}fixtures/obj/rbtree.bpf.o'), { name: 'rbtree' });
__vm.run('rbtree_add_three', { data: new Uint8Array(64) });
const __map = __vm.map('.data.R');
const core = __vm.core;
const map = __map.addr;
const keyAddr = __vm.hostKey(new Uint8Array(4));
const treeOff = __vm.trees({ global: '.data.R' })[0].offset;
const btf = __vm.btf;
const elemTypeId = __findByName(btf, 'node_data', 'STRUCT');
const mapRecordAddr = __vm.records.addrOf(__map.recordKey);
`;

test('README example: the tree in order with its keys, the root, the whole graph', async () => {
  // struct node_data { long key; long data; struct bpf_rb_node node; }: the node is at offset 16
  const { logs, mod } = await runReadmeExample({ preamble: preamble(ROOT), edits: [['{ nodeOffset: 8 }', '{ nodeOffset: 16 }']], postamble: 'export { t, g };' });
  expect(logs.slice(0, 3).map((l) => l[1])).toEqual([1n, 3n, 5n]);
  expect(logs.slice(0, 3).every((l) => /^[0-9a-f]+$/.test(String(l[0])))).toBe(true);
  expect(logs[3]![0]).toBe('black'); // root key 3, two red children
  expect(typeof logs[3]![1]).toBe('number');
  const t = mod.t as { inOrder: number[]; root: { obj: number } };
  expect(t.root.obj).toBe(t.inOrder[1]);
  expect(mod.g).toBeDefined();
});
