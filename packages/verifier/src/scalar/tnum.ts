/**
 * Tristate numbers (verifier-core.md §4.2, kernel `kernel/bpf/tnum.c` of 6.18).
 *
 * A tnum `(value; mask)` describes the set of u64 values that agree with
 * `value` on every bit whose `mask` bit is 0. Invariant: `value & mask == 0`.
 * All values are bigints in [0, 2^64).
 */

/** u64 values as bigint in [0, 2^64). */
export interface Tnum {
  readonly value: bigint;
  readonly mask: bigint;
}

export const U64_MAX = 0xffff_ffff_ffff_ffffn;
export const U32_MASK = 0xffff_ffffn;
const S64_SIGN = 0x8000_0000_0000_0000n;

function mk(value: bigint, mask: bigint): Tnum {
  return { value, mask };
}

/** The fully unknown tnum `(0; 0xffff_ffff_ffff_ffff)`. */
export const TNUM_UNKNOWN: Tnum = mk(0n, U64_MAX);
/** Constant zero. */
export const TNUM_ZERO: Tnum = mk(0n, 0n);

/** `(v; 0)`; `v` is reduced modulo 2^64. */
export function tnumConst(v: bigint): Tnum {
  return mk(BigInt.asUintN(64, v), 0n);
}

/** Index (1-based) of the highest set bit of a u64; 0 for 0. */
export function fls64(x: bigint): number {
  if (x === 0n) return 0;
  if (x < 0n || x > U64_MAX) return x.toString(2).length;
  const hi = Number(x >> 32n);
  return hi !== 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(Number(x));
}

/** Smallest tnum containing every value of the unsigned range [min, max]. */
export function tnumRange(min: bigint, max: bigint): Tnum {
  const chi = min ^ max;
  const bits = fls64(chi);
  if (bits > 63) return TNUM_UNKNOWN;
  const delta = (1n << BigInt(bits)) - 1n;
  return mk(min & ~delta & U64_MAX, delta);
}

export function tnumLshift(a: Tnum, shift: number): Tnum {
  const s = BigInt(shift);
  return mk((a.value << s) & U64_MAX, (a.mask << s) & U64_MAX);
}

export function tnumRshift(a: Tnum, shift: number): Tnum {
  const s = BigInt(shift);
  return mk(a.value >> s, a.mask >> s);
}

/** Arithmetic shift; with `bits` 32 the low halves shift as s32 and the result is zero-extended. */
export function tnumArshift(a: Tnum, shift: number, bits: 32 | 64): Tnum {
  const s = BigInt(shift);
  if (bits === 32) {
    return mk(
      BigInt.asUintN(32, BigInt.asIntN(32, a.value) >> s),
      BigInt.asUintN(32, BigInt.asIntN(32, a.mask) >> s),
    );
  }
  return mk(BigInt.asUintN(64, BigInt.asIntN(64, a.value) >> s), BigInt.asUintN(64, BigInt.asIntN(64, a.mask) >> s));
}

export function tnumAdd(a: Tnum, b: Tnum): Tnum {
  const sm = (a.mask + b.mask) & U64_MAX;
  const sv = (a.value + b.value) & U64_MAX;
  const sigma = (sm + sv) & U64_MAX;
  const chi = sigma ^ sv;
  const mu = chi | a.mask | b.mask;
  return mk(sv & ~mu & U64_MAX, mu);
}

export function tnumSub(a: Tnum, b: Tnum): Tnum {
  const dv = BigInt.asUintN(64, a.value - b.value);
  const alpha = (dv + a.mask) & U64_MAX;
  const beta = BigInt.asUintN(64, dv - b.mask);
  const chi = alpha ^ beta;
  const mu = chi | a.mask | b.mask;
  return mk(dv & ~mu & U64_MAX, mu);
}

/** `0 − a` (6.18). */
export function tnumNeg(a: Tnum): Tnum {
  return tnumSub(TNUM_ZERO, a);
}

export function tnumAnd(a: Tnum, b: Tnum): Tnum {
  const alpha = a.value | a.mask;
  const beta = b.value | b.mask;
  const v = a.value & b.value;
  return mk(v, alpha & beta & ~v & U64_MAX);
}

export function tnumOr(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask | b.mask;
  return mk(v, mu & ~v & U64_MAX);
}

export function tnumXor(a: Tnum, b: Tnum): Tnum {
  const v = a.value ^ b.value;
  const mu = a.mask | b.mask;
  return mk(v & ~mu & U64_MAX, mu);
}

/**
 * 6.18 long multiplication: walk the bits of `a`; a known 1 adds `b`, an unknown bit takes the union of adding
 * and not adding. `{1,3} * 3` gives `(0x1; 0xa)`.
 */
export function tnumMul(a: Tnum, b: Tnum): Tnum {
  let acc = TNUM_ZERO;
  let av = a.value;
  let am = a.mask;
  let bv = b.value;
  let bm = b.mask;
  while (av !== 0n || am !== 0n) {
    if ((av & 1n) !== 0n) acc = tnumAdd(acc, mk(bv, bm));
    else if ((am & 1n) !== 0n) acc = tnumUnion(acc, tnumAdd(acc, mk(bv, bm)));
    av >>= 1n;
    am >>= 1n;
    bv = (bv << 1n) & U64_MAX;
    bm = (bm << 1n) & U64_MAX;
  }
  return acc;
}

