/** Pointer arithmetic (`adjust_ptr_min_max_vals`, verifier-core.md §7). */
import { AluOp, Class, type Insn } from '@bpfkit/isa';
import { boundsSync, scalarAlu, tnumAdd, tnumSub, type Scalar } from '../scalar/index.js';
import { nextId, type Env } from '../env.js';
import { reject } from '../errors.js';
import { setReg } from '../operands.js';
import { copyReg, regTypeName, unknownScalar } from '../reg.js';
import { F, T, type RegState } from '../types.js';
import { ALU_STRING } from './alu.js';

export const BPF_MAX_VAR_OFF = 1n << 29n;
const S64_MIN = -(1n << 63n);

function typeStr(r: RegState): string {
  return regTypeName(r.type, r.flags);
}

/** `check_reg_sane_offset`. */
function checkSaneOffset(env: Env, reg: RegState, ptrType: RegState): void {
  const known = reg.s.varOff.mask === 0n;
  const val = BigInt.asIntN(64, reg.s.varOff.value);
  const smin = reg.s.smin;
  const tn = typeStr(ptrType);
  if (known && (val >= BPF_MAX_VAR_OFF || val <= -BPF_MAX_VAR_OFF)) reject(env.insnIdx, 'EACCES', `math between ${tn} pointer and ${val} is not allowed`);
  if (reg.off >= Number(BPF_MAX_VAR_OFF) || reg.off <= -Number(BPF_MAX_VAR_OFF)) reject(env.insnIdx, 'EACCES', `${tn} pointer offset ${reg.off} is not allowed`);
  if (smin === S64_MIN) reject(env.insnIdx, 'EACCES', `math between ${tn} pointer and register with unbounded min value is not allowed`);
  if (smin >= BPF_MAX_VAR_OFF || smin <= -BPF_MAX_VAR_OFF) reject(env.insnIdx, 'EACCES', `value ${smin} makes ${tn} pointer be out of bounds`);
}

function unbounded32(s: Scalar): Scalar {
  return boundsSync({ ...s, s32min: -0x80000000, s32max: 0x7fffffff, u32min: 0, u32max: 0xffffffff });
}

/**
 * `dst = ptr op off`. `scalarDst`: the instruction was `scalar op= pointer`
 * (dst held the scalar, src the pointer).
 */
export function pointerArith(env: Env, insn: Insn, ptr: RegState, offReg: RegState, scalarDst: boolean): void {
  const idx = env.insnIdx;
  const dstno = insn.dst;
  const op = insn.code & 0xf0;
  const o = offReg.s;
  const known = o.varOff.mask === 0n;
  if ((known && (o.smin !== o.smax || o.umin !== o.umax)) || o.smin > o.smax || o.umin > o.umax) {
    setReg(env, dstno, unknownScalar());
    return;
  }
  if ((insn.code & 0x07) !== Class.ALU64) {
    if (op === AluOp.SUB && env.allowPtrLeaks) {
      setReg(env, dstno, unknownScalar());
      return;
    }
    reject(idx, 'EACCES', `R${dstno} 32-bit pointer arithmetic prohibited`);
  }
  if (ptr.flags & F.MAYBE_NULL) reject(idx, 'EACCES', `R${dstno} pointer arithmetic on ${typeStr(ptr)} prohibited, null-check it first`);
  switch (ptr.type) {
    case T.PTR_TO_CTX:
    case T.PTR_TO_MAP_VALUE:
    case T.PTR_TO_MAP_KEY:
    case T.PTR_TO_STACK:
    case T.PTR_TO_PACKET_META:
    case T.PTR_TO_PACKET:
    case T.PTR_TO_TP_BUFFER:
    case T.PTR_TO_BTF_ID:
    case T.PTR_TO_MEM:
    case T.PTR_TO_BUF:
    case T.PTR_TO_FUNC:
    case T.CONST_PTR_TO_DYNPTR:
      break;
    case T.PTR_TO_FLOW_KEYS:
      if (known) break;
      reject(idx, 'EACCES', `R${dstno} pointer arithmetic on ${typeStr(ptr)} prohibited`);
    // falls through (unreachable)
    case T.CONST_PTR_TO_MAP:
      if (known && o.smin === 0n && op === AluOp.ADD) break;
      reject(idx, 'EACCES', `R${dstno} pointer arithmetic on ${typeStr(ptr)} prohibited`);
    // falls through (unreachable)
    default:
      reject(idx, 'EACCES', `R${dstno} pointer arithmetic on ${typeStr(ptr)} prohibited`);
  }
  checkSaneOffset(env, offReg, ptr);
  checkSaneOffset(env, ptr, ptr);
  const dst = copyReg(ptr);
  dst.precise = false;
  const c = o.smin;
  switch (op) {
    case AluOp.ADD: {
      const sum = BigInt(ptr.off) + c;
      if (known && sum === BigInt.asIntN(32, sum)) {
        dst.off = Number(sum);
        break;
      }
      dst.s = unbounded32({ ...scalarAlu(AluOp.ADD | Class.ALU64, true, ptr.s, o), varOff: tnumAdd(ptr.s.varOff, o.varOff) });
      if (ptr.type === T.PTR_TO_PACKET || ptr.type === T.PTR_TO_PACKET_META) {
        dst.id = nextId(env);
        dst.range = 0;
      }
      break;
    }
    case AluOp.SUB: {
      if (scalarDst) reject(idx, 'EACCES', `R${dstno} tried to subtract pointer from scalar`);
      if (ptr.type === T.PTR_TO_STACK) reject(idx, 'EACCES', `R${dstno} subtraction from stack pointer prohibited`);
      const diff = BigInt(ptr.off) - c;
      if (known && diff === BigInt.asIntN(32, diff)) {
        dst.off = Number(diff);
        break;
      }
      dst.s = unbounded32({ ...scalarAlu(AluOp.SUB | Class.ALU64, true, ptr.s, o), varOff: tnumSub(ptr.s.varOff, o.varOff) });
      if (ptr.type === T.PTR_TO_PACKET || ptr.type === T.PTR_TO_PACKET_META) {
        dst.id = nextId(env);
        if (o.smin < 0n) dst.range = 0;
      }
      break;
    }
    case AluOp.AND:
    case AluOp.OR:
    case AluOp.XOR:
      reject(idx, 'EACCES', `R${dstno} bitwise operator ${ALU_STRING[op >> 4]} on pointer prohibited`);
    // falls through (unreachable)
    default:
      reject(idx, 'EACCES', `R${dstno} pointer arithmetic with ${ALU_STRING[op >> 4]} operator prohibited`);
  }
  checkSaneOffset(env, dst, ptr);
  setReg(env, dstno, dst);
}
