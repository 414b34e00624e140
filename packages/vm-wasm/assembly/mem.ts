// Linear memory: one bump pointer shared by static regions and heap slabs; grows memory on demand.

/** First address handed out (after the module's static data), fixed at the first init. */
let gBase: usize = 0;
/** Next free address. */
let gTop: usize = 0;

/** Make sure [0, end) is inside the memory; false when the memory cannot grow. */
export function ensureMemory(end: usize): bool {
  const have = <usize>memory.size() << 16;
  if (end <= have) return true;
  const need = <i32>(((end - have) + 0xffff) >>> 16);
  return memory.grow(need) >= 0;
}

export function memReset(): void {
  if (gBase == 0) gBase = (__heap_base + 0xffff) & ~<usize>0xffff;
  gTop = gBase;
}

/** Never-freed zeroed region; 0 when out of memory. */
export function staticAlloc(size: u32, align: u32): usize {
  if (gBase == 0) memReset();
  if (align < 8) align = 8;
  if ((align & (align - 1)) != 0) return 0;
  const a = (gTop + align - 1) & ~(<usize>align - 1);
  const end = <u64>a + <u64>size;
  if (end > 0xFFFF0000) return 0;
  if (!ensureMemory(<usize>end)) return 0;
  memory.fill(a, 0, size);
  gTop = <usize>end;
  return a;
}

/** A fresh 64 KiB-aligned, 64 KiB slab (not zeroed); 0 when out of memory. */
export function slabAlloc(): usize {
  if (gBase == 0) memReset();
  const a = (gTop + 0xffff) & ~<usize>0xffff;
  const end = <u64>a + 0x10000;
  if (end > 0xFFFF0000) return 0;
  if (!ensureMemory(<usize>end)) return 0;
  gTop = <usize>end;
  return a;
}

export function memTop(): usize { return gTop; }
