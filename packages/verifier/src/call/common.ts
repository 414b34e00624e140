/**
 * Pieces shared by helper, subprogram and callback calls (verifier-core.md §11, §12):
 * register-type names as the argument checks spell them, the fixed/variable offset
 * rule for pointer arguments (`__check_ptr_off_reg`), caller-saved register reset and
 * packet-pointer invalidation.
 */
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { notInit, regTypeName, unknownScalar } from '../reg.js';
import { tnumStr } from '../scalar/index.js';
import { curFrame } from '../state.js';
import { F, T, type RegState, type VState } from '../types.js';

/** R1..R5. */
export const CALLER_SAVED_ARGS = [1, 2, 3, 4, 5] as const;

/** `reg_type_str` of a register (full type, flags included). */
export function regTypeStr(_env: Env, r: RegState): string {
  // reg_type_str never names the struct of a BTF pointer
  return regTypeName(r.type, r.flags);
}

/** Type name used to match a register against `compatibleRegTypes` after folding `fold` flags. */
export function matchTypeName(r: RegState, fold: number): string {
  return regTypeName(r.type, r.flags & ~fold, '');
}

export const isZeroOffset = (r: RegState): boolean => r.s.varOff.mask === 0n && r.s.varOff.value === 0n;

/** `__check_ptr_off_reg`: negative fixed offset, modified pointer, variable offset. */
export function checkPtrOffReg(env: Env, r: RegState, regno: number, fixedOffOk: boolean): void {
  const t = regTypeStr(env, r);
  if (r.off < 0) reject(env.insnIdx, 'EACCES', `negative offset ${t} ptr R${regno} off=${r.off} disallowed`);
  if (!fixedOffOk && r.off) reject(env.insnIdx, 'EACCES', `dereference of modified ${t} ptr R${regno} off=${r.off} disallowed`);
  if (!isZeroOffset(r)) reject(env.insnIdx, 'EACCES', `variable ${t} access var_off=${tnumStr(r.s.varOff)} disallowed`);
}

/** `check_func_arg_reg_off`: which pointer types may carry offsets into a helper/global function. */
export function checkFuncArgRegOff(env: Env, r: RegState, regno: number, release: boolean): void {
  if (release) {
    if (r.off) reject(env.insnIdx, 'EINVAL', `R${regno} must have zero offset when passed to release func or trusted arg to kfunc`);
  }
  switch (r.type) {
    case T.PTR_TO_STACK:
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
    case T.PTR_TO_MAP_KEY:
    case T.PTR_TO_MAP_VALUE:
    case T.PTR_TO_MEM:
    case T.PTR_TO_BUF:
    case T.PTR_TO_ARENA:
    case T.SCALAR:
      return;
    case T.PTR_TO_BTF_ID:
      return checkPtrOffReg(env, r, regno, !release);
    default:
      return checkPtrOffReg(env, r, regno, false);
  }
}

/** R1..R5 of the current frame become NOT_INIT (scratched, so they vanish from the annotation). */
export function clearCallerSaved(env: Env, regs: RegState[] = curFrame(env.cur).regs): void {
  for (const i of CALLER_SAVED_ARGS) regs[i] = notInit();
  env.scratchRegs |= 0b111110;
}

/** `clear_all_pkt_pointers` (privileged): every packet pointer in every frame becomes an unknown scalar. */
export function clearAllPktPointers(st: VState): void {
  const isPktType = (r: RegState) => r.type === T.PTR_TO_PACKET || r.type === T.PTR_TO_PACKET_META || r.type === T.PTR_TO_PACKET_END;
  for (const f of st.frames) {
    f.regs.forEach((r, i) => {
      if (isPktType(r)) f.regs[i] = unknownScalar();
    });
    for (const sl of f.stack) if (sl.spilled && isPktType(sl.spilled)) sl.spilled = unknownScalar();
  }
}

export const maybeNullFlag = (r: RegState): boolean => (r.flags & F.MAYBE_NULL) !== 0;
