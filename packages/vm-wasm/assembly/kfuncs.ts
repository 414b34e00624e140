// Kfunc dispatch by runtime id (docs/runtime-contract.md "Program image"); graph semantics in @bpfkit/collections.

import {
  gChecked, gNrCpus, gFault, setFault, FAULT_BAD_CALL, FAULT_BAD_ACCESS, round8,
} from './state';
import { heapAlloc, heapFree, isLive, objectOf, objRecord, objSetRecord, objSetFlag, STATE_PERCPU, objState } from './heap';
import { checkAccess } from './regions';
import { freeObject } from './free';
import { invokeCallback } from './env';
import {
  objInitFields, objDrop, refcountAcquire, listPush, listPop, listPeek, rbAdd, rbRemove, rbFirst, rbRoot, rbLeft, rbRight,
  rbAddBegin, rbAbortAdd, corruptAddr, clearCorrupt,
} from './coll';

let gTypes: usize = 0;
let gNTypes: u32 = 0;

export function setTypeTable(addr: usize, count: u32): void { gTypes = addr; gNTypes = count; }

/** bpf_obj_new with an explicit size and record (also the `objNew` export). */
export function objNew(size: u32, rec: u32): usize {
  const p = heapAlloc(size);
  if (p == 0) return 0;
  objSetRecord(p, rec);
  if (rec != 0) objInitFields(<u32>p, rec); // heapAlloc already zeroed the object (objInit's fill would repeat it)
  return p;
}

/** bpf_obj_drop on a live object (also the `objDrop` export). */
export function objDropAny(p: usize): void {
  if (!isLive(p)) return;
  if ((objState(p) & STATE_PERCPU) != 0) { heapFree(p); return; }
  const rec = objRecord(p);
  if (rec == 0) heapFree(p);
  else objDrop(<u32>p, rec, freeObject);
}

let gLessFn: u64 = 0;
let gLessPc: u32 = 0;
function lessCb(a: u32, b: u32): bool {
  // a fault in `less` (or before it) ends the add: the node stays unlinked, no more calls (no walk on a
  // corrupt tree that never reaches a leaf because `less` no longer runs)
  if (gFault != 0) { rbAbortAdd(); return false; }
  const r = invokeCallback(gLessFn, <u64>a, <u64>b, 0, 0, 0, gLessPc) != 0;
  if (gFault != 0) rbAbortAdd();
  return r;
}

/**
 * A collections walk found a corrupt list/tree (a cycle left by a faulting or unverified program): the
 * call faults BAD_ACCESS at `pc` naming the node. True when it did.
 */
export function corruptFault(pc: u32, id: u32): bool {
  const a = corruptAddr();
  if (a == 0) return false;
  clearCorrupt();
  setFault(FAULT_BAD_ACCESS, pc, a, id);
  return true;
}

/**
 * bpf_rbtree_add for the wasm interpreter, which runs the `less` calls in its own loop (interp.ts RB_ADD):
 * checks as callKfuncImpl, then rbAddBegin on cursor `c`. Returns the first node to compare, or 0 when
 * done (result in the cursor) or faulted.
 */
export function rbAddStart(c: usize, pc: u32, r1: u64, r2: u64): u32 {
  const obj = nodeObject(r2);
  if (obj == 0 || (gChecked && (!rw(r1, 16) || !rw(r2, 32)))) { bad(pc, obj == 0 || gChecked && !rw(r2, 32) ? r2 : r1, 12); return 0; }
  return rbAddBegin(c, <u32>r1, <u32>r2, <u32>obj, objRecord(obj), freeObject);
}

function rw(a: u64, n: u32): bool { return (a >>> 32) == 0 && checkAccess(<u32>a, n, true); }
function bad(pc: u32, a: u64, kid: u32): u64 { setFault(FAULT_BAD_ACCESS, pc, <u32>a, kid); return 0; }

/** Object and record behind a node pointer (0 when it is not inside a live heap object). */
function nodeObject(node: u64): usize { return (node >>> 32) != 0 ? 0 : objectOf(<usize>node); }

export function callKfuncImpl(kid: u32, pc: u32, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64): u64 {
  const r = kfunc(kid, pc, r1, r2, r3, r4, r5);
  if (corruptFault(pc, kid)) return 0;
  return r;
}

