/**
 * 64-bit helpers on int32 pairs (lo, hi) for the generated code: the high word of the unsigned
 * 32×32 product, and the BigInt slow paths of 64-bit division (results: low word returned, high
 * word in `hi[0]`). BPF semantics: x / 0 = 0, x % 0 = x, INT64_MIN s/ -1 = INT64_MIN, s% -1 = 0.
 */

/** High 32 bits of the unsigned product of two 32-bit words. */
export function umulh(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

const M32 = 0xffffffffn;

function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function out(v: bigint, hi: Int32Array): number {
  hi[0] = Number((v >> 32n) & M32) | 0;
  return Number(v & M32) | 0;
}

export function udiv64(al: number, ah: number, bl: number, bh: number, hi: Int32Array): number {
  const b = u64(bl, bh);
  return out(b === 0n ? 0n : u64(al, ah) / b, hi);
}

export function umod64(al: number, ah: number, bl: number, bh: number, hi: Int32Array): number {
  const a = u64(al, ah);
  const b = u64(bl, bh);
  return out(b === 0n ? a : a % b, hi);
}

export function sdiv64(al: number, ah: number, bl: number, bh: number, hi: Int32Array): number {
  const b = BigInt.asIntN(64, u64(bl, bh));
  return out(b === 0n ? 0n : BigInt.asUintN(64, BigInt.asIntN(64, u64(al, ah)) / b), hi);
}

export function smod64(al: number, ah: number, bl: number, bh: number, hi: Int32Array): number {
  const a = BigInt.asIntN(64, u64(al, ah));
  const b = BigInt.asIntN(64, u64(bl, bh));
  return out(BigInt.asUintN(64, b === 0n ? a : a % b), hi);
}