/** ≤6.17 multiplication (kept for a `--kernel 6.12` mode): gives `(0x1; 0xe)` for `{1,3} * 3`. */
export function tnumMulLegacy(a: Tnum, b: Tnum): Tnum {
  const accV = (a.value * b.value) & U64_MAX;
  let accM = TNUM_ZERO;
  let av = a.value;
  let am = a.mask;
  let bv = b.value;
  let bm = b.mask;
  while (av !== 0n || am !== 0n) {
    if ((av & 1n) !== 0n) accM = tnumAdd(accM, mk(0n, bm));
    else if ((am & 1n) !== 0n) accM = tnumAdd(accM, mk(0n, bv | bm));
    av >>= 1n;
    am >>= 1n;
    bv = (bv << 1n) & U64_MAX;
    bm = (bm << 1n) & U64_MAX;
  }
  return tnumAdd(mk(accV, 0n), accM);
}

/** Smallest tnum containing both sets. */
export function tnumUnion(a: Tnum, b: Tnum): Tnum {
  const v = a.value & b.value;
  const mu = (a.value ^ b.value) | a.mask | b.mask;
  return mk(v & ~mu & U64_MAX, mu);
}

/** Tnum of the values in both sets (assuming they overlap). */
export function tnumIntersect(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask & b.mask;
  return mk(v & ~mu & U64_MAX, mu);
}

/** False when some bit is known in both with different values (no common value). */
export function tnumOverlap(a: Tnum, b: Tnum): boolean {
  const mu = ~a.mask & ~b.mask & U64_MAX;
  return (a.value & mu) === (b.value & mu);
}

/** Keep the low `8 * size` bits. */
export function tnumCast(a: Tnum, size: number): Tnum {
  if (size >= 8) return a;
  const m = (1n << BigInt(size * 8)) - 1n;
  return mk(a.value & m, a.mask & m);
}

export function tnumSubreg(a: Tnum): Tnum {
  return mk(a.value & U32_MASK, a.mask & U32_MASK);
}

export function tnumClearSubreg(a: Tnum): Tnum {
  const hi = ~U32_MASK & U64_MAX;
  return mk(a.value & hi, a.mask & hi);
}

/** Upper 32 bits of `reg`, lower 32 bits of `sub`. */
export function tnumWithSubreg(reg: Tnum, sub: Tnum): Tnum {
  return tnumOr(tnumClearSubreg(reg), tnumSubreg(sub));
}

export function tnumConstSubreg(a: Tnum, v: bigint): Tnum {
  return tnumWithSubreg(a, tnumConst(v));
}

/** `b ⊆ a`. */
export function tnumIn(a: Tnum, b: Tnum): boolean {
  if ((b.mask & ~a.mask) !== 0n) return false;
  return a.value === (b.value & ~a.mask);
}

export function tnumIsAligned(a: Tnum, n: bigint): boolean {
  return ((a.value | a.mask) & (n - 1n)) === 0n;
}

export function tnumIsConst(a: Tnum): boolean {
  return a.mask === 0n;
}

export function tnumSubregIsConst(a: Tnum): boolean {
  return (a.mask & U32_MASK) === 0n;
}

export function tnumIsUnknown(a: Tnum): boolean {
  return a.mask === U64_MAX;
}

export function tnumEquals(a: Tnum, b: Tnum): boolean {
  return a.value === b.value && a.mask === b.mask;
}

/** Whether the concrete u64 `x` is a member. */
export function tnumContains(a: Tnum, x: bigint): boolean {
  return (x & ~a.mask & U64_MAX) === a.value;
}

function swapBytes(x: bigint, bytes: number): bigint {
  let r = 0n;
  for (let i = 0; i < bytes; i++) {
    r = (r << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
  }
  return r;
}

/** Byte swap of the low 16/32/64 bits (result zero-extended), 6.18. */
export function tnumBswap(a: Tnum, bits: 16 | 32 | 64): Tnum {
  const n = bits / 8;
  return mk(swapBytes(a.value, n), swapBytes(a.mask, n));
}

/** Kernel `%#llx`: `0x` prefix even for zero. */
export function hex64(x: bigint): string {
  return '0x' + x.toString(16);
}

/** `tnum_strn`: `(0x..; 0x..)`. */
export function tnumStr(a: Tnum): string {
  return `(${hex64(a.value)}; ${hex64(a.mask)})`;
}

/** Minimum and maximum as signed 64 (used by bounds from tnum). */
export function tnumSmin(a: Tnum): bigint {
  return BigInt.asIntN(64, a.value | (a.mask & S64_SIGN));
}

export function tnumSmax(a: Tnum): bigint {
  return BigInt.asIntN(64, a.value | (a.mask & ~S64_SIGN));
}

/** Smallest member of `t` that is ≥ `x` (u64), or -1n when there is none. */
export function tnumNextGE(t: Tnum, x: bigint): bigint {
  const tmax = t.value | t.mask;
  if (x > tmax) return -1n;
  if (x <= t.value) return t.value;
  const diff = (x ^ t.value) & ~t.mask & U64_MAX;
  if (diff === 0n) return x;
  const i = BigInt(fls64(diff) - 1);
  const low = (1n << (i + 1n)) - 1n;
  if (((t.value >> i) & 1n) === 1n) {
    // x has 0 where t needs 1: keep x above i, then the smallest completion
    return (x & ~low & U64_MAX) | (t.value & low);
  }
  // x has 1 where t needs 0: the prefix above i must grow at its lowest free unknown bit
  const free = t.mask & ~x & ~low & U64_MAX;
  if (free === 0n) return -1n;
  const j = free & -free;
  const below = j - 1n;
  return (x & ~(j | below) & U64_MAX) | j | (t.value & below);
}
