/**
 * Per-op bound transfer functions of the kernel (`scalar{32,}_min_max_*`, verifier-core.md §6.2), operating
 * in place on a working copy of the destination. The tnum part is done by the caller in `alu.ts`, in the
 * kernel's order.
 */
import { U64_MAX, tnumArshift, tnumLshift, tnumRshift, tnumSubreg } from './tnum.js';
import {
  S32_MAX,
  S32_MIN,
  S64_MAX,
  S64_MIN,
  U32_MAX,
  mark32Known,
  mark32Unbounded,
  mark64Unbounded,
  markKnown,
  update32,
  updateBounds,
  type MutScalar,
  type Scalar,
} from './bounds.js';
import { tnumIsConst, tnumSubregIsConst } from './tnum.js';

const TWO32 = 0x1_0000_0000;
const S64_LO = S64_MIN;
const S64_HI = S64_MAX;

function s64Overflows(x: bigint): boolean {
  return x < S64_LO || x > S64_HI;
}

// ---- ADD ----

export function add32(d: MutScalar, s: Scalar): void {
  const smin = d.s32min + s.s32min;
  const smax = d.s32max + s.s32max;
  if (smin < S32_MIN || smin > S32_MAX || smax < S32_MIN || smax > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = smin;
    d.s32max = smax;
  }
  const umin = d.u32min + s.u32min;
  const umax = d.u32max + s.u32max;
  const minOv = umin > U32_MAX;
  const maxOv = umax > U32_MAX;
  if (!minOv && maxOv) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min = umin % TWO32;
    d.u32max = umax % TWO32;
  }
}

export function add64(d: MutScalar, s: Scalar): void {
  const smin = d.smin + s.smin;
  const smax = d.smax + s.smax;
  if (s64Overflows(smin) || s64Overflows(smax)) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = smin;
    d.smax = smax;
  }
  const umin = d.umin + s.umin;
  const umax = d.umax + s.umax;
  const minOv = umin > U64_MAX;
  const maxOv = umax > U64_MAX;
  if (!minOv && maxOv) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin & U64_MAX;
    d.umax = umax & U64_MAX;
  }
}

// ---- SUB ----

export function sub32(d: MutScalar, s: Scalar): void {
  const smin = d.s32min - s.s32max;
  const smax = d.s32max - s.s32min;
  if (smin < S32_MIN || smin > S32_MAX || smax < S32_MIN || smax > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = smin;
    d.s32max = smax;
  }
  const umin = d.u32min - s.u32max;
  const umax = d.u32max - s.u32min;
  const minUf = umin < 0;
  const maxUf = umax < 0;
  if (minUf && !maxUf) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min = umin >>> 0;
    d.u32max = umax >>> 0;
  }
}

export function sub64(d: MutScalar, s: Scalar): void {
  const smin = d.smin - s.smax;
  const smax = d.smax - s.smin;
  if (s64Overflows(smin) || s64Overflows(smax)) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = smin;
    d.smax = smax;
  }
  const umin = d.umin - s.umax;
  const umax = d.umax - s.umin;
  const minUf = umin < 0n;
  const maxUf = umax < 0n;
  if (minUf && !maxUf) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin & U64_MAX;
    d.umax = umax & U64_MAX;
  }
}

// ---- MUL ----

export function mul32(d: MutScalar, s: Scalar): void {
  // products of u32/s32 values below 2^53 are exact in doubles, and larger ones still compare correctly
  const umax = d.u32max * s.u32max;
  const umin = d.u32min * s.u32min;
  if (umax > U32_MAX || umin > U32_MAX) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min = umin;
    d.u32max = umax;
  }
  const p0 = d.s32min * s.s32min;
  const p1 = d.s32min * s.s32max;
  const p2 = d.s32max * s.s32min;
  const p3 = d.s32max * s.s32max;
  const lo = Math.min(p0, p1, p2, p3);
  const hi = Math.max(p0, p1, p2, p3);
  if (lo < S32_MIN || hi > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    // `+ 0` turns a -0 product into 0
    d.s32min = lo + 0;
    d.s32max = hi + 0;
  }
}

export function mul64(d: MutScalar, s: Scalar): void {
  const umax = d.umax * s.umax;
  const umin = d.umin * s.umin;
  if (umax > U64_MAX || umin > U64_MAX) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin;
    d.umax = umax;
  }
  const p0 = d.smin * s.smin;
  const p1 = d.smin * s.smax;
  const p2 = d.smax * s.smin;
  const p3 = d.smax * s.smax;
  if (s64Overflows(p0) || s64Overflows(p1) || s64Overflows(p2) || s64Overflows(p3)) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    let lo = p0;
    let hi = p0;
    for (const p of [p1, p2, p3]) {
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
    d.smin = lo;
    d.smax = hi;
  }
}

// ---- AND / OR / XOR (the tnum has already been updated in d.varOff) ----

function s32FromU32(d: MutScalar): void {
  if ((d.u32min | 0) <= (d.u32max | 0)) {
    d.s32min = d.u32min | 0;
    d.s32max = d.u32max | 0;
  } else {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  }
}

function s64FromU64(d: MutScalar): void {
  const lo = BigInt.asIntN(64, d.umin);
  const hi = BigInt.asIntN(64, d.umax);
  if (lo <= hi) {
    d.smin = lo;
    d.smax = hi;
  } else {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  }
}

