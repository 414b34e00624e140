/**
 * Scalar ALU transfer functions (verifier-core.md §5, §6.1–6.2; kernel `adjust_scalar_min_max_vals`,
 * `check_alu_op` for MOV/MOVSX, `coerce_reg_to_size{,_sx}`, `zext_32_to_64`).
 */
import { AluOp } from '@bpfkit/isa';
import {
  TNUM_UNKNOWN,
  tnumAdd,
  tnumAnd,
  tnumBswap,
  tnumCast,
  tnumConst,
  tnumIsConst,
  tnumMul,
  tnumNeg,
  tnumOr,
  tnumRange,
  tnumSub,
  tnumSubreg,
  tnumSubregIsConst,
  tnumXor,
  U64_MAX,
} from './tnum.js';
import {
  S32_MAX,
  U32_MAX,
  copyScalar,
  lo32s,
  lo32u,
  mark32Unbounded,
  mark64Unbounded,
  markKnown,
  mkScalar,
  scalarUnknown,
  syncInPlace,
  type MutScalar,
  type Scalar,
} from './bounds.js';
import {
  add32,
  add64,
  and32,
  and64,
  arsh32,
  arsh64,
  lsh32,
  lsh64,
  mul32,
  mul64,
  or32,
  or64,
  rsh32,
  rsh64,
  sub32,
  sub64,
  xor32,
  xor64,
} from './arith.js';
import { foldConstAlu, isWellFormedConst } from './const-fold.js';

/** Instruction fields some ops need besides the operands. */
export interface AluExt {
  /** `off`: MOVSX width in bits (8/16/32); 1 for SDIV/SMOD (which are unknown anyway). */
  readonly off?: number;
  /** `imm`: END/BSWAP width in bits (16/32/64). */
  readonly imm?: number;
  /** END with the source bit set (`TO_BE`). Ignored for ALU64 (BSWAP). */
  readonly toBe?: boolean;
}

const NO_EXT: AluExt = {};

/** `zext_32_to_64` (no bounds sync): the low half is kept, the upper 32 bits become zero. */
export function zext32InPlace(w: MutScalar): void {
  w.varOff = tnumSubreg(w.varOff);
  w.umin = BigInt(w.u32min);
  w.umax = BigInt(w.u32max);
  w.smax = w.s32min >= 0 && w.s32max >= 0 ? BigInt(w.s32max) : BigInt(U32_MAX);
  w.smin = w.s32min >= 0 ? BigInt(w.s32min) : 0n;
}

/** `zext_32_to_64` followed by `reg_bounds_sync` (what `wX = wY` does to the copied scalar). */
export function scalarZext32(s: Scalar): Scalar {
  const w = copyScalar(s);
  zext32InPlace(w);
  syncInPlace(w);
  return w;
}

/** `is_safe_to_compute_dst_reg_range`. */
export function isSafeAluOp(op: number, is64: boolean, src: Scalar): boolean {
  switch (op) {
    case AluOp.ADD:
    case AluOp.SUB:
    case AluOp.NEG:
    case AluOp.AND:
    case AluOp.XOR:
    case AluOp.OR:
    case AluOp.MUL:
      return true;
    case AluOp.LSH:
    case AluOp.RSH:
    case AluOp.ARSH: {
      const srcConst = is64
        ? tnumIsConst(src.varOff) && src.smin === src.smax && src.umin === src.umax
        : tnumSubregIsConst(src.varOff) && src.s32min === src.s32max && src.u32min === src.u32max;
      return srcConst && src.umax < (is64 ? 64n : 32n);
    }
    default:
      return false;
  }
}

/** `coerce_reg_to_size`: zero-extending truncation to `size` bytes (1, 2, 4), then bounds sync. */
function truncateInPlace(w: MutScalar, size: number): void {
  if (size >= 8) return;
  w.varOff = tnumCast(w.varOff, size);
  const mask = (1n << BigInt(size * 8)) - 1n;
  const hi = ~mask & U64_MAX;
  if ((w.umin & hi) === (w.umax & hi)) {
    w.umin &= mask;
    w.umax &= mask;
  } else {
    w.umin = 0n;
    w.umax = mask;
  }
  w.smin = w.umin;
  w.smax = w.umax;
  if (size < 4) mark32Unbounded(w);
  syncInPlace(w);
}

/** Zero-extending load / END truncation of a scalar to `size` bytes (§5 `LDX B/H/W`). Size 8 is the identity. */
export function scalarTruncate(s: Scalar, size: number): Scalar {
  const w = copyScalar(s);
  truncateInPlace(w, size);
  return w;
}

