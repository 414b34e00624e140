/**
 * Conditional jumps on two scalars (verifier-core.md §8.2–8.3): static prediction (`is_scalar_branch_taken`)
 * and refinement of both operands (`reg_set_min_max` / `regs_refine_cond_op`).
 */
import { JmpOp } from '@bpfkit/isa';
import {
  U32_MASK,
  U64_MAX,
  tnumAnd,
  tnumConst,
  tnumIntersect,
  tnumIsConst,
  tnumOr,
  tnumOverlap,
  tnumSubreg,
  tnumSubregIsConst,
  tnumWithSubreg,
} from './tnum.js';
import { copyScalar, mark32Unbounded, mark64Unbounded, syncInPlace, type MutScalar, type Scalar } from './bounds.js';

/** Internal code for "JSET is false" (the kernel's `BPF_JSET | BPF_X`). */
const JSET_FALSE = JmpOp.JSET | 0x08;

/**
 * `is_branch_taken` for two scalars: 1 taken, 0 not taken, -1 unknown. `src` is the second operand (a register or
 * `scalarFromImm(imm)`). `sameReg` (`if rX op rX`) is accepted for symmetry with `refineBranch`; 6.18 predicts such jumps from the ranges
 * like any other (observed).
 */
export function isBranchTaken(code: number, is32: boolean, dst: Scalar, src: Scalar, sameReg = false): 1 | 0 | -1 {
  const op = code & 0xf0;
  const t1 = is32 ? tnumSubreg(dst.varOff) : dst.varOff;
  const t2 = is32 ? tnumSubreg(src.varOff) : src.varOff;
  const umin1 = is32 ? BigInt(dst.u32min) : dst.umin;
  const umax1 = is32 ? BigInt(dst.u32max) : dst.umax;
  const smin1 = is32 ? BigInt(dst.s32min) : dst.smin;
  const smax1 = is32 ? BigInt(dst.s32max) : dst.smax;
  const umin2 = is32 ? BigInt(src.u32min) : src.umin;
  const umax2 = is32 ? BigInt(src.u32max) : src.umax;
  const smin2 = is32 ? BigInt(src.s32min) : src.smin;
  const smax2 = is32 ? BigInt(src.s32max) : src.smax;

  switch (op) {
    case JmpOp.JEQ:
    case JmpOp.JNE: {
      const eq = op === JmpOp.JEQ;
      if (tnumIsConst(t1) && tnumIsConst(t2)) return (t1.value === t2.value) === eq ? 1 : 0;
      const differ =
        !tnumOverlap(t1, t2) ||
        umin1 > umax2 ||
        umax1 < umin2 ||
        smin1 > smax2 ||
        smax1 < smin2 ||
        (!is32 &&
          (dst.u32min > src.u32max ||
            dst.u32max < src.u32min ||
            dst.s32min > src.s32max ||
            dst.s32max < src.s32min));
      if (differ) return eq ? 0 : 1;
      return -1;
    }
    case JmpOp.JSET: {
      let a = t1;
      let b = t2;
      const c2 = is32 ? tnumSubregIsConst(src.varOff) : tnumIsConst(src.varOff);
      if (!c2) {
        const c1 = is32 ? tnumSubregIsConst(dst.varOff) : tnumIsConst(dst.varOff);
        if (!c1) return -1;
        a = t2;
        b = t1;
      }
      if ((~a.mask & a.value & b.value) !== 0n) return 1;
      if (((a.mask | a.value) & b.value) === 0n) return 0;
      return -1;
    }
    case JmpOp.JGT:
      return umin1 > umax2 ? 1 : umax1 <= umin2 ? 0 : -1;
    case JmpOp.JSGT:
      return smin1 > smax2 ? 1 : smax1 <= smin2 ? 0 : -1;
    case JmpOp.JLT:
      return umax1 < umin2 ? 1 : umin1 >= umax2 ? 0 : -1;
    case JmpOp.JSLT:
      return smax1 < smin2 ? 1 : smin1 >= smax2 ? 0 : -1;
    case JmpOp.JGE:
      return umin1 >= umax2 ? 1 : umax1 < umin2 ? 0 : -1;
    case JmpOp.JSGE:
      return smin1 >= smax2 ? 1 : smax1 < smin2 ? 0 : -1;
    case JmpOp.JLE:
      return umax1 <= umin2 ? 1 : umin1 > umax2 ? 0 : -1;
    case JmpOp.JSLE:
      return smax1 <= smin2 ? 1 : smin1 > smax2 ? 0 : -1;
    default:
      return -1;
  }
}

