/**
 * Constant folding for `scalarAlu`: when both operands are well-formed constants (tnum mask 0 and every bound equal
 * to the tnum's value) the kernel's transfer function plus `reg_bounds_sync` yields exactly the constant result
 * (the bounds are sound and the tnum is exact), so it is computed directly. `const-fold.test.ts` checks this
 * against the general path.
 */
import { AluOp } from '@bpfkit/isa';
import { scalarConst, type Scalar } from './bounds.js';

/** Whether `s` is a constant in every component (as `___mark_reg_known` leaves it). */
export function isWellFormedConst(s: Scalar): boolean {
  const t = s.varOff;
  if (t.mask !== 0n) return false;
  const v = t.value;
  if (s.umin !== v || s.umax !== v) return false;
  const sv = BigInt.asIntN(64, v);
  if (s.smin !== sv || s.smax !== sv) return false;
  const u32 = Number(v & 0xffff_ffffn);
  return s.u32min === u32 && s.u32max === u32 && s.s32min === (u32 | 0) && s.s32max === (u32 | 0);
}

/**
 * `dst OP src` for constant operands of a safe op (caller checked `isSafeAluOp`); null for ops not folded here.
 * 32-bit ops work on the low halves and zero-extend.
 */
export function foldConstAlu(op: number, is64: boolean, dst: Scalar, src: Scalar): Scalar | null {
  const bits = is64 ? 64 : 32;
  const a = BigInt.asUintN(bits, dst.varOff.value);
  const b = BigInt.asUintN(bits, src.varOff.value);
  let r: bigint;
  switch (op) {
    case AluOp.ADD:
      r = a + b;
      break;
    case AluOp.SUB:
      r = a - b;
      break;
    case AluOp.NEG:
      r = -a;
      break;
    case AluOp.MUL:
      r = a * b;
      break;
    case AluOp.AND:
      r = a & b;
      break;
    case AluOp.OR:
      r = a | b;
      break;
    case AluOp.XOR:
      r = a ^ b;
      break;
    case AluOp.LSH:
      r = a << b;
      break;
    case AluOp.RSH:
      r = a >> b;
      break;
    case AluOp.ARSH:
      r = BigInt.asIntN(bits, a) >> b;
      break;
    default:
      return null;
  }
  return scalarConst(BigInt.asUintN(bits, r));
}
