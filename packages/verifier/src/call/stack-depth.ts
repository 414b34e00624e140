/**
 * Whole-program stack accounting (`check_max_stack_depth`, verifier-core.md §10.6):
 * walks static call instructions (`call pc+K` and sync-callback `ld_imm64 src=4`)
 * from the main program, summing each subprogram's depth rounded up to 16 bytes.
 */
import type { Env } from '../env.js';
import { reject } from '../errors.js';

const roundUp16 = (n: number): number => (n + 15) & ~15;

const isPseudoCall = (code: number, src: number): boolean => code === 0x85 && src === 1;
const isPseudoFunc = (code: number, src: number): boolean => code === 0x18 && src === 4;

/** Throws `combined stack size of %d calls is %d. Too large` and friends; returns the deepest chain's size. */
export function checkMaxStackDepth(env: Env, root = 0): number {
  const { subprogs, subprogOf } = env.cfg;
  const insns = env.prog.insns;
  const maxStack = env.platform.limits.maxStack;
  const maxFrames = env.platform.limits.maxFrames;
  const retInsn: number[] = [];
  const retProg: number[] = [];
  let frame = 0;
  let idx = root;
  let i = subprogs[idx]!.start;
  let depth = 0;
  let maxDepth = 0;
  for (;;) {
    // process_func
    if (idx !== root && subprogs[idx]!.hasTailCall && depth >= env.platform.limits.maxTailCallStack) {
      reject(-1, 'EACCES', `tail_calls are not allowed when call stack of previous frames is ${depth} bytes. Too large`);
    }
    depth += roundUp16(subprogs[idx]!.stackDepth);
    if (depth > maxStack) reject(-1, 'EACCES', `combined stack size of ${frame + 1} calls is ${depth}. Too large`);
    maxDepth = Math.max(maxDepth, depth);
    // continue_func
    for (;;) {
      const end = subprogs[idx]!.end;
      let called = false;
      for (; i < end; i++) {
        if (env.prog.secondHalf[i]) continue;
        const insn = insns[i]!;
        if (!isPseudoCall(insn.code, insn.src) && !isPseudoFunc(insn.code, insn.src)) continue;
        const target = i + insn.imm + 1;
        const sidx = subprogOf[target]!;
        if (isAsyncCallback(env, i) && !isPseudoCall(insn.code, insn.src)) continue;
        retInsn[frame] = i + 1;
        retProg[frame] = idx;
        i = target;
        idx = sidx;
        frame++;
        if (frame >= maxFrames) reject(-1, 'E2BIG', `the call stack of ${frame} frames is too deep !`);
        called = true;
        break;
      }
      if (called) break;
      if (frame === 0) return maxDepth;
      depth -= roundUp16(subprogs[idx]!.stackDepth);
      frame--;
      i = retInsn[frame]!;
      idx = retProg[frame]!;
    }
  }
}

/** A `ld_imm64 src=4` feeding an async-callback helper (timers): not part of the caller's stack. */
function isAsyncCallback(env: Env, ldIdx: number): boolean {
  const insns = env.prog.insns;
  const end = env.cfg.subprogs[env.cfg.subprogOf[ldIdx]!]!.end;
  for (let k = ldIdx + 2; k < end; k++) {
    const insn = insns[k]!;
    if (insn.code === 0x85 && insn.src === 0) return env.platform.helper(insn.imm)?.callback?.mode === 'async';
  }
  return false;
}