function kfunc(kid: u32, pc: u32, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64): u64 {
  switch (kid) {
    case 1: { // bpf_obj_new_impl(local_type_id, meta)
      if (r1 >= <u64>gNTypes) { setFault(FAULT_BAD_CALL, pc, <u32>r1, kid); return 0; }
      const t = gTypes + (<usize>r1 << 3);
      return <u64>objNew(load<u32>(t), load<u32>(t, 4));
    }
    case 2: { // bpf_percpu_obj_new_impl(local_type_id, meta)
      if (r1 >= <u64>gNTypes) { setFault(FAULT_BAD_CALL, pc, <u32>r1, kid); return 0; }
      const size = load<u32>(gTypes + (<usize>r1 << 3));
      const stride = round8(size == 0 ? 1 : size);
      const total = <u64>stride * <u64>gNrCpus;
      if (total > 4000) return 0;
      const p = heapAlloc(<u32>total);
      if (p == 0) return 0;
      objSetRecord(p, stride);
      objSetFlag(p, STATE_PERCPU);
      return <u64>p;
    }
    case 3: case 4: { // bpf_obj_drop_impl / bpf_percpu_obj_drop_impl(p, meta)
      if (r1 == 0) return 0;
      if ((r1 >>> 32) != 0 || !isLive(<usize>r1)) {
        if (gChecked) return bad(pc, r1, kid);
        return 0;
      }
      objDropAny(<usize>r1);
      return 0;
    }
    case 5: { // bpf_refcount_acquire_impl(p, meta)
      const obj = nodeObject(r1);
      if (obj == 0 || <u64>obj != r1) return gChecked ? bad(pc, r1, kid) : 0;
      return <u64>refcountAcquire(<u32>obj, objRecord(obj));
    }
    case 6: case 7: { // bpf_list_push_{front,back}_impl(head, node, meta, off)
      const obj = nodeObject(r2);
      if (obj == 0 || (gChecked && (!rw(r1, 16) || !rw(r2, 24)))) return bad(pc, obj == 0 || gChecked && !rw(r2, 24) ? r2 : r1, kid);
      return <u64><i64>listPush(<u32>r1, <u32>r2, <u32>obj, objRecord(obj), kid == 7, freeObject);
    }
    case 8: case 9: // bpf_list_pop_{front,back}(head)
      if (gChecked && !rw(r1, 16)) return bad(pc, r1, kid);
      return <u64>listPop(<u32>r1, kid == 9);
    case 10: case 11: // bpf_list_{front,back}(head)
      if (gChecked && !rw(r1, 16)) return bad(pc, r1, kid);
      return <u64>listPeek(<u32>r1, kid == 11);
    case 12: { // bpf_rbtree_add_impl(root, node, less, meta, off)
      const obj = nodeObject(r2);
      if (obj == 0 || (gChecked && (!rw(r1, 16) || !rw(r2, 32)))) return bad(pc, obj == 0 || gChecked && !rw(r2, 32) ? r2 : r1, kid);
      const savedFn = gLessFn, savedPc = gLessPc;
      gLessFn = r3; gLessPc = pc;
      const r = rbAdd(<u32>r1, <u32>r2, <u32>obj, objRecord(obj), lessCb, freeObject);
      gLessFn = savedFn; gLessPc = savedPc;
      return <u64><i64>r;
    }
    case 13: // bpf_rbtree_remove(root, node)
      if (gChecked && (!rw(r1, 16) || !rw(r2, 32))) return bad(pc, r1, kid);
      return <u64>rbRemove(<u32>r1, <u32>r2);
    case 14: // bpf_rbtree_first(root)
      if (gChecked && !rw(r1, 16)) return bad(pc, r1, kid);
      return <u64>rbFirst(<u32>r1);
    case 15: // bpf_rbtree_root(root)
      if (gChecked && !rw(r1, 16)) return bad(pc, r1, kid);
      return <u64>rbRoot(<u32>r1);
    case 16: case 17: // bpf_rbtree_{left,right}(root, node)
      if (gChecked && (!rw(r1, 16) || !rw(r2, 32))) return bad(pc, r1, kid);
      return kid == 16 ? <u64>rbLeft(<u32>r1, <u32>r2) : <u64>rbRight(<u32>r1, <u32>r2);
    case 18: case 19: // bpf_rcu_read_lock / unlock
      return 0;
    case 20: { // bpf_iter_num_new(it, start, end)
      if (gChecked && !rw(r1, 8)) return bad(pc, r1, kid);
      const it = <usize>r1;
      const start = <i32>r2, end = <i32>r3;
      if (start > end) { store<u64>(it, 0); return <u64>(-22); }
      if (<i64>end - <i64>start > 8 * 1024 * 1024) { store<u64>(it, 0); return <u64>(-7); }
      store<i32>(it, start - 1); store<i32>(it, end, 4);
      return 0;
    }
    case 21: { // bpf_iter_num_next(it) → int * or NULL
      if (gChecked && !rw(r1, 8)) return bad(pc, r1, kid);
      const it = <usize>r1;
      const cur = load<i32>(it), end = load<i32>(it, 4);
      if (<i64>cur + 1 >= <i64>end) { store<u64>(it, 0); return 0; }
      store<i32>(it, cur + 1);
      return r1;
    }
    case 22: // bpf_iter_num_destroy(it)
      if (gChecked && !rw(r1, 8)) return bad(pc, r1, kid);
      store<u64>(<usize>r1, 0);
      return 0;
    case 23: case 24: // bpf_cast_to_kern_ctx / bpf_rdonly_cast
      return r1;
    default:
      setFault(FAULT_BAD_CALL, pc, 0, kid);
      return 0;
  }
}
