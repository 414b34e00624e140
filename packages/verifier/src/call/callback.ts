/**
 * Callback-calling helpers (`push_callback_call`, verifier-core.md §12.3):
 * the callback is explored as a pushed branch with a callee frame flagged
 * `cb`; its `exit` returns to the call instruction, which runs the helper again
 * one callback level deeper. Re-entry stops when the caller's depth reaches
 * `nr_loops`' upper bound (`bpf_loop`), when the state at the call site is within
 * one already seen there, or after {@link MAX_CALLBACK_ITERATIONS} rounds (a
 * simplification of the kernel's widening: terminating, not exact).
 */
import type { Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { statesEqual } from '../equal.js';
import { pushBranch } from '../explore.js';
import { copyReg, mapReg, notInit, ptrReg, unknownScalar } from '../reg.js';
import { cloneState, curFrame } from '../state.js';
import { T, type Frame, type RegState, type VState } from '../types.js';
import type { CallMeta } from './meta.js';
import { setupFuncEntry, subprogAt } from './subprog.js';
import { markRegPrecise } from '../precision.js';

export const MAX_CALLBACK_ITERATIONS = 64;
const MAX_SEEN_PER_SITE = 16;

const seen = new WeakMap<Env, Map<number, VState[]>>();

function calleeArg(spec: string, caller: RegState[], meta: CallMeta): RegState {
  switch (spec) {
    case 'scalar':
      return unknownScalar();
    case 'caller R3':
      return copyReg(caller[3]!);
    case 'map_ptr':
      return meta.map ? mapReg(T.CONST_PTR_TO_MAP, meta.map) : notInit();
    case 'map_key':
      return meta.map ? mapReg(T.PTR_TO_MAP_KEY, meta.map) : notInit();
    case 'map_value':
      return meta.map ? mapReg(T.PTR_TO_MAP_VALUE, meta.map) : notInit();
    case 'dynptr_ptr':
      return ptrReg(T.CONST_PTR_TO_DYNPTR);
    default:
      return notInit();
  }
}

/** Called from the helper path before the caller's registers are reset. */
export function pushCallbackCall(env: Env, insn: Insn, meta: CallMeta): void {
  const cb = meta.fn.callback!;
  const st = env.cur;
  const caller = curFrame(st);
  if (meta.fn.id === 181) {
    caller.regs[1]!.precise = true;
    markRegPrecise(env, 1);
    if (BigInt(caller.callbackDepth) >= caller.regs[1]!.s.umax) {
      caller.callbackDepth = 0;
      if (env.log.level === 2) env.log.line(`frame${caller.frameno} bpf_loop iteration limit reached`);
      return;
    }
  }
  const funcReg = caller.regs[cb.arg]!;
  const subprog = meta.subprogno >= 0 ? meta.subprogno : funcReg.subprog;
  pushSyncCallback(env, insn, subprog, (callee, cbCaller) => {
    cb.calleeArgs.forEach((spec, k) => {
      callee.regs[k + 1] = calleeArg(spec, cbCaller.regs, meta);
    });
  });
}

/**
 * Schedules one more visit of a synchronous callback `subprog` called from the current instruction
 * (helpers such as bpf_loop, and kfuncs such as bpf_rbtree_add's `less`), unless the state here
 * converged; `initCallee` sets the callee's argument registers.
 */
export function pushSyncCallback(env: Env, insn: Insn, subprog: number, initCallee: (callee: Frame, caller: Frame) => void): void {
  const st = env.cur;
  const caller = curFrame(st);
  if (converged(env, st) || caller.callbackDepth >= MAX_CALLBACK_ITERATIONS) {
    caller.callbackDepth = 0;
    return;
  }
  const cbState = cloneState(st);
  const cbCaller = curFrame(cbState);
  const callee = setupFuncEntry(env, cbState, subprog, env.insnIdx);
  // init_func_state marks the whole verifier state scratched: the call line prints every register
  env.scratchAll = true;
  const saved = env.cur;
  env.cur = cbState;
  try {
    initCallee(callee, cbCaller);
  } finally {
    env.cur = saved;
  }
  callee.inCallback = true;
  cbCaller.callbackDepth++;
  caller.callbackDepth = 0;
  pushBranch(env, env.cfg.subprogs[subprog]?.start ?? subprogAt(env, insn.imm), cbState);
}

/** True when the caller state at this call site is within one recorded before (records it otherwise). */
function converged(env: Env, st: VState): boolean {
  let bySite = seen.get(env);
  if (!bySite) seen.set(env, (bySite = new Map()));
  let list = bySite.get(env.insnIdx);
  if (!list) bySite.set(env.insnIdx, (list = []));
  if (list.some((old) => statesEqual(old, st, 'range'))) return true;
  // bounded (oldest first out): forgetting a state only costs pruning, never soundness
  if (list.length >= MAX_SEEN_PER_SITE) list.shift();
  list.push(cloneState(st));
  return false;
}