export function and32(d: MutScalar, s: Scalar): void {
  if (tnumSubregIsConst(s.varOff) && tnumSubregIsConst(d.varOff)) {
    mark32Known(d, d.varOff.value);
    return;
  }
  const t = tnumSubreg(d.varOff);
  d.u32min = Number(t.value);
  if (s.u32max < d.u32max) d.u32max = s.u32max;
  s32FromU32(d);
}

export function and64(d: MutScalar, s: Scalar): void {
  if (tnumIsConst(s.varOff) && tnumIsConst(d.varOff)) {
    markKnown(d, d.varOff.value);
    return;
  }
  d.umin = d.varOff.value;
  if (s.umax < d.umax) d.umax = s.umax;
  s64FromU64(d);
  updateBounds(d);
}

export function or32(d: MutScalar, s: Scalar): void {
  if (tnumSubregIsConst(s.varOff) && tnumSubregIsConst(d.varOff)) {
    mark32Known(d, d.varOff.value);
    return;
  }
  const t = tnumSubreg(d.varOff);
  if (s.u32min > d.u32min) d.u32min = s.u32min;
  d.u32max = Number(t.value | t.mask);
  s32FromU32(d);
}

export function or64(d: MutScalar, s: Scalar): void {
  if (tnumIsConst(s.varOff) && tnumIsConst(d.varOff)) {
    markKnown(d, d.varOff.value);
    return;
  }
  if (s.umin > d.umin) d.umin = s.umin;
  d.umax = d.varOff.value | d.varOff.mask;
  s64FromU64(d);
  updateBounds(d);
}

export function xor32(d: MutScalar, s: Scalar): void {
  if (tnumSubregIsConst(s.varOff) && tnumSubregIsConst(d.varOff)) {
    mark32Known(d, d.varOff.value);
    return;
  }
  const t = tnumSubreg(d.varOff);
  d.u32min = Number(t.value);
  d.u32max = Number(t.value | t.mask);
  s32FromU32(d);
}

export function xor64(d: MutScalar, s: Scalar): void {
  if (tnumIsConst(s.varOff) && tnumIsConst(d.varOff)) {
    markKnown(d, d.varOff.value);
    return;
  }
  d.umin = d.varOff.value;
  d.umax = d.varOff.value | d.varOff.mask;
  s64FromU64(d);
  updateBounds(d);
}

// ---- shifts (the shift amount is a constant < 32/64, checked by the caller) ----

function lsh32Bounds(d: MutScalar, umin: number, umax: number): void {
  d.s32min = S32_MIN;
  d.s32max = S32_MAX;
  if (umax > 31 || d.u32max > 2 ** (31 - umax)) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min = (d.u32min * 2 ** umin) % TWO32;
    d.u32max = (d.u32max * 2 ** umin) % TWO32;
  }
}

export function lsh32(d: MutScalar, s: Scalar): void {
  const sub = tnumSubreg(d.varOff);
  lsh32Bounds(d, s.u32min, s.u32max);
  d.varOff = tnumSubreg(tnumLshift(sub, s.u32min));
  mark64Unbounded(d);
  update32(d);
}

export function lsh64(d: MutScalar, s: Scalar): void {
  const kmin = Number(s.umin);
  const kmax = Number(s.umax);
  // the <<32 special case uses the unshifted 32-bit bounds, so it runs first
  d.smax = kmin === 32 && kmax === 32 && d.s32max >= 0 ? BigInt(d.s32max) << 32n : S64_MAX;
  d.smin = kmin === 32 && kmax === 32 && d.s32min >= 0 ? BigInt(d.s32min) << 32n : S64_MIN;
  if (d.umax > 1n << BigInt(63 - kmax)) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = (d.umin << BigInt(kmin)) & U64_MAX;
    d.umax = (d.umax << BigInt(kmin)) & U64_MAX;
  }
  lsh32Bounds(d, kmin, kmax);
  d.varOff = tnumLshift(d.varOff, kmin);
  updateBounds(d);
}

export function rsh32(d: MutScalar, s: Scalar): void {
  const sub = tnumSubreg(d.varOff);
  d.s32min = S32_MIN;
  d.s32max = S32_MAX;
  d.varOff = tnumRshift(sub, s.u32min);
  d.u32min = Math.floor(d.u32min / 2 ** s.u32max);
  d.u32max = Math.floor(d.u32max / 2 ** s.u32min);
  mark64Unbounded(d);
  update32(d);
}

export function rsh64(d: MutScalar, s: Scalar): void {
  const kmin = Number(s.umin);
  const kmax = Number(s.umax);
  d.smin = S64_MIN;
  d.smax = S64_MAX;
  d.varOff = tnumRshift(d.varOff, kmin);
  d.umin >>= BigInt(kmax);
  d.umax >>= BigInt(kmin);
  mark32Unbounded(d);
  updateBounds(d);
}

export function arsh32(d: MutScalar, s: Scalar): void {
  const k = s.u32min;
  d.s32min = d.s32min >> k;
  d.s32max = d.s32max >> k;
  d.varOff = tnumArshift(tnumSubreg(d.varOff), k, 32);
  d.u32min = 0;
  d.u32max = U32_MAX;
  mark64Unbounded(d);
  update32(d);
}

export function arsh64(d: MutScalar, s: Scalar): void {
  const k = Number(s.umin);
  d.smin >>= BigInt(k);
  d.smax >>= BigInt(k);
  d.varOff = tnumArshift(d.varOff, k, 64);
  d.umin = 0n;
  d.umax = U64_MAX;
  mark32Unbounded(d);
  updateBounds(d);
}
