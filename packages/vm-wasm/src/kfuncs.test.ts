import { describe, expect, it } from 'vitest';
import { FaultCode, FUNC_BASE, KFUNC_IDS, type Core } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load, writeRecord } from './test-util.js';

const K = KFUNC_IDS;
/** Type table: id 1 = struct node { u64 key; struct bpf_rb_node rb; } (40 bytes), id 2 = refcounted list element. */
function setup(core: Core) {
  const nodeRec = writeRecord(core, 40, [[5, 8]]);
  const refRec = writeRecord(core, 40, [[3, 8], [6, 32]]); // u64 key, bpf_list_node @8, bpf_refcount @32
  const types = core.staticAlloc(24, 8);
  core.view.setUint32(types + 8, 40, true); core.view.setUint32(types + 12, nodeRec, true);
  core.view.setUint32(types + 16, 40, true); core.view.setUint32(types + 20, refRec, true);
  core.setTypeTable(types, 3);
  const root = core.staticAlloc(24, 8); // struct { bpf_spin_lock lock; bpf_rb_root root @8; }
  core.regionAdd(root, 24, 3);
  return { nodeRec, refRec, root };
}

const RBTREE_PROG = (root: number, keys: number) => `
    r6 = 0
  add_loop:
    r1 = 1
    r2 = 0
    call kfunc#${K.bpf_obj_new_impl}
    if r0 == 0 goto fail
    r7 = r0
    r1 = ${keys} ll
    r2 = r6
    r2 <<= 3
    r1 += r2
    r1 = *(u64 *)(r1 +0)
    *(u64 *)(r7 +0) = r1
    r1 = ${root} ll
    call bpf_spin_lock
    r1 = ${root + 8} ll
    r2 = r7
    r2 += 8
    r3 = subprog[less]
    r4 = 0
    r5 = 0
    call kfunc#${K.bpf_rbtree_add_impl}
    r1 = ${root} ll
    call bpf_spin_unlock
    r6 += 1
    if r6 < 6 goto add_loop
    r8 = 0
  pop_loop:
    r1 = ${root} ll
    call bpf_spin_lock
    r1 = ${root + 8} ll
    call kfunc#${K.bpf_rbtree_first}
    if r0 == 0 goto unlock_done
    r1 = ${root + 8} ll
    r2 = r0
    call kfunc#${K.bpf_rbtree_remove}
    r9 = r0
    r1 = ${root} ll
    call bpf_spin_unlock
    if r9 == 0 goto fail
    r1 = r9
    r1 += -8
    r2 = *(u64 *)(r1 +0)
    r8 *= 10
    r8 += r2
    r2 = 0
    call kfunc#${K.bpf_obj_drop_impl}
    goto pop_loop
  unlock_done:
    r1 = ${root} ll
    call bpf_spin_unlock
    r0 = r8
    exit
  fail:
    r0 = -1
    exit
  less:
    r1 = *(u64 *)(r1 -8)
    r2 = *(u64 *)(r2 -8)
    r0 = 1
    if r1 < r2 goto less_out
    r0 = 0
  less_out:
    exit`;

