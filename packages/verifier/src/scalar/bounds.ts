/**
 * The scalar abstract value (verifier-core.md §4.1, §4.3): one tnum plus eight bounds, and `reg_bounds_sync`
 * exactly in the kernel's order (`__update_reg_bounds`, `__reg_deduce_bounds` twice, `__reg_bound_offset`,
 * `__update_reg_bounds`).
 */
import {
  TNUM_UNKNOWN,
  U32_MASK,
  U64_MAX,
  tnumClearSubreg,
  tnumConst,
  tnumIntersect,
  tnumIsConst,
  tnumNextGE,
  tnumOr,
  tnumRange,
  tnumSmax,
  tnumSmin,
  tnumSubreg,
  tnumSubregIsConst,
  type Tnum,
} from './tnum.js';

/**
 * A scalar: `varOff` plus signed/unsigned 64-bit bounds (bigint) and signed/unsigned 32-bit bounds of the low
 * half (JS numbers; s32 in [-2^31, 2^31), u32 in [0, 2^32)). Immutable; every operation returns a new object.
 */
export interface Scalar {
  readonly varOff: Tnum;
  readonly smin: bigint;
  readonly smax: bigint;
  readonly umin: bigint;
  readonly umax: bigint;
  readonly s32min: number;
  readonly s32max: number;
  readonly u32min: number;
  readonly u32max: number;
}

/** Internal mutable working copy (same shape, same field order). */
export type MutScalar = { -readonly [K in keyof Scalar]: Scalar[K] };

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const S32_MIN = -0x8000_0000;
export const S32_MAX = 0x7fff_ffff;
export const U32_MAX = 0xffff_ffff;
const HI32 = ~U32_MASK & U64_MAX;
const BIG_S32_MIN = BigInt(S32_MIN);
const BIG_S32_MAX = BigInt(S32_MAX);

/** Builds a scalar with the fields in a fixed order (one hidden class). */
export function mkScalar(
  varOff: Tnum,
  smin: bigint,
  smax: bigint,
  umin: bigint,
  umax: bigint,
  s32min: number,
  s32max: number,
  u32min: number,
  u32max: number,
): MutScalar {
  return { varOff, smin, smax, umin, umax, s32min, s32max, u32min, u32max };
}

export function copyScalar(s: Scalar): MutScalar {
  return mkScalar(s.varOff, s.smin, s.smax, s.umin, s.umax, s.s32min, s.s32max, s.u32min, s.u32max);
}

/** Low 32 bits of a bigint as s32 / u32 numbers. */
// |Number(x)| < 2^53 implies x itself is below 2^53 in magnitude (rounding is monotonic and 2^53 is exact), so the
// double is exact and ToInt32/ToUint32 give the low half without bigint allocations.
const EXACT = 9007199254740992;
export function lo32s(x: bigint): number {
  const n = Number(x);
  return n < EXACT && n > -EXACT ? n | 0 : Number(BigInt.asIntN(32, x));
}
export function lo32u(x: bigint): number {
  const n = Number(x);
  if (n < EXACT && n > -EXACT) return n >>> 0;
  // the unbounded limits are by far the most common large values
  if (x === U64_MAX || x === S64_MAX) return 0xffff_ffff;
  if (x === S64_MIN) return 0;
  return Number(BigInt.asUintN(32, x));
}
/** `x >> 32` (arithmetic) as a number, for |x| < 2^64. */
function hi32(x: bigint): number {
  const n = Number(x);
  return n < EXACT && n > -EXACT ? Math.floor(n / 4294967296) : Number(x >> 32n);
}

const big = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const small = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The constant `v` (reduced modulo 2^64): tnum `(v; 0)`, all bounds = v. */
export function scalarConst(v: bigint): Scalar {
  const u = BigInt.asUintN(64, v);
  const s = BigInt.asIntN(64, v);
  const s32 = lo32s(u);
  const u32 = s32 >>> 0;
  return mkScalar(tnumConst(u), s, s, u, u, s32, s32, u32, u32);
}

/** The constant made from an instruction's 32-bit `imm`, sign-extended to 64 bits (as `__mark_reg_known(imm)`). */
export function scalarFromImm(imm: number): Scalar {
  return scalarConst(BigInt(imm | 0));
}

/** The fully unknown scalar. */
export function scalarUnknown(): Scalar {
  return mkScalar(TNUM_UNKNOWN, S64_MIN, S64_MAX, 0n, U64_MAX, S32_MIN, S32_MAX, 0, U32_MAX);
}

/** An unknown scalar restricted to the unsigned range [umin, umax], bounds-synced. */
export function scalarFromRange(umin: bigint, umax: bigint): Scalar {
  const w = copyScalar(scalarUnknown());
  w.umin = umin;
  w.umax = umax;
  syncInPlace(w);
  return w;
}