/** `rev_opcode`: the condition of the fall-through successor. */
function revOp(op: number): number {
  switch (op) {
    case JmpOp.JEQ:
      return JmpOp.JNE;
    case JmpOp.JNE:
      return JmpOp.JEQ;
    case JmpOp.JSET:
      return JSET_FALSE;
    case JSET_FALSE:
      return JmpOp.JSET;
    case JmpOp.JGE:
      return JmpOp.JLT;
    case JmpOp.JGT:
      return JmpOp.JLE;
    case JmpOp.JLE:
      return JmpOp.JGT;
    case JmpOp.JLT:
      return JmpOp.JGE;
    case JmpOp.JSGE:
      return JmpOp.JSLT;
    case JmpOp.JSGT:
      return JmpOp.JSLE;
    case JmpOp.JSLE:
      return JmpOp.JSGT;
    case JmpOp.JSLT:
      return JmpOp.JSGE;
    default:
      return 0;
  }
}

/** `flip_opcode`: the same condition with the operands swapped. */
function flipOp(op: number): number {
  switch (op) {
    case JmpOp.JGT:
      return JmpOp.JLT;
    case JmpOp.JGE:
      return JmpOp.JLE;
    case JmpOp.JSGT:
      return JmpOp.JSLT;
    case JmpOp.JSGE:
      return JmpOp.JSLE;
    default:
      return op;
  }
}

function isConst(r: Scalar, is32: boolean): boolean {
  return is32 ? tnumSubregIsConst(r.varOff) : tnumIsConst(r.varOff);
}

function constValue(r: Scalar, is32: boolean): bigint {
  return is32 ? r.varOff.value & U32_MASK : r.varOff.value;
}

const u32 = (x: number): number => x >>> 0;
const s32 = (x: number): number => x | 0;

