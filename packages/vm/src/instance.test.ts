import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FaultCode } from '@bpfkit/vm-wasm';
import { LoadError, RunError } from './errors.js';
import { loadInstance, MapError } from './instance.js';
import { runRaw } from './raw.js';

const obj = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/obj/${name}.bpf.o`, import.meta.url)));
const pkt = (n = 64) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe.each(['wasm', 'ts'] as const)('instance on the %s engine', (engine) => {
  test('rbtree: lists and trees of a global section as plain data, in order, with colours', async () => {
    const inst = await loadInstance(obj('rbtree'), { engine, name: 'rbtree' });
    expect(inst.run('rbtree_add_three', { data: pkt() }).retval).toBe(0);
    const [t] = inst.trees({ global: '.data.R' });
    expect(t!.field).toBe('groot');
    expect(t!.elements).toEqual([1, 3, 5].map((k) => ({ key: k, data: 2 * k, node: { $marker: 'bpf_rb_node' } })));
    expect(t!.root!.color).toBe('black');
    expect(t!.root!.value).toMatchObject({ key: 3 });
    expect(t!.root!.left!.value).toMatchObject({ key: 1 });
    // addresses: one per element in order; a node's addr is its element's
    expect(new Set(t!.addrs).size).toBe(3);
    expect([t!.root!.left!.addr, t!.root!.addr, t!.root!.right!.addr]).toEqual(t!.addrs);
    expect(t!.addrs.map((a) => inst.core.view.getUint32(a, true))).toEqual([1, 3, 5]); // key at offset 0
    expect(inst.heap().objects).toBe(3);
    // the whole section decoded, the tree expanded in place
    expect(inst.global('.data.R')).toMatchObject({ glock: { $marker: 'bpf_spin_lock', locked: false }, groot: { $marker: 'bpf_rb_root', elements: [{ key: 1 }, { key: 3 }, { key: 5 }] } });
    expect(inst.run('rbtree_first_remove', { data: pkt() }).retval).toBe(2);
    expect(inst.trees({ global: '.data.R' })[0]!.elements.map((e) => (e as { key: number }).key)).toEqual([3, 5]);
    expect(inst.heap().objects).toBe(2);
  });

  test('list_nested: nested lists expanded; map API round trip and drains', async () => {
    const inst = await loadInstance(obj('list_nested'), { engine, name: 'list_nested' });
    expect(inst.run('nested_push', { data: pkt() }).retval).toBe(1);
    const [l] = inst.lists({ map: 'roots', key: 0 });
    expect(l!.field).toBe('outers');
    expect(l!.elements).toEqual([{ lock: { $marker: 'bpf_spin_lock', locked: false }, inners: { $marker: 'bpf_list_head', elements: [{ data: 100, node: { $marker: 'bpf_list_node' } }], addrs: [expect.any(Number)] }, node: { $marker: 'bpf_list_node' }, id: 1 }]);
    // element addresses: distinct live objects of the heap
    const outer = l!.addrs[0]!;
    const inner = (l!.elements[0]!.inners as { addrs: number[] }).addrs[0]!;
    expect(l!.addrs).toHaveLength(1);
    expect(outer).not.toBe(inner);
    expect(inst.core.u8.subarray(inner, inner + 4)).toEqual(Uint8Array.of(100, 0, 0, 0)); // data = 100 at offset 0
    expect(inst.heap().objects).toBe(2);
    // a host update of the element drains its list (§2.6), like the kernel's
    const roots = inst.map('roots');
    roots.update(0, new Uint8Array(roots.valueSize).fill(0xff));
    expect(inst.lists({ map: 'roots' })[0]!.elements).toEqual([]);
    expect(inst.heap().objects).toBe(0);
    expect(roots.keys().map((k) => [...k])).toEqual([[0, 0, 0, 0]]);
    expect(() => inst.lists({ map: 'roots', key: 7 })).toThrow(MapError);
  });

  test('plain: maps, globals, contexts of tc / xdp / socket / syscall', async () => {
    const inst = await loadInstance(obj('plain'), { engine, name: 'plain' });
    expect(inst.map('.rodata').name).toBe('plain.rodata');
    expect(inst.global('.rodata')).toEqual({ rodata_limit: 1500, rodata_msg: 'bpfkit' });
    expect(inst.variable('data_counter')).toBe(5);
    expect(inst.run('tc_count', { data: pkt(64) }).retval).toBe(0);
    expect(inst.run('tc_count', { data: pkt(64), repeat: 3 }).retval).toBe(0);
    const stats = inst.map('stats_array');
    const s = new DataView(stats.lookup(64 & 7)!.buffer);
    expect([s.getBigUint64(0, true), s.getBigUint64(8, true)]).toEqual([4n, 256n]);
    expect(inst.map('seen_hash').lookupValue(0)).toBe(4); // inserted as 1, then 3 increments
    expect(inst.variable('bss_total')).toBe(256);
    expect(inst.run('tc_count', { data: pkt(1600) }).retval).toBe(2); // len > rodata_limit: TC_ACT_SHOT
    expect(inst.run('socket_filter', { data: pkt(100) }).retval).toBe(86); // len after the Ethernet header
    expect(inst.run('xdp_pass', { data: pkt(64) }).retval).toBe(2);
    expect(inst.run('xdp_pass', { data: pkt(10) }).retval).toBe(1);
    expect(inst.variable('data_counter')).toBe(7);
    const args = new Uint8Array(8);
    args[0] = 20;
    const r = inst.run('sys_prog', { ctx: args });
    expect(r.retval).toBe(0);
    expect(new DataView(r.ctx!.buffer).getUint32(4, true)).toBe(20 * 2 + 'b'.charCodeAt(0));
    expect(inst.run('core_type_id').retval).toBeGreaterThan(0);
    expect(() => inst.run('nope')).toThrow(LoadError);
    // host map writes
    inst.map('seen_hash').update(5, new Uint8Array(8).fill(1));
    expect(inst.map('seen_hash').delete(5)).toBe(true);
    expect(inst.map('seen_hash').delete(5)).toBe(false);
    expect(() => inst.map('seen_hash').update(5, new Uint8Array(3))).toThrow(RangeError);
  });

  test('map_in_map: inner map slots from .rel.maps', async () => {
    const inst = await loadInstance(obj('map_in_map'), { engine, name: 'map_in_map' });
    expect(inst.map('outer_array').lookupValue(0)).toBe('inner');
    expect(inst.run('inner_array_cycle', { data: pkt() }).retval).toBe(3);
    expect(inst.run('inner_hash_cycle', { data: pkt() }).retval).toBe(0); // empty outer hash
  });

  test('kptr_stash: kptrs shown with their objects', async () => {
    const inst = await loadInstance(obj('kptr_stash'), { engine, name: 'kptr_stash' });
    expect(inst.run('stash_put', { data: pkt() }).retval).toBe(1);
    expect(inst.map('stash').lookupValue(0)).toEqual({ generation: 1, p: { $marker: 'kptr', addr: expect.any(Number), value: { a: 1, b: 2 } } });
    expect(inst.map('stash').lookupValue(1)).toEqual({ generation: 0, p: { $marker: 'kptr', addr: null } });
  });

  test('faults name program, instruction, source line and call; the budget ends runaway loops', async () => {
    const inst = await loadInstance(obj('subprogs'), { engine, name: 'subprogs', budget: 1000 });
    let err: unknown;
    try {
      inst.run('may_goto_loops', { data: pkt(1500) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunError);
    const re = err as RunError;
    expect(re.code).toBe(FaultCode.Budget);
    expect(re.program).toBe('may_goto_loops');
    expect(re.message).toMatch(/^prog 'may_goto_loops': instruction budget exhausted at insn \d+/);
    expect(re.line?.file).toMatch(/subprogs\.bpf\.c$/);
    // an unverified raw program reading NULL
    await expect(runRaw(Uint8Array.from([0x79, 0x10, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]), { engine })).rejects.toThrow(/bad memory access at insn 0/);
    // an unknown helper
    await expect(runRaw(Uint8Array.from([0x85, 0, 0, 0, 0xff, 0xff, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]), { engine })).rejects.toMatchObject({ code: FaultCode.BadCall, insn: 0 });
  });

  test('verify: accepted programs run unchecked; the verdict is reported', async () => {
    const inst = await loadInstance(obj('list_map'), { engine, name: 'list_map', verify: true });
    expect(inst.run('list_map_push', { data: pkt() }).retval).toBe(0);
    expect(inst.programs.find((p) => p.name === 'list_map_push')).toMatchObject({ checked: false, verified: { accepted: true } });
    expect(inst.verify('list_map_pop')).toEqual({ accepted: true });
    expect(inst.run('list_map_pop', { data: pkt() }).retval).toBe(12);
  });
});

test('rejected programs do not run', async () => {
  const inst = await loadInstance(obj('graph_list_fail'), { name: 'graph_list_fail', verify: true });
  const name = inst.programs[0]!.name;
  expect(() => inst.run(name, { data: pkt() })).toThrow(/rejected by the verifier/);
});

test('bad objects are load errors', async () => {
  await expect(loadInstance(new Uint8Array(64))).rejects.toThrow(LoadError);
});
