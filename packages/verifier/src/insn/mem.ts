/**
 * Loads and stores (verifier-core.md §2.3, §5, §9, §16): LDX, ST, STX (incl.
 * atomics), `ld_imm64` with its pseudo sources, and legacy LD_ABS/IND.
 */
import { checkInsn, Mode, PseudoLd, type Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { checkWritable, readReg, setReg } from '../operands.js';
import { constScalar, mapReg, notInit, ptrReg, unknownScalar } from '../reg.js';
import { curFrame } from '../state.js';
import { T } from '../types.js';
import { checkMemAccess } from '../mem/access.js';
import { checkAtomic } from '../mem/atomic.js';
import { saveAuxPtrType } from '../mem/aux.js';
import { checkPtrOffReg } from '../mem/ctx-access.js';
import { checkResourceLeak } from './exit.js';

const SIZE_BYTES = [4, 2, 1, 8];
const sizeOf = (insn: Insn): number => SIZE_BYTES[(insn.code >> 3) & 3]!;

/** `dst = *(size *)(src + off)` (and the sign-extending form). */
export function checkLdx(env: Env, insn: Insn): void {
  const src = readReg(env, insn.src);
  checkWritable(env, insn.dst);
  const ldsx = (insn.code & 0xe0) === Mode.MEMSX;
  checkMemAccess(env, insn.src, insn.off, sizeOf(insn), 'read', insn.dst, { ldsx });
  saveAuxPtrType(env, src, true);
}

/** `*(size *)(dst + off) = src`, and `STX | ATOMIC`. */
export function checkStx(env: Env, insn: Insn): void {
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(env.insnIdx, 'EINVAL', msg);
  if ((insn.code & 0xe0) === Mode.ATOMIC) {
    checkAtomic(env, insn);
    return;
  }
  readReg(env, insn.src);
  const dst = readReg(env, insn.dst);
  checkMemAccess(env, insn.dst, insn.off, sizeOf(insn), 'write', insn.src);
  saveAuxPtrType(env, dst, false);
}

/** `*(size *)(dst + off) = imm`. */
export function checkSt(env: Env, insn: Insn): void {
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(env.insnIdx, 'EINVAL', msg);
  const dst = readReg(env, insn.dst);
  checkMemAccess(env, insn.dst, insn.off, sizeOf(insn), 'write', -1, { stImm: insn.imm });
  saveAuxPtrType(env, dst, false);
}

/** Index of the subprogram starting at slot `start`, or -1. */
function subprogAt(env: Env, start: number): number {
  return env.cfg.subprogs.findIndex((s) => s.start === start);
}

/** `check_ld_imm`: constants and the pseudo sources (§1.2 pass 6, §9.3). */
export function checkLdImm64(env: Env, insn: Insn): void {
  const idx = env.insnIdx;
  if (insn.off !== 0) reject(idx, 'EINVAL', 'BPF_LD_IMM64 uses reserved fields');
  checkWritable(env, insn.dst);
  setReg(env, insn.dst, unknownScalar());
  switch (insn.src) {
    case PseudoLd.NONE: {
      const v = (BigInt(insn.imm2 >>> 0) << 32n) | BigInt(insn.imm >>> 0);
      setReg(env, insn.dst, constScalar(v));
      return;
    }
    case PseudoLd.BTF_ID:
      reject(idx, 'EINVAL', 'ld_imm64 of a BTF variable (BPF_PSEUDO_BTF_ID) is not supported by this verifier');
    // falls through (unreachable)
    case PseudoLd.FUNC: {
      const sub = subprogAt(env, idx + insn.imm + 1);
      if (!env.input.funcInfo || env.input.funcInfo.length === 0) reject(idx, 'EINVAL', 'missing btf func_info');
      if (sub < 0 || env.cfg.subprogs[sub]!.global) reject(idx, 'EINVAL', 'callback function not static');
      const r = ptrReg(T.PTR_TO_FUNC);
      r.subprog = sub;
      setReg(env, insn.dst, r);
      return;
    }
    case PseudoLd.MAP_FD:
    case PseudoLd.MAP_IDX:
    case PseudoLd.MAP_VALUE:
    case PseudoLd.MAP_IDX_VALUE: {
      const map = env.maps[insn.imm];
      if (!map) reject(idx, 'EBADF', `fd ${insn.imm} is not pointing to valid bpf_map`);
      if (insn.src === PseudoLd.MAP_FD || insn.src === PseudoLd.MAP_IDX) {
        setReg(env, insn.dst, mapReg(T.CONST_PTR_TO_MAP, map));
        return;
      }
      const r = mapReg(T.PTR_TO_MAP_VALUE, map);
      r.off = insn.imm2 >>> 0;
      setReg(env, insn.dst, r);
      return;
    }
    default:
      reject(idx, 'EINVAL', 'unrecognized bpf_ld_imm64 insn');
  }
}

/** `BPF_PROG_TYPE_SOCKET_FILTER`, `SCHED_CLS`, `SCHED_ACT` (`may_access_skb`). */
const SKB_PROG_TYPES = new Set([1, 3, 4]);

/** `check_ld_abs`: legacy packet loads through the skb in R6. */
export function checkLdAbsInd(env: Env, insn: Insn): void {
  const idx = env.insnIdx;
  if (!SKB_PROG_TYPES.has(env.progType.id)) reject(idx, 'EINVAL', 'BPF_LD_[ABS|IND] instructions not allowed for this program type');
  const mode = insn.code & 0xe0;
  if (insn.dst !== 0 || insn.off !== 0 || (insn.code & 0x18) === 0x18 || (mode === Mode.ABS && insn.src !== 0)) {
    reject(idx, 'EINVAL', 'BPF_LD_[ABS|IND] uses reserved fields');
  }
  const r6 = readReg(env, 6);
  checkResourceLeak(env, true, 'BPF_LD_[ABS|IND]');
  if (r6.type !== T.PTR_TO_CTX || r6.flags !== 0) reject(idx, 'EINVAL', 'at the time of BPF_LD_ABS|IND R6 != pointer to skb');
  if (mode === Mode.IND) readReg(env, insn.src);
  checkPtrOffReg(env, r6, 6, false);
  const f = curFrame(env.cur);
  for (let i = 1; i <= 5; i++) {
    f.regs[i] = notInit();
    env.scratchRegs |= 1 << i;
  }
  setReg(env, 0, unknownScalar());
}