/** `regs_refine_cond_op` on two working copies. */
function refineCond(r1: MutScalar, r2: MutScalar, op: number, is32: boolean): void {
  if (op === JmpOp.JGE || op === JmpOp.JGT || op === JmpOp.JSGE || op === JmpOp.JSGT) {
    op = flipOp(op);
    const t = r1;
    r1 = r2;
    r2 = t;
  }
  switch (op) {
    case JmpOp.JEQ:
      if (is32) {
        r1.u32min = Math.max(r1.u32min, r2.u32min);
        r1.u32max = Math.min(r1.u32max, r2.u32max);
        r1.s32min = Math.max(r1.s32min, r2.s32min);
        r1.s32max = Math.min(r1.s32max, r2.s32max);
        r2.u32min = r1.u32min;
        r2.u32max = r1.u32max;
        r2.s32min = r1.s32min;
        r2.s32max = r1.s32max;
        const t = tnumIntersect(tnumSubreg(r1.varOff), tnumSubreg(r2.varOff));
        r1.varOff = tnumWithSubreg(r1.varOff, t);
        r2.varOff = tnumWithSubreg(r2.varOff, t);
      } else {
        r1.umin = r1.umin > r2.umin ? r1.umin : r2.umin;
        r1.umax = r1.umax < r2.umax ? r1.umax : r2.umax;
        r1.smin = r1.smin > r2.smin ? r1.smin : r2.smin;
        r1.smax = r1.smax < r2.smax ? r1.smax : r2.smax;
        r2.umin = r1.umin;
        r2.umax = r1.umax;
        r2.smin = r1.smin;
        r2.smax = r1.smax;
        r1.varOff = tnumIntersect(r1.varOff, r2.varOff);
        r2.varOff = r1.varOff;
      }
      break;
    case JmpOp.JNE: {
      if (!isConst(r2, is32)) {
        const t = r1;
        r1 = r2;
        r2 = t;
      }
      if (!isConst(r2, is32)) break;
      const val = constValue(r2, is32);
      if (is32) {
        const uv = Number(val);
        const sv = uv | 0;
        if (r1.u32min === uv) r1.u32min = u32(r1.u32min + 1);
        if (r1.u32max === uv) r1.u32max = u32(r1.u32max - 1);
        if (r1.s32min === sv) r1.s32min = s32(r1.s32min + 1);
        if (r1.s32max === sv) r1.s32max = s32(r1.s32max - 1);
      } else {
        const sv = BigInt.asIntN(64, val);
        if (r1.umin === val) r1.umin = (r1.umin + 1n) & U64_MAX;
        if (r1.umax === val) r1.umax = BigInt.asUintN(64, r1.umax - 1n);
        if (r1.smin === sv) r1.smin = BigInt.asIntN(64, r1.smin + 1n);
        if (r1.smax === sv) r1.smax = BigInt.asIntN(64, r1.smax - 1n);
      }
      break;
    }
    case JmpOp.JSET: {
      if (!isConst(r2, is32)) {
        const t = r1;
        r1 = r2;
        r2 = t;
      }
      if (!isConst(r2, is32)) break;
      const val = constValue(r2, is32);
      // only a single-bit constant teaches something in the taken branch
      if (val === 0n || (val & (val - 1n)) !== 0n) break;
      if (is32) r1.varOff = tnumWithSubreg(r1.varOff, tnumOr(tnumSubreg(r1.varOff), tnumConst(val)));
      else r1.varOff = tnumOr(r1.varOff, tnumConst(val));
      break;
    }
    case JSET_FALSE: {
      if (!isConst(r2, is32)) {
        const t = r1;
        r1 = r2;
        r2 = t;
      }
      if (!isConst(r2, is32)) break;
      const val = constValue(r2, is32);
      const notVal = ~val & U64_MAX;
      // observed on 6.18: the "no common bit" successor keeps none of its bounds; they are re-derived from the tnum
      mark64Unbounded(r1);
      mark32Unbounded(r1);
      if (is32) r1.varOff = tnumWithSubreg(r1.varOff, tnumAnd(tnumSubreg(r1.varOff), tnumConst(notVal)));
      else r1.varOff = tnumAnd(r1.varOff, tnumConst(notVal));
      break;
    }
    case JmpOp.JLE:
      if (is32) {
        r1.u32max = Math.min(r1.u32max, r2.u32max);
        r2.u32min = Math.max(r1.u32min, r2.u32min);
      } else {
        if (r2.umax < r1.umax) r1.umax = r2.umax;
        if (r1.umin > r2.umin) r2.umin = r1.umin;
      }
      break;
    case JmpOp.JLT:
      if (is32) {
        r1.u32max = Math.min(r1.u32max, u32(r2.u32max - 1));
        r2.u32min = Math.max(u32(r1.u32min + 1), r2.u32min);
      } else {
        const m = BigInt.asUintN(64, r2.umax - 1n);
        if (m < r1.umax) r1.umax = m;
        const n = (r1.umin + 1n) & U64_MAX;
        if (n > r2.umin) r2.umin = n;
      }
      break;
    case JmpOp.JSLE:
      if (is32) {
        r1.s32max = Math.min(r1.s32max, r2.s32max);
        r2.s32min = Math.max(r1.s32min, r2.s32min);
      } else {
        if (r2.smax < r1.smax) r1.smax = r2.smax;
        if (r1.smin > r2.smin) r2.smin = r1.smin;
      }
      break;
    case JmpOp.JSLT:
      if (is32) {
        r1.s32max = Math.min(r1.s32max, s32(r2.s32max - 1));
        r2.s32min = Math.max(s32(r1.s32min + 1), r2.s32min);
      } else {
        const m = BigInt.asIntN(64, r2.smax - 1n);
        if (m < r1.smax) r1.smax = m;
        const n = BigInt.asIntN(64, r1.smin + 1n);
        if (n > r2.smin) r2.smin = n;
      }
      break;
    default:
      break;
  }
}

/** Refined operands of one successor of `if dst OP src`. */
export interface RefinedPair {
  readonly dst: Scalar;
  readonly src: Scalar;
}

/**
 * `reg_set_min_max` for one successor: `taken` = the jump target (condition true), otherwise the fall-through
 * (reversed condition). Both results are bounds-synced; check them with `scalarInvariantViolation`.
 * `sameReg` (`if rX op rX`): both operands are one register, refined in place (as the kernel's aliased pointers).
 */
export function refineBranch(
  op: number,
  is32: boolean,
  dst: Scalar,
  src: Scalar,
  taken: boolean,
  sameReg = false,
): RefinedPair {
  const r1 = copyScalar(dst);
  // `if rX op rX`: both operands are the same register, refined in place
  const r2 = sameReg ? r1 : copyScalar(src);
  const jop = op & 0xf0;
  refineCond(r1, r2, taken ? jop : revOp(jop), is32);
  syncInPlace(r1);
  syncInPlace(r2);
  return { dst: r1, src: r2 };
}

/** Both successors at once: `{ taken, fallthrough }`. */
export function refineBoth(
  op: number,
  is32: boolean,
  dst: Scalar,
  src: Scalar,
  sameReg = false,
): { readonly taken: RefinedPair; readonly fallthrough: RefinedPair } {
  return {
    fallthrough: refineBranch(op, is32, dst, src, false, sameReg),
    taken: refineBranch(op, is32, dst, src, true, sameReg),
  };
}
