/**
 * ALU / ALU64 (`check_alu_op`, verifier-core.md §2.2–2.3, §5, §6): reserved
 * fields, moves (with linked-scalar ids), scalar transfer functions, and the
 * hand-off to pointer arithmetic.
 */
import { AluOp, checkConstOperand, checkInsn, Class, type Insn } from '@bpfkit/isa';
import { scalarAlu, scalarConst, scalarMov, scalarUnknown, scalarZext32, type Scalar } from '../scalar/index.js';
import { nextId, type Env } from '../env.js';
import { reject } from '../errors.js';
import { checkWritable, readReg, setReg } from '../operands.js';
import { constScalar, isConst, scalarReg, unknownScalar } from '../reg.js';
import { cloneReg as copyReg } from '../reg-copy.js';
import { T, type RegState } from '../types.js';
import { pointerArith } from './ptr-alu.js';
import { markRegPrecise } from '../precision.js';

/** `bpf_alu_string[]`, the operator text in messages. */
export const ALU_STRING: readonly string[] = ['+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 'neg', '%=', '^=', '=', 's>>=', 'endian', '', ''];

const S32_MAX = 0x7fffffffn;
const S32_MIN = -0x80000000n;

/** Scalars are immutable, so the constants made from immediates are shared (keyed by the 64-bit value). */
const immCache = new Map<number, Scalar>();

export function immScalar(imm: number, is64: boolean): Scalar {
  const key = is64 ? imm | 0 : imm >>> 0;
  let s = immCache.get(key);
  if (s === undefined) {
    s = scalarConst(BigInt(key));
    if (immCache.size < 4096) immCache.set(key, s);
  }
  return s;
}

export function checkAlu(env: Env, insn: Insn): void {
  const idx = env.insnIdx;
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(idx, 'EINVAL', msg);
  const is64 = (insn.code & 0x07) === Class.ALU64;
  const op = insn.code & 0xf0;
  const x = (insn.code & 0x08) !== 0;

  if (op === AluOp.NEG || op === AluOp.END) {
    const dst = readReg(env, insn.dst);
    checkWritable(env, insn.dst);
    if (dst.type !== T.SCALAR) {
      setReg(env, insn.dst, unknownScalar());
      return;
    }
    const src = op === AluOp.END ? scalarConst(BigInt(insn.imm)) : dst.s;
    const r = scalarReg(scalarAlu(insn.code & 0xff, is64, dst.s, src, insn));
    setReg(env, insn.dst, r);
    return;
  }

  if (op === AluOp.MOV) {
    if (x) {
      const src = readReg(env, insn.src);
      checkWritable(env, insn.dst);
      setReg(env, insn.dst, moveReg(env, src, insn, is64));
    } else {
      checkWritable(env, insn.dst);
      setReg(env, insn.dst, scalarReg(immScalar(insn.imm, is64)));
    }
    return;
  }

  // other ALU ops: read src (X), read dst, constant operand checks, dst writable
  const src = x ? readReg(env, insn.src) : scalarReg(immScalar(insn.imm, is64));
  const dst = readReg(env, insn.dst);
  const cmsg = checkConstOperand(insn);
  if (cmsg !== undefined) reject(idx, 'EINVAL', cmsg);
  checkWritable(env, insn.dst);

  if (dst.type !== T.SCALAR || src.type !== T.SCALAR) {
    if (dst.type !== T.SCALAR && src.type !== T.SCALAR) {
      // pointer op pointer: only subtraction, giving an unknown scalar (privileged)
      if (op === AluOp.SUB && env.allowPtrLeaks) {
        setReg(env, insn.dst, unknownScalar());
        return;
      }
      reject(idx, 'EACCES', `R${insn.dst} pointer ${ALU_STRING[op >> 4]} pointer prohibited`);
    }
    // the scalar operand of pointer arithmetic decides the pointer's offset: it must be exact in checkpoints
    if (insn.code & 0x08) markRegPrecise(env, dst.type === T.SCALAR ? insn.dst : insn.src);
    if (dst.type !== T.SCALAR) {
      pointerArith(env, insn, dst, src, false);
    } else {
      // scalar += pointer (any op reaches here; only ADD is valid, SUB gives its own message)
      pointerArith(env, insn, src, dst, true);
    }
    return;
  }
  setReg(env, insn.dst, scalarOp(env, insn, dst, src, is64, op));
}

/** `adjust_scalar_min_max_vals` including the linked-scalar delta rules (§6.6). */
function scalarOp(env: Env, insn: Insn, dst: RegState, src: RegState, is64: boolean, op: number): RegState {
  const out = copyReg(dst);
  out.s = scalarAlu(insn.code & 0xff, is64, dst.s, src.s, insn);
  out.precise = dst.precise;
  if (is64 && (op === AluOp.ADD || op === AluOp.SUB) && dst.id && isConst(src) && env.bpfCapable) {
    const v = BigInt.asIntN(64, src.s.varOff.value);
    const delta = op === AluOp.ADD ? v : -v;
    if (dst.addConst || delta > S32_MAX || delta < S32_MIN) {
      out.id = 0;
      out.addConst = false;
      out.off = 0;
    } else {
      out.addConst = true;
      out.off = Number(delta);
    }
  } else {
    out.id = 0;
    out.addConst = false;
    out.off = 0;
  }
  return out;
}

/** `rX = rY`, `wX = wY`, `rX = (s8)rY`, `wX = (s16)wY`. */
function moveReg(env: Env, src: RegState, insn: Insn, is64: boolean): RegState {
  if (src.type === T.SCALAR && src.addConst) {
    // a second link on top of a delta is not tracked: the source gets a plain id
    src.addConst = false;
    src.off = 0;
    src.id = 0;
  }
  const needId = src.type === T.SCALAR && !src.id && src.s.varOff.mask !== 0n;
  if (is64) {
    if (insn.off === 0) {
      if (needId) src.id = nextId(env);
      return copyReg(src);
    }
    if (src.type !== T.SCALAR) return unknownScalar();
    const noSext = src.s.umax < 1n << BigInt(insn.off - 1);
    if (noSext && needId) src.id = nextId(env);
    const r = copyReg(src);
    if (!noSext) r.id = 0;
    r.s = scalarMov(true, src.s, insn.off);
    return r;
  }
  if (src.type !== T.SCALAR) return scalarReg(scalarZext32(scalarUnknown()));
  let r: RegState;
  if (insn.off === 0) {
    const fits32 = src.s.umax <= 0xffffffffn;
    if (fits32 && needId) src.id = nextId(env);
    r = copyReg(src);
    if (!fits32) r.id = 0;
    r.s = scalarMov(false, src.s, 0);
  } else {
    const noSext = src.s.umax < 1n << BigInt(insn.off - 1);
    if (noSext && needId) src.id = nextId(env);
    r = copyReg(src);
    if (!noSext) r.id = 0;
    r.s = scalarMov(false, src.s, insn.off);
  }
  r.precise = src.precise;
  return r;
}

export { constScalar };
