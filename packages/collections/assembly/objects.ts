// Object-level semantics of local kptrs (kernel/bpf/helpers.c, syscall.c):
// bpf_obj_init, __bpf_obj_drop_impl, bpf_obj_free_fields, bpf_refcount_acquire_impl.
import {
  NONE, KIND_LIST_HEAD, KIND_LIST_NODE, KIND_RB_ROOT, KIND_RB_NODE, KIND_REFCOUNT,
  KIND_KPTR_UNREF, KIND_KPTR_REF, KIND_KPTR_PERCPU,
  recSize, recSpinLockOff, recRefcountOff, recNFields, recField, fieldKind, fieldOff, fieldAux, fieldAux2,
} from './record';
import { initListHead, listHeadFree } from './list';
import { rbClearNodeAt, rbRootFree } from './rbtree';
import { FreeFn } from './index';

/** Field sizes by kind (contract "Layouts"). */
function fieldSize(kind: u32): u32 {
  switch (kind) {
    case KIND_LIST_HEAD: return 16;
    case KIND_LIST_NODE: return 24;
    case KIND_RB_ROOT: return 16;
    case KIND_RB_NODE: return 32;
    case KIND_KPTR_UNREF:
    case KIND_KPTR_REF:
    case KIND_KPTR_PERCPU: return 8;
    default: return 4; // spin lock, refcount
  }
}

/** Zero a special field (4…32 bytes): plain stores, cheaper than memory.fill's runtime call at these sizes. */
// @ts-ignore: decorator
@inline function zero(p: u32, size: u32): void {
  if (size == 4) { store<u32>(p, 0); return; }
  for (let i: u32 = 0; i < size; i += 4) store<u32>(p + i, 0);
}

/**
 * bpf_obj_init applied to the special fields only (check_and_init_map_value):
 * each field zeroed, then refcount 1, list heads/nodes self-linked, rb nodes cleared.
 */
export function objInitFields(obj: u32, rec: u32): void {
  if (rec == 0) return;
  const n = recNFields(rec);
  for (let i: u32 = 0; i < n; i++) {
    const f = recField(rec, i);
    const kind = fieldKind(f);
    const p = obj + fieldOff(f);
    zero(p, fieldSize(kind));
    switch (kind) {
      case KIND_REFCOUNT: store<u32>(p, 1); break;
      case KIND_RB_NODE: rbClearNodeAt(p); break;
      case KIND_LIST_HEAD:
      case KIND_LIST_NODE: initListHead(p); break;
      default: break; // rb root: zero = empty; locks, kptrs: zero
    }
  }
}

/** bpf_obj_new's initialisation: the whole object zeroed, then the fields initialised. rec 0: nothing. */
export function objInitImpl(obj: u32, rec: u32): void {
  if (rec == 0) return;
  memory.fill(obj, 0, recSize(rec));
  objInitFields(obj, rec);
}

/** __bpf_obj_drop_impl: one reference less; at zero free the fields (recursively) and the memory. */
export function objDropImpl(obj: u32, rec: u32, free: FreeFn): void {
  if (rec != 0) {
    const rc = recRefcountOff(rec);
    if (rc != NONE) {
      const p = obj + rc;
      const c = load<u32>(p);
      // refcount_dec_and_test: only the 1 -> 0 transition frees; 0 stays 0 (use after free, kernel warns).
      if (c != 1) {
        if (c != 0) store<u32>(p, c - 1);
        return;
      }
      store<u32>(p, 0);
    }
    objFreeFieldsImpl(obj, rec, free);
  }
  free(obj);
}

/** bpf_obj_free_fields: kptrs dropped, lists and trees drained (recursively), others left. */
export function objFreeFieldsImpl(obj: u32, rec: u32, free: FreeFn): void {
  if (rec == 0) return;
  const n = recNFields(rec);
  for (let i: u32 = 0; i < n; i++) {
    const f = recField(rec, i);
    const p = obj + fieldOff(f);
    switch (fieldKind(f)) {
      case KIND_KPTR_UNREF:
        store<u64>(p, 0);
        break;
      case KIND_KPTR_REF:
      case KIND_KPTR_PERCPU: {
        const v = <u32>load<u64>(p);
        store<u64>(p, 0);
        // local pointee: drop with its record; kernel type (aux 0): the slot is just zeroed
        if (v != 0 && fieldAux(f) != 0) objDropImpl(v, fieldAux(f), free);
        break;
      }
      case KIND_LIST_HEAD:
        if (recSpinLockOff(rec) == NONE) break; // kernel: WARN_ON_ONCE and skip
        listHeadFree(p, fieldAux(f), fieldAux2(f), free);
        break;
      case KIND_RB_ROOT:
        if (recSpinLockOff(rec) == NONE) break;
        rbRootFree(p, fieldAux(f), fieldAux2(f), free);
        break;
      default:
        break; // spin lock, refcount, list/rb nodes
    }
  }
}

/** bpf_refcount_acquire_impl: obj with one more reference, or 0 when the count is 0 (or no refcount). */
export function refcountAcquireImpl(obj: u32, rec: u32): u32 {
  if (rec == 0) return 0;
  const rc = recRefcountOff(rec);
  if (rc == NONE) return 0;
  const p = obj + rc;
  const c = load<u32>(p);
  if (c == 0) return 0;
  store<u32>(p, c + 1);
  return obj;
}

