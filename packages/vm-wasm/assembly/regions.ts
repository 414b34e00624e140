// Checked mode: which addresses a program may touch. Stacks of the current frames, host regions,
// map storage (registered by the map code) and live heap objects.

import { STACKS, FRAME_STRIDE, STACK_SIZE, gWasmRunning, gDepth, MAX_FRAMES } from './state';
import { objectOf, objCapacity, isSlabPage } from './heap';

const MAX_REGIONS: i32 = 4096;
/** [u32 addr][u32 len][u32 perm][u32 owner] per region. */
const REGIONS: usize = memory.data(MAX_REGIONS * 16, 16);
let gNRegions: i32 = 0;
let gLast: i32 = 0;

export function regionsReset(): void { gNRegions = 0; gLast = 0; }

export function regionAdd(addr: u32, len: u32, perm: u32): void { regionAddOwned(addr, len, perm, 0); }

export function regionAddOwned(addr: u32, len: u32, perm: u32, owner: u32): void {
  if (len == 0) return;
  for (let i = 0; i < gNRegions; i++) { // the same region twice (a host re-adding its ctx per run) is kept once
    const r = REGIONS + (<usize>i << 4);
    if (load<u32>(r) == addr && load<u32>(r, 4) == len && load<u32>(r, 8) == perm && load<u32>(r, 12) == owner) return;
  }
  if (gNRegions >= MAX_REGIONS) return;
  const r = REGIONS + (<usize>gNRegions << 4);
  store<u32>(r, addr); store<u32>(r, len, 4); store<u32>(r, perm, 8); store<u32>(r, owner, 12);
  gNRegions++;
}

/** Forget every region registered with this owner (a freed map). */
export function regionDropOwner(owner: u32): void {
  let i = 0;
  while (i < gNRegions) {
    const r = REGIONS + (<usize>i << 4);
    if (load<u32>(r, 12) == owner) {
      gNRegions--;
      const last = REGIONS + (<usize>gNRegions << 4);
      store<u64>(r, load<u64>(last)); store<u64>(r, load<u64>(last, 8), 8);
    } else i++;
  }
  gLast = 0;
}

/** 64-bit address form used by the interpreter: false when the address does not fit 32 bits. */
export function checkAccess64(addr: u64, size: u32, write: bool): bool {
  if ((addr >>> 32) != 0) return false;
  return checkAccess(<u32>addr, size, write);
}

export function checkAccess(addr: u32, size: u32, write: bool): bool {
  const end = <u64>addr + <u64>size;
  if (end > 0xFFFFFFFF || addr < 0x10000) return false;
  // stacks
  const stEnd = STACKS + <usize>MAX_FRAMES * FRAME_STRIDE;
  if (addr >= STACKS && addr < stEnd) {
    const f = (addr - STACKS) / FRAME_STRIDE;
    if (gWasmRunning > 0 && <i32>f > gDepth) return false;
    const base = STACKS + f * FRAME_STRIDE;
    return end <= <u64>(base + STACK_SIZE);
  }
  // heap objects
  if (isSlabPage(addr)) {
    const obj = objectOf(addr);
    if (obj == 0) return false;
    return end <= <u64>obj + <u64>objCapacity(obj);
  }
  // host regions and map storage
  const need: u32 = write ? 2 : 1;
  if (gLast < gNRegions) {
    const r = REGIONS + (<usize>gLast << 4);
    const a = load<u32>(r);
    if (addr >= a && end <= <u64>a + <u64>load<u32>(r, 4)) return (load<u32>(r, 8) & need) != 0;
  }
  for (let i = 0; i < gNRegions; i++) {
    const r = REGIONS + (<usize>i << 4);
    const a = load<u32>(r);
    if (addr >= a && end <= <u64>a + <u64>load<u32>(r, 4)) {
      if ((load<u32>(r, 8) & need) != 0) { gLast = i; return true; }
    }
  }
  return false;
}
