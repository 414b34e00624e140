// Test harness entry (compiled to build/harness.wasm): the collections API with the
// harness's own FreeFn and LessFn, plus a small accounting allocator so TS tests can
// drive random sequences and check that nothing leaks or is freed twice.
import * as C from './index';
import { recSize } from './record';

// ---------------- allocator ----------------
// Objects: [u32 size][u32 state] header, then `size` bytes (size rounded up to 8).
// Freed objects are poisoned (0xA5) and kept on a pending list until `flush()`, like
// the core's deferred (RCU-like) reuse, so a read of freed memory shows as garbage.
const LIVE: u32 = 0x4556494c;    // 'LIVE'
const PENDING: u32 = 0x444e4550; // 'PEND'
const FREED: u32 = 0x45455246;   // 'FREE'
const MAX_SIZE: u32 = 4096;
const POISON: u8 = 0xa5;

const freeHeads = memory.data(((MAX_SIZE >> 3) + 1) * 4, 8); // free list per size/8
let base: u32 = 0;
let top: u32 = 0;
let limit: u32 = 0;
let pending: u32 = 0; // first pending object (link in its first body word)
let live: u32 = 0;
let liveBytes: u32 = 0;
let badFrees: u32 = 0;
let allocs: u32 = 0;
let frees: u32 = 0;
const FREE_LOG_CAP: u32 = 1 << 16;
const freeLog = memory.data(FREE_LOG_CAP * 4, 8); // addresses freed, in order (for drain-order tests)
let freeLogN: u32 = 0;

/** Reset the allocator (all memory above the static data becomes the heap). */
export function reset(): void {
  if (base == 0) {
    base = ((<u32>memory.size()) << 16);
    top = base;
    limit = base;
  }
  top = base;
  pending = 0;
  live = 0;
  liveBytes = 0;
  badFrees = 0;
  allocs = 0;
  frees = 0;
  freeLogN = 0;
  memory.fill(freeHeads, 0, ((MAX_SIZE >> 3) + 1) * 4);
  lessCalls = 0;
}

function grow(to: u32): void {
  while (limit < to) {
    if (memory.grow(16) < 0) unreachable();
    limit += 16 << 16;
  }
}

/** Never-freed, not-accounted memory (records, roots, test scratch). */
export function staticAlloc(size: u32): u32 {
  if (base == 0) reset();
  const p = (top + 7) & ~7;
  top = p + ((size + 7) & ~7);
  grow(top);
  memory.fill(p, 0, top - p);
  return p;
}

/** Allocate `size` bytes (zeroed); counted as live until freed. 0 for size 0 or > 4096. */
export function alloc(size: u32): u32 {
  if (base == 0) reset();
  if (size == 0 || size > MAX_SIZE) return 0;
  const sz = (size + 7) & ~7;
  const slot = freeHeads + ((sz >> 3) << 2);
  let p = load<u32>(slot);
  if (p != 0) {
    store<u32>(slot, load<u32>(p)); // pop
  } else {
    p = top + 8;
    top = p + sz;
    grow(top);
  }
  store<u32>(p - 8, sz);
  store<u32>(p - 4, LIVE);
  memory.fill(p, 0, sz);
  live++;
  liveBytes += sz;
  allocs++;
  return p;
}

/** The FreeFn given to the collections. */
export function free(p: u32): void {
  if (p < base + 8 || p >= top || (p & 7) != 0 || load<u32>(p - 4) != LIVE) {
    badFrees++;
    return;
  }
  const sz = load<u32>(p - 8);
  store<u32>(p - 4, PENDING);
  memory.fill(p, POISON, sz);
  store<u32>(p, pending);
  pending = p;
  live--;
  liveBytes -= sz;
  frees++;
  if (freeLogN < FREE_LOG_CAP) store<u32>(freeLog + (freeLogN++ << 2), p);
}

export function freeLogLen(): u32 { return freeLogN; }
export function freeLogAt(i: u32): u32 { return i < freeLogN ? load<u32>(freeLog + (i << 2)) : 0; }
export function freeLogClear(): void { freeLogN = 0; }

/** End of an "invocation": pending frees become reusable. */
export function flush(): void {
  let p = pending;
  while (p != 0) {
    const next = load<u32>(p);
    const slot = freeHeads + ((load<u32>(p - 8) >> 3) << 2);
    store<u32>(p - 4, FREED);
    store<u32>(p, load<u32>(slot));
    store<u32>(slot, p);
    p = next;
  }
  pending = 0;
}

