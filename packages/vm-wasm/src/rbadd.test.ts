/**
 * bpf_rbtree_add on the wasm engine runs its `less` calls as frames of the interpreter's own loop (RB_ADD):
 * same call order as the service path host engines use, the run budget holds inside callbacks, and a cyclic
 * tree (what a faulting unverified program can leave) ends the run with a fault instead of a hang.
 */
import { describe, expect, it } from 'vitest';
import { FaultCode, FUNC_BASE, KFUNC_IDS, type Core } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load, writeRecord } from './test-util.js';

const K = KFUNC_IDS;
function setup(core: Core) {
  const nodeRec = writeRecord(core, 40, [[5, 8]]); // struct { u64 key; struct bpf_rb_node rb @8; }
  const types = core.staticAlloc(16, 8);
  core.view.setUint32(types + 8, 40, true); core.view.setUint32(types + 12, nodeRec, true);
  core.setTypeTable(types, 2);
  const root = core.staticAlloc(24, 8); // lock @0, bpf_rb_root @8
  core.regionAdd(root, 24, 3);
  const log = core.staticAlloc(16 * 4096 + 8, 8); // [u64 count][(a, b) pairs]
  core.regionAdd(log, 16 * 4096 + 8, 3);
  return { nodeRec, root, log };
}

/** Adds `n` nodes with keys from an LCG; `less` logs (a, b) then compares the keys. */
const ADD_PROG = (root: number, log: number, n: number) => `
    r6 = 0
    r7 = 12345
  loop:
    r7 *= 1103515245
    r7 += 12345
    r7 &= 0xffff
    r1 = 1
    r2 = 0
    call kfunc#${K.bpf_obj_new_impl}
    if r0 == 0 goto fail
    *(u64 *)(r0 +0) = r7
    r2 = r0
    r2 += 8
    r1 = ${root + 8} ll
    r3 = subprog[less]
    r4 = 0
    r5 = 0
    call kfunc#${K.bpf_rbtree_add_impl}
    if r0 != 0 goto fail
    r6 += 1
    if r6 < ${n} goto loop
    r0 = r6
    exit
  fail:
    r0 = -1
    exit
  less:
    r3 = ${log} ll
    r4 = *(u64 *)(r3 +0)
    r4 += 1
    *(u64 *)(r3 +0) = r4
    r4 <<= 4
    r3 += r4
    *(u64 *)(r3 -8) = r1
    *(u64 *)(r3 +0) = r2
    r1 = *(u64 *)(r1 -8)
    r2 = *(u64 *)(r2 -8)
    r0 = 1
    if r1 < r2 goto out
    r0 = 0
  out:
    exit`;

function pairs(core: Core, log: number): [number, number][] {
  const n = Number(core.view.getBigUint64(log, true));
  return Array.from({ length: n }, (_, i) => [
    Number(core.view.getBigUint64(log + 8 + 16 * i, true)), Number(core.view.getBigUint64(log + 16 + 16 * i, true)),
  ]);
}

describe('bpf_rbtree_add in the wasm interpreter', () => {
  for (const checked of [false, true]) {
    it(`calls less in the same order as the service path (${checked ? 'checked' : 'verified'})`, () => {
      const a = instantiateCoreSync();
      const sa = setup(a);
      const prog = load(a, ADD_PROG(sa.root, sa.log, 300));
      expect(a.run(prog.text, prog.slots, 0, 0n, checked, 10_000_000n)).toBe(FaultCode.None);
      expect(a.r0()).toBe(300n);
      const viaInterp = pairs(a, sa.log);
      expect(viaInterp.length).toBeGreaterThan(300 * 5);

      // the same adds through callKfunc (a host engine's path): the handler records the calls
      const b = instantiateCoreSync();
      const sb = setup(b);
      expect(sb.root).toBe(sa.root);
      const got: [number, number][] = [];
      b.setCallbackHandler((_pc, x, y) => {
        got.push([Number(x), Number(y)]);
        return b.view.getBigUint64(Number(x) - 8, true) < b.view.getBigUint64(Number(y) - 8, true) ? 1n : 0n;
      });
      let k = 12345n;
      for (let i = 0; i < 300; i++) {
        k = (k * 1103515245n + 12345n) & 0xffffn;
        const o = b.objNew(40, sb.nodeRec);
        b.view.setBigUint64(o, k, true);
        expect(b.callKfunc(K.bpf_rbtree_add_impl, 17, BigInt(sb.root + 8), BigInt(o + 8), FUNC_BASE + 30n, 0n, 0n)).toBe(0n);
      }
      expect(got).toEqual(viaInterp);
      expect(a.insns()).toBeGreaterThan(viaInterp.length * 14); // less's instructions are counted
    });
  }

  it('the budget holds inside less: a tree walk that runs out of it is a Budget fault at the call', () => {
    const core = instantiateCoreSync();
    const { root, log } = setup(core);
    const prog = load(core, ADD_PROG(root, log, 300));
    expect(core.run(prog.text, prog.slots, 0, 0n, true, 20_000n)).toBe(FaultCode.Budget);
    expect(core.fault().pc).toBeGreaterThan(0);
  });

  it('a straight-line bpf_loop callback nested in another one cannot outrun the budget', () => {
    const core = instantiateCoreSync();
    const p = load(core, `
      r1 = 8388608
      r2 = subprog[outer]
      r3 = 0
      r4 = 0
      call bpf_loop
      exit
    outer:
      r1 = 8388608
      r2 = subprog[inner]
      r3 = 0
      r4 = 0
      call bpf_loop
      r0 = 0
      exit
    inner:
      r0 = 0
      exit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1_000_000n)).toBe(FaultCode.Budget);
    expect(core.insns()).toBeLessThan(1_100_000n);
  });

  for (const checked of [false, true]) {
    it(`a cyclic tree (a node that is its own right child) is a BadAccess fault, not a hang (${checked ? 'checked' : 'verified'})`, () => {
      const core = instantiateCoreSync();
      const { nodeRec, root } = setup(core);
      const top = core.objNew(40, nodeRec) + 8;
      const v = core.view;
      v.setBigUint64(root + 8, BigInt(top), true); // root.node
      v.setBigUint64(root + 16, BigInt(top), true); // leftmost
      v.setBigUint64(top, BigInt(top | 1), true); // parent = itself, black
      v.setBigUint64(top + 8, BigInt(top), true); // right = itself
      v.setBigUint64(top + 24, BigInt(root + 8), true); // owner
      const p = load(core, `
        r1 = 1
        r2 = 0
        call kfunc#${K.bpf_obj_new_impl}
        r2 = r0
        r2 += 8
        r1 = ${root + 8} ll
        r3 = subprog[less]
        call kfunc#${K.bpf_rbtree_add_impl}
        exit
      less:
        r0 = 0
        exit`);
      expect(core.run(p.text, p.slots, 0, 0n, checked, 100_000_000n)).toBe(FaultCode.BadAccess);
      expect(core.fault()).toMatchObject({ pc: 9, addr: top, arg: K.bpf_rbtree_add_impl });
      // the host path stops the same way
      core.endRun();
      const o = core.objNew(40, nodeRec);
      core.setCallbackHandler(() => 0n);
      core.setChecked(checked);
      core.callKfunc(K.bpf_rbtree_add_impl, 21, BigInt(root + 8), BigInt(o + 8), FUNC_BASE + 11n, 0n, 0n);
      expect(core.fault()).toMatchObject({ code: FaultCode.BadAccess, pc: 21, addr: top });
    });
  }
});
