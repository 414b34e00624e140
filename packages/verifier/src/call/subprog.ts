/**
 * Static bpf-to-bpf calls and their return (verifier-core.md §12.1):
 * a new frame with R1–R5 copied, the caller's R0–R5 cleared, the
 * `caller:`/`callee:` and `returning from callee:`/`to caller at %d:` log lines.
 * Callback frames (§12.3) return through here too.
 */
import type { Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { copyReg, notInit } from '../reg.js';
import { curFrame, newFrame } from '../state.js';
import { T, type Frame, type VState } from '../types.js';
import { markRegPrecise } from '../precision.js';
import { widenAtCallbackReturn } from '../loops.js';

const S64_MIN = -(1n << 63n);
const S64_MAX = (1n << 63n) - 1n;

/** Subprogram index starting at instruction `start`. */
export function subprogAt(env: Env, start: number): number {
  const k = env.cfg.subprogs.findIndex((s) => s.start === start);
  if (k < 0) reject(env.insnIdx, 'EFAULT', `verifier bug. No program starts at insn ${start}`);
  return k;
}

/** `setup_func_entry`: frame limit, then a callee frame pushed onto `st`. */
export function setupFuncEntry(env: Env, st: VState, subprog: number, callsite: number): Frame {
  const depth = st.frames.length;
  if (depth + 1 > env.platform.limits.maxFrames) reject(env.insnIdx, 'E2BIG', `the call stack of ${depth + 1} frames is too deep`);
  const callee = newFrame(depth, subprog, callsite);
  st.frames.push(callee);
  return callee;
}

/** Full-state log lines of one frame (` frame1: R1=...`). */
export function logFrame(env: Env, st: VState, frameIdx: number): void {
  env.log.line(env.log.dump(st, frameIdx));
}

/** Stops the call instruction's own annotation (the call prints full dumps instead). */
export function clearScratch(env: Env): void {
  env.scratchRegs = 0;
  env.scratchSlots.clear();
  env.scratchAll = false;
}

/** `call pc+K` to a static subprogram. */
export function checkStaticCall(env: Env, _insn: Insn, subprog: number): void {
  const st = env.cur;
  const caller = curFrame(st);
  const callee = setupFuncEntry(env, st, subprog, env.insnIdx);
  for (let i = 1; i <= 5; i++) callee.regs[i] = copyReg(caller.regs[i]!);
  for (let i = 0; i <= 5; i++) caller.regs[i] = notInit();
  const start = env.cfg.subprogs[subprog]!.start;
  env.nextIdx = start;
  clearScratch(env);
  if (env.log.enabled) {
    const n = st.frames.length;
    env.log.line('caller:');
    logFrame(env, st, n - 2);
    env.log.line('callee:');
    logFrame(env, st, n - 1);
    env.log.line(`${start}:${env.log.dump(st, n - 1)}`);
  }
}

/** `prepare_func_exit`: `exit` in a frame other than 0. */
export function returnFromSubprog(env: Env): void {
  const st = env.cur;
  const n = st.frames.length;
  const callee = st.frames[n - 1]!;
  const caller = st.frames[n - 2]!;
  const r0 = callee.regs[0]!;
  if (r0.type === T.PTR_TO_STACK) reject(env.insnIdx, 'EINVAL', 'cannot return stack pointer to the caller');
  let next: number;
  if (callee.inCallback) {
    if (r0.type !== T.SCALAR) reject(env.insnIdx, 'EACCES', 'R0 not a scalar value');
    r0.precise = true;
    markRegPrecise(env, 0);
    const [lo, hi] = callbackRetRange(env, callee);
    if (r0.s.smin < BigInt(lo) || r0.s.smax > BigInt(hi)) {
      let what = '';
      if (r0.s.smin > S64_MIN) what += ` smin=${r0.s.smin}`;
      if (r0.s.smax < S64_MAX) what += ` smax=${r0.s.smax}`;
      if (!what) what = ' unknown scalar value';
      reject(env.insnIdx, 'EINVAL', `At callback return the register R0 has${what} should have been in [${lo}, ${hi}]`);
    }
    next = callee.callsite;
  } else {
    caller.regs[0] = copyReg(r0);
    next = callee.callsite + 1;
  }
  clearScratch(env);
  if (env.log.enabled) {
    env.log.line('returning from callee:');
    logFrame(env, st, n - 1);
    env.log.line(`to caller at ${next}:`);
    logFrame(env, { ...st, frames: st.frames.slice(0, n - 1) }, n - 2);
  }
  st.frames.pop();
  if (callee.inCallback) widenAtCallbackReturn(env, next);
  env.nextIdx = next;
}

/** R0 range a callback frame must return (from the helper that called it). */
function callbackRetRange(env: Env, callee: Frame): readonly [number, number] {
  const insn = env.prog.insns[callee.callsite];
  // kfunc callbacks (bpf_rbtree_add's `less`) return a bool
  const cb = insn && insn.src === 0 ? env.platform.helper(insn.imm)?.callback : undefined;
  return cb?.retRange ?? [0, 1];
}