/** An unknown scalar restricted to the signed range [smin, smax], bounds-synced. */
export function scalarFromSignedRange(smin: bigint, smax: bigint): Scalar {
  const w = copyScalar(scalarUnknown());
  w.smin = smin;
  w.smax = smax;
  syncInPlace(w);
  return w;
}

/** An unknown scalar whose bits are described by `t`, bounds-synced. */
export function scalarFromTnum(t: Tnum): Scalar {
  const w = copyScalar(scalarUnknown());
  w.varOff = t;
  syncInPlace(w);
  return w;
}

export function scalarIsConst(s: Scalar): boolean {
  return tnumIsConst(s.varOff);
}

export function scalarIsUnknown(s: Scalar): boolean {
  return (
    s.varOff.mask === U64_MAX &&
    s.smin === S64_MIN &&
    s.smax === S64_MAX &&
    s.umin === 0n &&
    s.umax === U64_MAX &&
    s.s32min === S32_MIN &&
    s.s32max === S32_MAX &&
    s.u32min === 0 &&
    s.u32max === U32_MAX
  );
}

export function scalarEquals(a: Scalar, b: Scalar): boolean {
  return (
    a.varOff.value === b.varOff.value &&
    a.varOff.mask === b.varOff.mask &&
    a.smin === b.smin &&
    a.smax === b.smax &&
    a.umin === b.umin &&
    a.umax === b.umax &&
    a.s32min === b.s32min &&
    a.s32max === b.s32max &&
    a.u32min === b.u32min &&
    a.u32max === b.u32max
  );
}

/** Whether the concrete u64 `x` is described by every component of `s`. */
export function scalarContains(s: Scalar, x: bigint): boolean {
  const u = BigInt.asUintN(64, x);
  const sv = BigInt.asIntN(64, u);
  const u32 = lo32u(u);
  const s32 = u32 | 0;
  return (
    (u & ~s.varOff.mask & U64_MAX) === s.varOff.value &&
    u >= s.umin &&
    u <= s.umax &&
    sv >= s.smin &&
    sv <= s.smax &&
    u32 >= s.u32min &&
    u32 <= s.u32max &&
    s32 >= s.s32min &&
    s32 <= s.s32max
  );
}

// ---- in-place helpers mirroring the kernel's __mark_* functions ----

export function mark64Unbounded(w: MutScalar): void {
  w.smin = S64_MIN;
  w.smax = S64_MAX;
  w.umin = 0n;
  w.umax = U64_MAX;
}

export function mark32Unbounded(w: MutScalar): void {
  w.s32min = S32_MIN;
  w.s32max = S32_MAX;
  w.u32min = 0;
  w.u32max = U32_MAX;
}

/** `___mark_reg_known`: tnum and all eight bounds from the u64 `v`. */
export function markKnown(w: MutScalar, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  w.varOff = tnumConst(u);
  w.smin = w.smax = BigInt.asIntN(64, u);
  w.umin = w.umax = u;
  w.s32min = w.s32max = lo32s(u);
  w.u32min = w.u32max = lo32u(u);
}

/** `__mark_reg32_known`: low half of the tnum and the 32-bit bounds. */
export function mark32Known(w: MutScalar, v: bigint): void {
  const lo = BigInt.asUintN(32, v);
  w.varOff = tnumOr(tnumClearSubreg(w.varOff), tnumConst(lo));
  w.s32min = w.s32max = lo32s(lo);
  w.u32min = w.u32max = lo32u(lo);
}

// ---- reg_bounds_sync ----

export function update32(w: MutScalar): void {
  const t = tnumSubreg(w.varOff);
  const v = Number(t.value);
  const m = Number(t.mask);
  const smin = v | (m & 0x8000_0000);
  const smax = v | (m & 0x7fff_ffff);
  if (smin > w.s32min) w.s32min = smin;
  if (smax < w.s32max) w.s32max = smax;
  if (v > w.u32min) w.u32min = v;
  const umax = (v | m) >>> 0;
  if (umax < w.u32max) w.u32max = umax;
}

export function update64(w: MutScalar): void {
  const t = w.varOff;
  w.smin = big(w.smin, tnumSmin(t));
  w.smax = small(w.smax, tnumSmax(t));
  w.umin = big(w.umin, t.value);
  w.umax = small(w.umax, t.value | t.mask);
  // 6.18 (observed): when the u64 range and the tnum have exactly one value in common, the scalar is that constant
  if (t.mask !== 0n && w.umin <= w.umax) {
    const first = tnumNextGE(t, w.umin);
    if (first >= 0n && first <= w.umax) {
      const second = first === U64_MAX ? -1n : tnumNextGE(t, first + 1n);
      if (second < 0n || second > w.umax) markKnown(w, first);
    }
  }
}

