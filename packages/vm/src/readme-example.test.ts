import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { loadInstance, RunError } from '@bpfkit/vm';

const packet = new Uint8Array(64);

test('an rbtree built by BPF programs, inspected as plain data', async () => {
  const vm = await loadInstance(readFileSync('fixtures/obj/rbtree.bpf.o'), { name: 'rbtree', verify: true });

  // rbtree_add_three: bpf_obj_new + bpf_rbtree_add of keys 5, 1, 3 into the global `groot`
  expect(vm.run('rbtree_add_three', { data: packet }).retval).toBe(0);

  const [tree] = vm.trees<{ key: number; data: number }>({ global: '.data.R' });
  expect(tree!.field).toBe('groot');
  expect(tree!.elements.map((n) => n.key)).toEqual([1, 3, 5]);
  expect(tree!.root!.color).toBe('black');

  // rbtree_first_remove: removes the leftmost node and returns its data (2 × key)
  expect(vm.run('rbtree_first_remove', { data: packet }).retval).toBe(2);
  expect(vm.trees({ global: '.data.R' })[0]!.elements).toHaveLength(2);
  expect(vm.heap().objects).toBe(2);

  // maps: read and write with bytes; values decoded by BTF
  expect(vm.map('trees').lookupValue(0)).toMatchObject({ root: { $marker: 'bpf_rb_root', elements: [] } });
});

test('faults name the instruction and the source line', async () => {
  const vm = await loadInstance(readFileSync('fixtures/obj/graph_list_fail.bpf.o'), { name: 'graph_list_fail' });
  // not verified: runs in checked mode, where a use after free is caught
  const run = () => vm.run('obj_use_after_drop', { data: packet });
  expect(run).toThrow(RunError);
  expect(run).toThrow(/bad memory access at insn \d+ .*return it->val;/);
});
