// @bpfkit/collections (AssemblyScript): the intrusive list and red-black tree and the
// runtime meaning of every graph kfunc. API fixed by docs/runtime-contract.md
// ("Collections API"); semantics: graph-collections.md §2.3–2.6.
//
// No allocator here: memory is returned through a FreeFn and rbtree ordering comes
// from a LessFn, both supplied by the caller (vm-wasm, or the test harness).
import { objInitImpl, objInitFields as objInitFieldsImpl, objDropImpl, objFreeFieldsImpl, refcountAcquireImpl } from './objects';
import { listPushImpl, listPopImpl, listPeekImpl } from './list';
import { rbAddImpl, rbRemoveImpl, rootLeftmost, rootNode, rbLeftImpl, rbRightImpl } from './rbtree';
export { rbAddBegin, rbAddNext, rbAddResult, rbAbortAdd, RB_CURSOR_SIZE } from './rbtree';
export { corruptAddr, clearCorrupt, RB_MAX_DEPTH } from './guard';

export type FreeFn = (obj: u32) => void;          // return the object's memory (vm-wasm allocator)
export type LessFn = (a: u32, b: u32) => bool;    // a, b = addresses of bpf_rb_node members

/** bpf_obj_init: zero `rec.size` bytes, refcount 1, nodes cleared, heads empty. rec 0: nothing. */
export function objInit(obj: u32, rec: u32): void { objInitImpl(obj, rec); }
/** Initialise only the special fields (map values: check_and_init_map_value). Not in the contract's core list; additive. */
export function objInitFields(obj: u32, rec: u32): void { objInitFieldsImpl(obj, rec); }
/** __bpf_obj_drop_impl: refcount, free fields (recursive), free. */
export function objDrop(obj: u32, rec: u32, free: FreeFn): void { objDropImpl(obj, rec, free); }
/** bpf_obj_free_fields (map update/delete drains). */
export function objFreeFields(obj: u32, rec: u32, free: FreeFn): void { objFreeFieldsImpl(obj, rec, free); }
/** bpf_refcount_acquire_impl: obj, or 0 when the count is 0 (or the record has no refcount). */
export function refcountAcquire(obj: u32, rec: u32): u32 { return refcountAcquireImpl(obj, rec); }

/** bpf_list_push_front/back: 0, or -22 (the object is dropped) when the node already has an owner. */
export function listPush(head: u32, node: u32, obj: u32, rec: u32, back: bool, free: FreeFn): i32 {
  return listPushImpl(head, node, obj, rec, back, free);
}
/** bpf_list_pop_front/back: node address or 0. */
export function listPop(head: u32, back: bool): u32 { return listPopImpl(head, back); }
/** bpf_list_front/back: node address or 0 (not unlinked). */
export function listPeek(head: u32, back: bool): u32 { return listPeekImpl(head, back); }

/**
 * bpf_rbtree_add: 0, or -22 (the object is dropped) when the node already has an owner. Also -22 (object
 * kept, node unowned, corruptAddr() set) when the descent is deeper than any valid tree (a cycle), and
 * -22 with the node left unlinked when `less` called rbAbortAdd() (its BPF callback faulted).
 * rbAddBegin/rbAddNext/rbAddResult are the same add as resumable steps (an interpreter runs `less` itself).
 */
export function rbAdd(root: u32, node: u32, obj: u32, rec: u32, less: LessFn, free: FreeFn): i32 {
  return rbAddImpl(root, node, obj, rec, less, free);
}
/** bpf_rbtree_remove: node address, or 0 when the node's owner is not `root`. */
export function rbRemove(root: u32, node: u32): u32 { return rbRemoveImpl(root, node); }
/** bpf_rbtree_first: cached leftmost or 0. */
export function rbFirst(root: u32): u32 { return rootLeftmost(root); }
/** bpf_rbtree_root: top node or 0. */
export function rbRoot(root: u32): u32 { return rootNode(root); }
/** bpf_rbtree_left: left child, or 0 when the node's owner is not `root`. */
export function rbLeft(root: u32, node: u32): u32 { return rbLeftImpl(root, node); }
/** bpf_rbtree_right: right child, or 0 when the node's owner is not `root`. */
export function rbRight(root: u32, node: u32): u32 { return rbRightImpl(root, node); }
