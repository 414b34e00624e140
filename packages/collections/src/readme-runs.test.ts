/** The README's example, executed on a real image: rbtree.bpf.o's `.data.R` tree after rbtree_add_three (keys 5, 1, 3), in an @bpfkit/vm instance. */
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runReadmeExample as runExample, type ReadmeRunOptions } from '../../../testing/readme-example.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const runReadmeExample = (opts: ReadmeRunOptions = {}) => runExample(import.meta.url, opts);

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
