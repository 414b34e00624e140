/** Deterministic byte mutation helpers for fuzz and differential tests. */

/** xorshift32 generator. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** 1–4 random byte edits (set, bit flip, special value) or a truncation. */
export function mutateBytes(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  const n = 1 + (r() % 4);
  for (let i = 0; i < n; i++) {
    const at = r() % b.length;
    switch (r() % 4) {
      case 0: b[at] = r() & 0xff; break;
      case 1: b[at] ^= 1 << (r() % 8); break;
      case 2: b[at] = [0, 0xff, 0x7f, 0x80][r() % 4]!; break;
      default: return b.subarray(0, at);
    }
  }
  return b;
}

/** 1–2 edits of whole little-endian u32 words inside [from, to): small ids, bit flips. */
export function mutateWords(src: Uint8Array, from: number, to: number, r: () => number): Uint8Array {
  const b = src.slice();
  const dv = new DataView(b.buffer);
  const words = Math.floor((to - from) / 4);
  const n = 1 + (r() % 2);
  for (let j = 0; j < n; j++) {
    const w = from + 4 * (r() % words);
    const mode = r() % 5;
    if (mode < 3) dv.setUint32(w, r() % 32, true);
    else if (mode === 3) dv.setUint32(w, dv.getUint32(w, true) ^ (1 << (r() % 32)), true);
    else dv.setUint32(w, r() % 200, true);
  }
  return b;
}