export function isLive(p: u32): bool { return p >= base + 8 && p < top && load<u32>(p - 4) == LIVE; }
export function liveCount(): u32 { return live; }
export function liveByteCount(): u32 { return liveBytes; }
export function badFreeCount(): u32 { return badFrees; }
export function allocCount(): u32 { return allocs; }
export function freeCount(): u32 { return frees; }
export function heapTop(): u32 { return top; }

// ---------------- less ----------------
// Compares the u64 key at `keyOff` bytes from the bpf_rb_node member (may be negative).
let keyOff: i32 = 0;
let keySigned: bool = false;
let lessCalls: u32 = 0;
export function setKey(off: i32, signed: bool): void { keyOff = off; keySigned = signed; }
export function lessCallCount(): u32 { return lessCalls; }
function less(a: u32, b: u32): bool {
  lessCalls++;
  const ka = load<u64>(<u32>(<i32>a + keyOff));
  const kb = load<u64>(<u32>(<i32>b + keyOff));
  return keySigned ? <i64>ka < <i64>kb : ka < kb;
}

// ---------------- collections API (harness FreeFn / LessFn bound) ----------------
/** bpf_obj_new: allocate rec.size bytes and initialise. */
export function objNew(rec: u32): u32 {
  const p = alloc(recSize(rec));
  if (p != 0) C.objInit(p, rec);
  return p;
}
export function objInit(obj: u32, rec: u32): void { C.objInit(obj, rec); }
export function objInitFields(obj: u32, rec: u32): void { C.objInitFields(obj, rec); }
export function objDrop(obj: u32, rec: u32): void { C.objDrop(obj, rec, free); }
export function objFreeFields(obj: u32, rec: u32): void { C.objFreeFields(obj, rec, free); }
export function refcountAcquire(obj: u32, rec: u32): u32 { return C.refcountAcquire(obj, rec); }
export function listPush(head: u32, node: u32, obj: u32, rec: u32, back: bool): i32 {
  return C.listPush(head, node, obj, rec, back, free);
}
export function listPop(head: u32, back: bool): u32 { return C.listPop(head, back); }
export function listPeek(head: u32, back: bool): u32 { return C.listPeek(head, back); }
export function rbAdd(root: u32, node: u32, obj: u32, rec: u32): i32 { return C.rbAdd(root, node, obj, rec, less, free); }
export function rbRemove(root: u32, node: u32): u32 { return C.rbRemove(root, node); }
export function corruptAddr(): u32 { return C.corruptAddr(); }
export function clearCorrupt(): void { C.clearCorrupt(); }
export function rbFirst(root: u32): u32 { return C.rbFirst(root); }
export function rbRoot(root: u32): u32 { return C.rbRoot(root); }
export function rbLeft(root: u32, node: u32): u32 { return C.rbLeft(root, node); }
export function rbRight(root: u32, node: u32): u32 { return C.rbRight(root, node); }

// ---------------- throughput probe ----------------
/**
 * `rounds` times: add `count` objects (keys from a xorshift stream, key at node-8) to the
 * tree at `root`, then remove them all through bpf_rbtree_first. Returns the number of
 * kfunc-level operations (add + first + remove). Objects are laid out from `objs`
 * (count * size bytes, rb node at +8).
 */
export function benchRbtree(root: u32, objs: u32, size: u32, count: u32, rounds: u32, rec: u32): u32 {
  let s: u32 = 0x9e3779b9;
  const saveOff = keyOff;
  keyOff = -8;
  let ops: u32 = 0;
  for (let r: u32 = 0; r < rounds; r++) {
    for (let i: u32 = 0; i < count; i++) {
      const o = objs + i * size;
      s ^= s << 13; s ^= s >> 17; s ^= s << 5;
      store<u64>(o, <u64>s);
      store<u64>(o + 8, <u64>(o + 8)); // cleared node
      store<u64>(o + 32, 0);           // owner
      C.rbAdd(root, o + 8, o, rec, less, free);
      ops++;
    }
    let n = C.rbFirst(root);
    while (n != 0) {
      C.rbRemove(root, n);
      n = C.rbFirst(root);
      ops += 2;
    }
  }
  keyOff = saveOff;
  return ops;
}
