// Heap for bpf_obj_new: size classes 16…4096 (header included, like bpf_mem_alloc) in 64 KiB slabs.
// Object = [u32 record][u32 state] header + payload; the program sees the payload address.
// Frees are deferred until endRun (no address reuse within the invocation that freed it).

import { slabAlloc } from './mem';

const NCLASS: i32 = 11;
const CLASS_SIZES: usize = memory.data<u32>([16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096]);
/** Per 64 KiB page: 0 = not a slab, else class index + 1. */
const SLAB_CLASS: usize = memory.data(65536, 16);
/** Per class: free list head, bump pointer, bump end (u32 each). */
const CLASS_STATE: usize = memory.data(NCLASS * 12, 16);

export const HDR: u32 = 8;
const STATE_LIVE: u32 = 0x0b1e_0000;
const STATE_PENDING: u32 = 0x0dea_0000;
const STATE_FREE: u32 = 0x0f4e_0000;
const STATE_MASK: u32 = 0xffff_0000;
/** Set in the state of per-CPU objects (record word holds the per-CPU stride). */
export const STATE_PERCPU: u32 = 0x100;

let gCap: u64 = 64 << 20;
/** Bytes held by live and pending objects (what the cap limits). */
let gHeld: u64 = 0;
let gLiveObjects: u32 = 0;
let gLiveBytes: u64 = 0;
let gPending: u32 = 0;

// @ts-ignore: decorator
@inline function classSize(c: i32): u32 { return load<u32>(CLASS_SIZES + (<usize>c << 2)); }

export function heapReset(cap: u32): void {
  memory.fill(SLAB_CLASS, 0, 65536);
  memory.fill(CLASS_STATE, 0, NCLASS * 12);
  for (let i: u32 = 0; i <= 4096 / 16; i++) {
    let c = 0;
    while (classSize(c) < i << 4) c++;
    store<u8>(CLASS_BY_16 + i, <u8>c);
  }
  gCap = cap;
  gHeld = 0; gLiveObjects = 0; gLiveBytes = 0; gPending = 0;
}

/** Size class by (total + 15) >> 4 for totals up to 4096 (filled by heapReset). */
const CLASS_BY_16: usize = memory.data(4096 / 16 + 1, 16);

export function classOf(total: u32): i32 {
  if (total > 4096) return -1;
  return <i32>load<u8>(CLASS_BY_16 + ((total + 15) >>> 4));
}

/** Allocate `size` payload bytes (zeroed); returns the payload address or 0 (too big, cap, out of memory). */
export function heapAlloc(size: u32): usize {
  if (size == 0 || size > 4096 - HDR) return 0;
  const c = classOf(size + HDR);
  const cs = classSize(c);
  if (gHeld + cs > gCap) return 0;
  const st = CLASS_STATE + <usize>c * 12;
  let base = load<u32>(st);
  if (base != 0) {
    store<u32>(st, load<u32>(base + HDR)); // next free is kept in the payload
  } else {
    let cur = load<u32>(st, 4);
    if (cur == 0 || cur + cs > load<u32>(st, 8)) {
      const slab = slabAlloc();
      if (slab == 0) return 0;
      store<u8>(SLAB_CLASS + (slab >>> 16), <u8>(c + 1));
      cur = slab;
      store<u32>(st, slab + 0x10000, 8);
    }
    base = cur;
    store<u32>(st, cur + cs, 4);
  }
  if (cs <= 256) { for (let i: usize = 0; i < cs; i += 8) store<u64>(base + i, 0); } // small: inline, no runtime call
  else memory.fill(base, 0, cs);
  store<u32>(base, 0);
  store<u32>(base, STATE_LIVE | <u32>c, 4);
  gHeld += cs; gLiveObjects++; gLiveBytes += cs;
  return base + HDR;
}

/** Header-based checks. `obj` must be a payload address given out by heapAlloc. */
export function isLive(obj: usize): bool {
  if (obj < 0x10000 + HDR) return false;
  const page = (obj - HDR) >>> 16;
  if (load<u8>(SLAB_CLASS + page) == 0) return false;
  return (load<u32>(obj - HDR, 4) & STATE_MASK) == STATE_LIVE;
}

export function objRecord(obj: usize): u32 { return load<u32>(obj - HDR); }
export function objSetRecord(obj: usize, rec: u32): void { store<u32>(obj - HDR, rec); }
export function objState(obj: usize): u32 { return load<u32>(obj - HDR, 4); }
export function objSetFlag(obj: usize, flag: u32): void { store<u32>(obj - HDR, load<u32>(obj - HDR, 4) | flag, 4); }
/** Payload capacity of a live object. */
export function objCapacity(obj: usize): u32 { return classSize(<i32>(load<u32>(obj - HDR, 4) & 0xff)) - HDR; }

/** Map any interior pointer to the payload base of its live object, or 0. */
export function objectOf(addr: usize): usize {
  const page = addr >>> 16;
  const c1 = <i32>load<u8>(SLAB_CLASS + page);
  if (c1 == 0) return 0;
  const cs = classSize(c1 - 1);
  const slab = addr & ~<usize>0xffff;
  const idx = (addr - slab) / cs;
  const base = slab + idx * cs;
  if (base + cs > slab + 0x10000) return 0;
  if (addr < base + HDR) return 0;
  if ((load<u32>(base, 4) & STATE_MASK) != STATE_LIVE) return 0;
  return base + HDR;
}

/** Deferred free: the object dies now (objectOf → 0), its memory is reusable after endRun. */
export function heapFree(obj: usize): void {
  if (!isLive(obj)) return;
  const base = obj - HDR;
  const c = <i32>(load<u32>(base, 4) & 0xff);
  store<u32>(base, STATE_PENDING | <u32>c, 4);
  store<u32>(obj, gPending);
  gPending = <u32>base;
  gLiveObjects--; gLiveBytes -= classSize(c);
}

/** endRun: pending frees join their class free lists. */
export function heapFlush(): void {
  let b = gPending;
  while (b != 0) {
    const next = load<u32>(b + HDR);
    const c = <i32>(load<u32>(b, 4) & 0xff);
    const st = CLASS_STATE + <usize>c * 12;
    store<u32>(b, STATE_FREE | <u32>c, 4);
    store<u32>(b + HDR, load<u32>(st));
    store<u32>(st, b);
    gHeld -= classSize(c);
    b = next;
  }
  gPending = 0;
}

export function liveObjects(): u32 { return gLiveObjects; }
export function liveBytes(): u32 { return <u32>gLiveBytes; }
export function heldBytes(): u32 { return <u32>gHeld; }
export function isSlabPage(addr: usize): bool { return load<u8>(SLAB_CLASS + (addr >>> 16)) != 0; }