/** `__update_reg_bounds`: 32-bit then 64-bit bounds from the tnum. */
export function updateBounds(w: MutScalar): void {
  update32(w);
  update64(w);
}

function s32Intersect(w: MutScalar, lo: number, hi: number): void {
  if (lo > w.s32min) w.s32min = lo;
  if (hi < w.s32max) w.s32max = hi;
}

function u32Intersect(w: MutScalar, lo: number, hi: number): void {
  if (lo > w.u32min) w.u32min = lo;
  if (hi < w.u32max) w.u32max = hi;
}

function deduce32(w: MutScalar): void {
  // the 64-bit bounds are not changed here: their halves are computed once
  const uminHi = hi32(w.umin);
  const umaxHi = hi32(w.umax);
  const sminHi = hi32(w.smin);
  const smaxHi = hi32(w.smax);
  if (uminHi === umaxHi) {
    const lo = lo32u(w.umin);
    const hi = lo32u(w.umax);
    u32Intersect(w, lo, hi);
    if ((lo | 0) <= (hi | 0)) s32Intersect(w, lo | 0, hi | 0);
  }
  if (sminHi === smaxHi) {
    const lo = lo32u(w.smin);
    const hi = lo32u(w.smax);
    if (lo <= hi) u32Intersect(w, lo, hi);
    if ((lo | 0) <= (hi | 0)) s32Intersect(w, lo | 0, hi | 0);
  }
  // upper halves are two consecutive numbers (mod 2^32) and the low halves go from negative to non-negative
  if (((uminHi + 1) >>> 0) === umaxHi >>> 0) {
    const lo = lo32s(w.umin);
    const hi = lo32s(w.umax);
    if (lo < 0 && hi >= 0) s32Intersect(w, lo, hi);
  }
  if (((sminHi + 1) >>> 0) === smaxHi >>> 0) {
    const lo = lo32s(w.smin);
    const hi = lo32s(w.smax);
    if (lo < 0 && hi >= 0) s32Intersect(w, lo, hi);
  }
  if ((w.u32min | 0) <= (w.u32max | 0)) s32Intersect(w, w.u32min | 0, w.u32max | 0);
  const sminU = w.s32min >>> 0;
  const smaxU = w.s32max >>> 0;
  if (sminU <= smaxU) {
    u32Intersect(w, sminU, smaxU);
  } else if (w.u32max < sminU) {
    // the s32 range crosses the sign boundary and the u32 range overlaps only its non-negative part (6.17+)
    w.s32min = w.u32min | 0;
    if (smaxU < w.u32max) w.u32max = smaxU;
  } else if (smaxU < w.u32min) {
    // ... only its negative part
    w.s32max = w.u32max | 0;
    if (sminU > w.u32min) w.u32min = sminU;
  }
}

function deduce64(w: MutScalar): void {
  const uminS = BigInt.asIntN(64, w.umin);
  const umaxS = BigInt.asIntN(64, w.umax);
  if (uminS <= umaxS) {
    w.smin = big(w.smin, uminS);
    w.smax = small(w.smax, umaxS);
  }
  const sminU = BigInt.asUintN(64, w.smin);
  const smaxU = BigInt.asUintN(64, w.smax);
  if (sminU <= smaxU) {
    w.umin = big(w.umin, sminU);
    w.umax = small(w.umax, smaxU);
  } else if (w.umax < sminU) {
    // the s64 range crosses the sign boundary and the u64 range overlaps only its non-negative part
    w.smin = BigInt.asIntN(64, w.umin);
    w.umax = small(w.umax, smaxU);
  } else if (smaxU < w.umin) {
    // ... only its negative part
    w.smax = BigInt.asIntN(64, w.umax);
    w.umin = big(w.umin, sminU);
  }
}

/** The u64/s64 bounds learn the low half range [lo, hi] (u32 values). */
function mixIn(w: MutScalar, lo: number, hi: number): void {
  if (lo > lo32u(w.umin)) w.umin = (w.umin & HI32) | BigInt(lo);
  if (hi < lo32u(w.umax)) w.umax = (w.umax & HI32) | BigInt(hi);
  if (lo > lo32u(w.smin)) w.smin = (w.smin & ~U32_MASK) | BigInt(lo);
  if (hi < lo32u(w.smax)) w.smax = (w.smax & ~U32_MASK) | BigInt(hi);
}