function sext(x: bigint, size: number): bigint {
  return BigInt.asIntN(size * 8, x);
}

/** `coerce_reg_to_size_sx` (no sync, as in the kernel). */
function sxInPlace(w: MutScalar, size: number): void {
  if (tnumIsConst(w.varOff)) {
    markKnown(w, sext(w.varOff.value, size));
    return;
  }
  const nb = BigInt(size * 8);
  const topMax = (BigInt.asUintN(64, w.smax) >> nb) << nb;
  const topMin = (BigInt.asUintN(64, w.smin) >> nb) << nb;
  if (topMax === topMin) {
    const a = sext(w.smax, size);
    const b = sext(w.smin, size);
    const max = a > b ? a : b;
    const min = a > b ? b : a;
    if (max >= 0n === min >= 0n) {
      w.smin = min;
      w.smax = max;
      w.s32min = lo32s(min);
      w.s32max = lo32s(max);
      w.umin = BigInt.asUintN(64, min);
      w.umax = BigInt.asUintN(64, max);
      w.u32min = lo32u(min);
      w.u32max = lo32u(max);
      w.varOff = tnumRange(w.umin, w.umax);
      return;
    }
  }
  const lim = 1n << (nb - 1n);
  w.smin = -lim;
  w.smax = lim - 1n;
  w.s32min = Number(-lim);
  w.s32max = Number(lim - 1n);
  w.umin = 0n;
  w.u32min = 0;
  w.umax = U64_MAX;
  w.u32max = U32_MAX;
  w.varOff = TNUM_UNKNOWN;
}

/** Sign-extending load (`LDXSX`, §5) of `size` bytes (1, 2, 4): `coerce_reg_to_size_sx`. */
export function scalarLoadSx(s: Scalar, size: number): Scalar {
  const w = copyScalar(s);
  sxInPlace(w, size);
  return w;
}

/**
 * Sign extension from `bits` (8, 16, 32). `width` 64 (default): `rX = (sN) rY`, the kernel's
 * `coerce_reg_to_size_sx` (no bounds sync). `width` 32: `coerce_subreg_to_size_sx` only — the caller then applies
 * `scalarZext32` (as `wX = (sN) wY` does; `scalarSignExtend32` is both steps).
 */
export function scalarSignExtend(s: Scalar, bits: number, width: 32 | 64 = 64): Scalar {
  if (width === 64) return scalarLoadSx(s, bits >> 3);
  const w = copyScalar(s);
  subregSxInPlace(w, bits >> 3);
  return w;
}

/** `coerce_subreg_to_size_sx`: sign extension of the low `size` bytes into the 32-bit half. */
function subregSxInPlace(w: MutScalar, size: number): void {
  if (tnumIsConst(w.varOff)) {
    // the kernel keeps the 64-bit sign-extended constant tnum here; zero extension follows
    const v = sext(w.varOff.value, size);
    w.varOff = tnumConst(v);
    w.s32min = w.s32max = lo32s(v);
    w.u32min = w.u32max = lo32u(v);
    return;
  }
  const nb = size * 8;
  const topMax = Math.floor((w.s32max >>> 0) / 2 ** nb);
  const topMin = Math.floor((w.s32min >>> 0) / 2 ** nb);
  if (topMax === topMin) {
    const a = Number(BigInt.asIntN(nb, BigInt(w.s32max)));
    const b = Number(BigInt.asIntN(nb, BigInt(w.s32min)));
    const max = Math.max(a, b);
    const min = Math.min(a, b);
    if (min >= 0 === max >= 0) {
      w.s32min = min;
      w.s32max = max;
      w.u32min = min >>> 0;
      w.u32max = max >>> 0;
      w.varOff = tnumSubreg(tnumRange(BigInt.asUintN(64, BigInt(min)), BigInt.asUintN(64, BigInt(max))));
      return;
    }
  }
  const lim = 2 ** (nb - 1);
  w.s32min = -lim;
  w.s32max = lim - 1;
  w.u32min = 0;
  w.u32max = U32_MAX;
  w.varOff = tnumSubreg(TNUM_UNKNOWN);
}

/** `wX = (s8/s16) wY`: sign extension within the low half, then zero extension and bounds sync. */
export function scalarSignExtend32(s: Scalar, bits: number): Scalar {
  const w = copyScalar(s);
  subregSxInPlace(w, bits >> 3);
  zext32InPlace(w);
  syncInPlace(w);
  return w;
}

