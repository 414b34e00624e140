/**
 * `call` (verifier-core.md §2.3 order): reserved fields, the spin-lock rule,
 * then helper (src 0), bpf-to-bpf (src 1: static or global) or kfunc (src 2).
 * `returnFromSubprog` is `exit` in a frame above 0. The post-exploration passes
 * (called global functions, combined stack size) are registered in `finishHooks`.
 */
import { checkInsn, PseudoCall, type Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject, rejectWith } from '../errors.js';
import { finishHooks } from '../finish.js';
import { isGlobalSubprog, checkGlobalCall, verifyCalledGlobals } from '../call/global.js';
import { checkHelperCall } from '../call/helper.js';
import { checkKfuncCall, kfuncSpinAllowed } from '../call/kfunc.js';
import { checkMaxStackDepth } from '../call/stack-depth.js';
import { checkStaticCall, returnFromSubprog as prepareFuncExit, setupFuncEntry } from '../call/subprog.js';

const BPF_FUNC_spin_unlock = 94;

export function checkCall(env: Env, insn: Insn): void {
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(env.insnIdx, 'EINVAL', msg);
  if (env.cur.activeLock && ((insn.src === 0 && insn.imm !== BPF_FUNC_spin_unlock) || (insn.src === PseudoCall.KFUNC_CALL && !kfuncSpinAllowed(env, insn)))) {
    rejectWith(env.insnIdx, 'EINVAL', [{ insn: env.cur.lockInsn, role: 'lock taken' }], 'function calls are not allowed while holding a lock');
  }
  if (insn.src === PseudoCall.CALL) return checkSubprogCall(env, insn);
  if (insn.src === PseudoCall.KFUNC_CALL) return checkKfuncCall(env, insn);
  return checkHelperCall(env, insn);
}

function checkSubprogCall(env: Env, insn: Insn): void {
  const target = env.insnIdx + insn.imm + 1;
  const subprog = env.cfg.subprogOf[target]!;
  const frames = env.cur.frames.length;
  if (frames + 1 > env.platform.limits.maxFrames) reject(env.insnIdx, 'E2BIG', `the call stack of ${frames + 1} frames is too deep`);
  if (isGlobalSubprog(env, subprog)) return checkGlobalCall(env, subprog);
  checkStaticCall(env, insn, subprog);
}

export const returnFromSubprog = (env: Env): void => prepareFuncExit(env);

finishHooks.push(verifyCalledGlobals, (env) => {
  checkMaxStackDepth(env);
});

export { setupFuncEntry, checkMaxStackDepth };
