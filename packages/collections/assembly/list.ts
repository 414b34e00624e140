// Intrusive doubly linked list with Linux semantics (include/linux/list.h +
// kernel/bpf/helpers.c __bpf_list_add / __bpf_list_del / bpf_list_front/back).
//
// bpf_list_head (16 bytes): next, prev   — u64 words holding u32 addresses of list_head
//                                          members (self-linked = empty, all-zero = never
//                                          initialised = empty)
// bpf_list_node (24 bytes): next, prev, owner (address of the head it is in, 0 = none)
import { objDropImpl as objDrop } from './objects';
import { FreeFn } from './index';
import { MAX_WALK, setCorrupt } from './guard';

export const EINVAL: i32 = -22;
/** Stand-in for BPF_PTR_POISON (owner while a node is being linked). */
export const OWNER_POISON: u32 = 0xeb9f_0001;

// @ts-ignore: decorator
@inline export function lNext(p: u32): u32 { return <u32>load<u64>(p, 0); }
// @ts-ignore: decorator
@inline export function lPrev(p: u32): u32 { return <u32>load<u64>(p, 8); }
// @ts-ignore: decorator
@inline function setNext(p: u32, v: u32): void { store<u64>(p, <u64>v, 0); }
// @ts-ignore: decorator
@inline function setPrev(p: u32, v: u32): void { store<u64>(p, <u64>v, 8); }
// @ts-ignore: decorator
@inline export function lOwner(n: u32): u32 { return <u32>load<u64>(n, 16); }
// @ts-ignore: decorator
@inline function setOwner(n: u32, v: u32): void { store<u64>(n, <u64>v, 16); }

/** INIT_LIST_HEAD. */
// @ts-ignore: decorator
@inline export function initListHead(h: u32): void { setNext(h, h); setPrev(h, h); }

/** __list_add(new, prev, next). */
// @ts-ignore: decorator
@inline function listAddBetween(n: u32, prev: u32, next: u32): void {
  setPrev(next, n);
  setNext(n, next);
  setPrev(n, prev);
  setNext(prev, n);
}

/** list_del_init. */
// @ts-ignore: decorator
@inline function listDelInit(n: u32): void {
  const prev = lPrev(n);
  const next = lNext(n);
  setPrev(next, prev);
  setNext(prev, next);
  initListHead(n);
}

/** __bpf_list_add: 0, or -EINVAL after dropping `obj` when the node already has an owner. */
export function listPushImpl(head: u32, node: u32, obj: u32, rec: u32, back: bool, free: FreeFn): i32 {
  if (lNext(head) == 0) initListHead(head);
  if (lOwner(node) != 0) {
    objDrop(obj, rec, free);
    return EINVAL;
  }
  setOwner(node, OWNER_POISON);
  if (back) listAddBetween(node, lPrev(head), head);
  else listAddBetween(node, head, lNext(head));
  setOwner(node, head);
  return 0;
}

/** __bpf_list_del: node address or 0. */
export function listPopImpl(head: u32, back: bool): u32 {
  if (lNext(head) == 0) initListHead(head);
  if (lNext(head) == head) return 0;
  const n = back ? lPrev(head) : lNext(head);
  if (lOwner(n) != head) return 0;
  listDelInit(n);
  setOwner(n, 0);
  return n;
}

/** bpf_list_front / bpf_list_back. */
export function listPeekImpl(head: u32, back: bool): u32 {
  const next = lNext(head);
  if (next == head || next == 0) return 0;
  return back ? lPrev(head) : next;
}

/**
 * bpf_list_head_free: detach the chain, leave the head empty, then drop every element
 * in forward order (owner fields of the dropped nodes are not reset, as in Linux).
 */
export function listHeadFree(head: u32, elemRec: u32, nodeOff: u32, free: FreeFn): void {
  const orig = head;
  let cur = head;
  const first = lNext(head);
  if (first != 0 && first != head) cur = first;
  initListHead(orig);
  let steps: u32 = 0;
  while (cur != orig) {
    if (cur == 0 || ++steps > MAX_WALK) { setCorrupt(cur); return; } // a chain that never comes back
    const obj = cur - nodeOff;
    cur = lNext(cur);
    objDrop(obj, elemRec, free);
  }
}