describe('kfuncs end to end', () => {
  for (const checked of [true, false]) {
    it(`rbtree add (less re-enters the interpreter), first, remove, drop — ${checked ? 'checked' : 'verified'}`, () => {
      const core = instantiateCoreSync();
      const { root } = setup(core);
      const keys = core.staticAlloc(48, 8);
      [5, 1, 4, 2, 6, 3].forEach((k, i) => core.view.setBigUint64(keys + 8 * i, BigInt(k), true));
      core.regionAdd(keys, 48, 1);
      const p = load(core, RBTREE_PROG(root, keys));
      expect(core.run(p.text, p.slots, 0, 0n, checked, 1_000_000n)).toBe(FaultCode.None);
      expect(core.r0()).toBe(123456n);
      expect(core.liveObjects()).toBe(0);
      core.endRun();
      expect(core.view.getBigUint64(root + 8, true)).toBe(0n);
    });
  }

  it('rbtree_add from a host engine calls the less callback through the handler', () => {
    const core = instantiateCoreSync();
    const { nodeRec, root } = setup(core);
    const calls: [number, number][] = [];
    core.setCallbackHandler((pc, a, b) => {
      expect(pc).toBe(40);
      calls.push([Number(a), Number(b)]);
      return core.view.getBigUint64(Number(a) - 8, true) < core.view.getBigUint64(Number(b) - 8, true) ? 1n : 0n;
    });
    const objs = [3n, 1n, 2n].map((k) => { const o = core.objNew(40, nodeRec); core.view.setBigUint64(o, k, true); return o; });
    for (const o of objs) expect(core.callKfunc(K.bpf_rbtree_add_impl, 7, BigInt(root + 8), BigInt(o + 8), FUNC_BASE + 40n, 0n, 8n)).toBe(0n);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]).toEqual([objs[1] + 8, objs[0] + 8]);
    expect(core.callKfunc(K.bpf_rbtree_first, 9, BigInt(root + 8), 0n, 0n, 0n, 0n)).toBe(BigInt(objs[1] + 8));
    // adding a node that already has an owner: -EINVAL (non-refcounted node: dropped)
    expect(core.callKfunc(K.bpf_rbtree_remove, 9, BigInt(root + 8), BigInt(objs[0] + 8), 0n, 0n, 0n)).toBe(BigInt(objs[0] + 8));
    expect(core.callKfunc(K.bpf_rbtree_remove, 9, BigInt(root + 8), BigInt(objs[0] + 8), 0n, 0n, 0n)).toBe(0n);
  });

  it('list push/pop/front/back and refcount_acquire', () => {
    const core = instantiateCoreSync();
    const { refRec } = setup(core);
    const head = core.staticAlloc(16, 8);
    const objs = [1n, 2n, 3n].map((k) => { const o = Number(core.callKfunc(K.bpf_obj_new_impl, 0, 2n, 0n, 0n, 0n, 0n)); core.view.setBigUint64(o, k, true); return o; });
    for (const o of objs) expect(core.callKfunc(K.bpf_list_push_back_impl, 0, BigInt(head), BigInt(o + 8), 0n, 8n, 0n)).toBe(0n);
    expect(core.callKfunc(K.bpf_list_front, 0, BigInt(head), 0n, 0n, 0n, 0n)).toBe(BigInt(objs[0] + 8));
    expect(core.callKfunc(K.bpf_list_back, 0, BigInt(head), 0n, 0n, 0n, 0n)).toBe(BigInt(objs[2] + 8));
    // a second reference, then pushing the same node again fails: it already has an owner
    expect(core.callKfunc(K.bpf_refcount_acquire_impl, 0, BigInt(objs[1]), 0n, 0n, 0n, 0n)).toBe(BigInt(objs[1]));
    expect(core.view.getUint32(objs[1] + 32, true)).toBe(2);
    expect(core.callKfunc(K.bpf_list_push_front_impl, 0, BigInt(head), BigInt(objs[1] + 8), 0n, 8n, 0n)).toBe(BigInt.asUintN(64, -22n));
    expect(core.view.getUint32(objs[1] + 32, true)).toBe(1); // the failed push dropped the extra reference
    expect(core.callKfunc(K.bpf_list_pop_front, 0, BigInt(head), 0n, 0n, 0n, 0n)).toBe(BigInt(objs[0] + 8));
    expect(core.callKfunc(K.bpf_list_pop_back, 0, BigInt(head), 0n, 0n, 0n, 0n)).toBe(BigInt(objs[2] + 8));
    expect(core.liveObjects()).toBe(3);
    for (const o of [objs[0], objs[2]]) core.callKfunc(K.bpf_obj_drop_impl, 0, BigInt(o), 0n, 0n, 0n, 0n);
    expect(core.liveObjects()).toBe(1);
  });

  it('bpf_iter_num: Linux semantics in the 8-byte stack slot', () => {
    const core = instantiateCoreSync();
    const p = load(core, `
      r1 = r10
      r1 += -8
      r2 = 0
      r3 = 10
      call kfunc#${K.bpf_iter_num_new}
      r6 = 0
    loop:
      r1 = r10
      r1 += -8
      call kfunc#${K.bpf_iter_num_next}
      if r0 == 0 goto done
      r1 = *(u32 *)(r0 +0)
      r6 += r1
      goto loop
    done:
      r1 = r10
      r1 += -8
      call kfunc#${K.bpf_iter_num_destroy}
      r0 = r6
      exit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 10_000n)).toBe(FaultCode.None);
    expect(core.r0()).toBe(45n);
    const it8 = core.staticAlloc(8, 8);
    expect(core.callKfunc(K.bpf_iter_num_new, 0, BigInt(it8), 5n, 3n, 0n, 0n)).toBe(BigInt.asUintN(64, -22n));
    expect(core.callKfunc(K.bpf_iter_num_next, 0, BigInt(it8), 0n, 0n, 0n, 0n)).toBe(0n);
    expect(core.callKfunc(K.bpf_iter_num_new, 0, BigInt(it8), BigInt.asUintN(64, -2147483648n), 2147483647n, 0n, 0n)).toBe(BigInt.asUintN(64, -7n));
    expect(core.callKfunc(K.bpf_iter_num_new, 0, BigInt(it8), 3n, 4n, 0n, 0n)).toBe(0n);
    expect(core.callKfunc(K.bpf_iter_num_next, 0, BigInt(it8), 0n, 0n, 0n, 0n)).toBe(BigInt(it8));
    expect(core.view.getInt32(it8, true)).toBe(3);
    expect(core.callKfunc(K.bpf_iter_num_next, 0, BigInt(it8), 0n, 0n, 0n, 0n)).toBe(0n);
  });

  it('obj_new past the heap cap returns NULL; percpu objects; casts; rcu', () => {
    const core = instantiateCoreSync({ heapCap: 64, nrCpus: 2 });
    setup(core);
    expect(core.callKfunc(K.bpf_obj_new_impl, 0, 1n, 0n, 0n, 0n, 0n)).not.toBe(0n); // 48 → class 64
    expect(core.callKfunc(K.bpf_obj_new_impl, 0, 1n, 0n, 0n, 0n, 0n)).toBe(0n);
    const c2 = instantiateCoreSync({ nrCpus: 2 });
    setup(c2);
    const pc = c2.callKfunc(K.bpf_percpu_obj_new_impl, 0, 1n, 0n, 0n, 0n, 0n);
    expect(pc).not.toBe(0n);
    const cpu1 = c2.callHelper(153, 0, pc, 1n, 0n, 0n, 0n);
    expect(cpu1).toBe(pc + 40n);
    expect(c2.callHelper(153, 0, pc, 2n, 0n, 0n, 0n)).toBe(0n);
    c2.setCpu(1);
    expect(c2.callHelper(154, 0, pc, 0n, 0n, 0n, 0n)).toBe(pc + 40n);
    c2.callKfunc(K.bpf_percpu_obj_drop_impl, 0, pc, 0n, 0n, 0n, 0n);
    expect(c2.liveObjects()).toBe(0);
    expect(c2.callKfunc(K.bpf_cast_to_kern_ctx, 0, 1234n, 0n, 0n, 0n, 0n)).toBe(1234n);
    expect(c2.callKfunc(K.bpf_rdonly_cast, 0, 99n, 5n, 0n, 0n, 0n)).toBe(99n);
    expect(c2.callKfunc(K.bpf_rcu_read_lock, 0, 0n, 0n, 0n, 0n, 0n)).toBe(0n);
    expect(c2.callKfunc(K.bpf_obj_new_impl, 3, 7n, 0n, 0n, 0n, 0n)).toBe(0n); // unknown local type id
    expect(c2.fault()).toMatchObject({ code: FaultCode.BadCall, pc: 3 });
  });

  it('checked mode: dropping something that is not a live object is a BadAccess', () => {
    const core = instantiateCoreSync();
    setup(core);
    const p = load(core, `r1 = 1\nr2 = 0\ncall kfunc#${K.bpf_obj_new_impl}\nr6 = r0\nr1 = r0\nr2 = 0\ncall kfunc#${K.bpf_obj_drop_impl}\nr1 = r6\nr2 = 0\ncall kfunc#${K.bpf_obj_drop_impl}\nexit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadAccess);
    expect(core.fault().pc).toBe(9);
  });
});