/** Byte swap / endianness conversion on a little-endian host (6.18). */
function endInPlace(w: MutScalar, is64: boolean, width: number, toBe: boolean): void {
  const needSwap = is64 || toBe;
  if (needSwap) {
    w.varOff = tnumBswap(w.varOff, width === 16 ? 16 : width === 32 ? 32 : 64);
    mark64Unbounded(w);
    mark32Unbounded(w);
  }
  if (width === 16 || width === 32) truncateInPlace(w, width / 8);
}

/**
 * `dst = dst OP src` on scalars (`is64`: class ALU64). `code` is an `AluOp` or the whole opcode byte (only
 * `code & 0xf0` selects the op; for END the source bit `code & 0x08` means TO_BE unless `ext.toBe` is given); an
 * `Insn` works as `ext`. `src` is the source register or the constant from `imm`
 * (`scalarFromImm`); NEG/END ignore it. DIV/MOD/SDIV/SMOD and shifts by a non-constant or out-of-range amount give
 * an unknown scalar. 32-bit ops zero-extend; the result is bounds-synced (MOVSX of ALU64 is not, as in the kernel).
 */
export function scalarAlu(code: number, is64: boolean, dst: Scalar, src: Scalar, ext: AluExt = NO_EXT): Scalar {
  const op = code & 0xf0;
  if (op === AluOp.MOV) return scalarMov(is64, src, ext.off ?? 0);
  if (op === AluOp.END) {
    const w = copyScalar(dst);
    endInPlace(w, is64, ext.imm ?? 64, ext.toBe ?? (code & 0x08) !== 0);
    syncInPlace(w);
    return w;
  }
  if (!isSafeAluOp(op, is64, src)) return scalarUnknown();
  if (isWellFormedConst(dst) && (op === AluOp.NEG || isWellFormedConst(src))) {
    const folded = foldConstAlu(op, is64, dst, src);
    if (folded) return folded;
  }
  return scalarAluGeneral(op, is64, dst, src);
}

/** The transfer functions of the safe ops (no constant folding; `const-fold.test.ts` compares both). */
export function scalarAluGeneral(op: number, is64: boolean, dst: Scalar, src: Scalar): Scalar {
  const d = copyScalar(dst);
  switch (op) {
    case AluOp.ADD:
      add32(d, src);
      add64(d, src);
      d.varOff = tnumAdd(d.varOff, src.varOff);
      break;
    case AluOp.SUB:
      sub32(d, src);
      sub64(d, src);
      d.varOff = tnumSub(d.varOff, src.varOff);
      break;
    case AluOp.NEG: {
      const orig = dst;
      markKnown(d, 0n);
      sub32(d, orig);
      sub64(d, orig);
      d.varOff = tnumNeg(orig.varOff);
      break;
    }
    case AluOp.MUL:
      d.varOff = tnumMul(d.varOff, src.varOff);
      mul32(d, src);
      mul64(d, src);
      break;
    case AluOp.AND:
      d.varOff = tnumAnd(d.varOff, src.varOff);
      and32(d, src);
      and64(d, src);
      break;
    case AluOp.OR:
      d.varOff = tnumOr(d.varOff, src.varOff);
      or32(d, src);
      or64(d, src);
      break;
    case AluOp.XOR:
      d.varOff = tnumXor(d.varOff, src.varOff);
      xor32(d, src);
      xor64(d, src);
      break;
    case AluOp.LSH:
      if (is64) lsh64(d, src);
      else lsh32(d, src);
      break;
    case AluOp.RSH:
      if (is64) rsh64(d, src);
      else rsh32(d, src);
      break;
    case AluOp.ARSH:
      if (is64) arsh64(d, src);
      else arsh32(d, src);
      break;
    default:
      break;
  }
  if (!is64) zext32InPlace(d);
  syncInPlace(d);
  return d;
}

/** `rX = rY` / `wX = wY` / MOVSX (`off` 8/16/32) on a scalar source. */
export function scalarMov(is64: boolean, src: Scalar, off = 0): Scalar {
  if (is64) {
    if (off === 0) return src;
    return scalarLoadSx(src, off >> 3);
  }
  if (off !== 0) return scalarSignExtend32(src, off);
  const w = copyScalar(src);
  zext32InPlace(w);
  syncInPlace(w);
  return w;
}

/** A fresh unknown scalar (for pointer results that become scalars, etc.). */
export function scalarUnknown32(): Scalar {
  return mkScalar(tnumSubreg(TNUM_UNKNOWN), 0n, BigInt(U32_MAX), 0n, BigInt(U32_MAX), -0x8000_0000, S32_MAX, 0, U32_MAX);
}