function deduceMixed(w: MutScalar): void {
  // u32 -> u64 and u32 -> s64
  // `(x & ~0xffffffff) | lo` keeps x's upper half, so it exceeds x exactly when lo exceeds x's low half (and is
  // below x exactly when lo is below it): the bigint is only built when the bound changes
  mixIn(w, w.u32min, w.u32max);
  // s32 -> u64 and s32 -> s64 when the s32 range is also a valid u32 range
  if (w.s32min >>> 0 <= w.s32max >>> 0) mixIn(w, w.s32min >>> 0, w.s32max >>> 0);
  // after a sign-extending load: upper bits cannot be all ones when the low half is non-negative
  if (w.s32min >= 0 && w.smin >= BIG_S32_MIN && w.smax <= BIG_S32_MAX) {
    w.smin = w.umin = BigInt(w.s32min);
    w.smax = w.umax = BigInt(w.s32max);
    w.varOff = tnumIntersect(w.varOff, tnumRange(w.umin, w.umax));
  }
}

/** `__reg_deduce_bounds`. */
export function deduceBounds(w: MutScalar): void {
  deduce32(w);
  deduce64(w);
  deduceMixed(w);
}

/** `__reg_bound_offset`: the tnum learns from the u64 and u32 ranges. */
export function boundOffset(w: MutScalar): void {
  // unbounded u64 and u32 ranges teach a well-formed tnum nothing
  if (w.umin === 0n && w.umax === U64_MAX && w.u32min === 0 && w.u32max === U32_MAX && (w.varOff.value & w.varOff.mask) === 0n) return;
  const v64 = tnumIntersect(w.varOff, tnumRange(w.umin, w.umax));
  const v32 = tnumIntersect(tnumSubreg(v64), tnumRange(BigInt(w.u32min), BigInt(w.u32max)));
  w.varOff = tnumOr(tnumClearSubreg(v64), v32);
}

function constWithinBounds(w: MutScalar): boolean {
  const v = w.varOff.value;
  if (v < w.umin || v > w.umax) return false;
  const sv = BigInt.asIntN(64, v);
  if (sv < w.smin || sv > w.smax) return false;
  const u32 = Number(v & U32_MASK);
  const s32 = u32 | 0;
  return u32 >= w.u32min && u32 <= w.u32max && s32 >= w.s32min && s32 <= w.s32max;
}

/** `reg_bounds_sync` on a working copy. */
export function syncInPlace(w: MutScalar): void {
  if (w.varOff.mask === 0n && constWithinBounds(w)) {
    // a constant tnum inside every bound: the full sync ends with every bound equal to it
    markKnown(w, w.varOff.value);
    return;
  }
  updateBounds(w);
  deduceBounds(w);
  deduceBounds(w);
  boundOffset(w);
  updateBounds(w);
}

/** `reg_bounds_sync`: returns the synchronised scalar. */
export function boundsSync(s: Scalar): Scalar {
  const w = copyScalar(s);
  syncInPlace(w);
  return w;
}

/**
 * `reg_bounds_sanity_check`: null when consistent, else the kernel's reason (`range bounds violation`,
 * `const tnum out of sync with range bounds`, `const subreg tnum out of sync with range bounds`).
 */
export function scalarInvariantViolation(s: Scalar): string | null {
  if (s.umin > s.umax || s.smin > s.smax || s.u32min > s.u32max || s.s32min > s.s32max) {
    return 'range bounds violation';
  }
  if (tnumIsConst(s.varOff)) {
    const u = s.varOff.value;
    const sv = BigInt.asIntN(64, u);
    if (s.umin !== u || s.umax !== u || s.smin !== sv || s.smax !== sv) {
      return 'const tnum out of sync with range bounds';
    }
  }
  if (tnumSubregIsConst(s.varOff)) {
    const u = lo32u(s.varOff.value);
    const sv = u | 0;
    if (s.u32min !== u || s.u32max !== u || s.s32min !== sv || s.s32max !== sv) {
      return 'const subreg tnum out of sync with range bounds';
    }
  }
  return null;
}

const hx = (x: bigint): string => '0x' + x.toString(16);

/** The log line of a failed sanity check (`ctx` is e.g. `alu`, `true_reg1`), without a trailing newline. */
export function formatInvariantViolation(ctx: string, msg: string, s: Scalar): string {
  const u = (x: bigint): string => hx(BigInt.asUintN(64, x));
  return (
    `REG INVARIANTS VIOLATION (${ctx}): ${msg} u64=[${u(s.umin)}, ${u(s.umax)}] s64=[${u(s.smin)}, ${u(s.smax)}] ` +
    `u32=[${hx(BigInt(s.u32min))}, ${hx(BigInt(s.u32max))}] s32=[${hx(BigInt(s.s32min >>> 0))}, ` +
    `${hx(BigInt(s.s32max >>> 0))}] var_off=(${hx(s.varOff.value)}, ${hx(s.varOff.mask)})`
  );
}
