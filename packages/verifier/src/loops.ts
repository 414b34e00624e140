/**
 * Open-coded loops (verifier-core.md §18): the numeric iterator kfuncs
 * (`bpf_iter_num_new`/`_next`/`_destroy`, STACK_ITER slots, references), the
 * fork at `next` and at `may_goto`, and the widening of imprecise scalars in the
 * queued "stay in the loop" state (`widen_imprecise_scalars`), so that the next
 * iteration is range-within the previous one and exploration converges.
 */
import { Class, JmpOp, PseudoCall, type Insn } from '@bpfkit/isa';
import type { KfuncProto } from '@bpfkit/platform';
import { nextId, type Env } from './env.js';
import { reject } from './errors.js';
import { pushBranch } from './explore.js';
import { readReg } from './operands.js';
import { regKey, slotKey } from './precision.js';
import { constScalar, notInit, ptrReg, unknownScalar } from './reg.js';
import { acquireReference, releaseReference } from './call/helper.js';
import { clearCallerSaved } from './call/common.js';
import { checkStackBounds, checkStackWrite } from './mem/stack.js';
import { curFrame } from './state.js';
import { F, STACK_INVALID, STACK_ITER, STACK_SPILL, T, type Checkpoint, type Frame, type RegState, type StackSlot, type VState } from './types.js';

/** What makes `idx` a loop decision point (a forced checkpoint with loop pruning), if anything. */
export function isLoopHead(env: Env, idx: number): 'may_goto' | 'iter_next' | 'callback' | undefined {
  const insn = env.prog.insns[idx]!;
  if (insn.code === (Class.JMP | JmpOp.JCOND)) return 'may_goto';
  if (isIterNextCall(env, insn)) return 'iter_next';
  // bpf_calls_callback: a callback's exit comes back to its call site, which is forced to be a checkpoint
  if (insn.code === (Class.JMP | JmpOp.CALL) && env.cfg.forceCheckpoint[idx]) return 'callback';
  return undefined;
}

export function isIterNextCall(env: Env, insn: Insn): boolean {
  return insn.code === (Class.JMP | JmpOp.CALL) && insn.src === PseudoCall.KFUNC_CALL && insn.off === 0 &&
    env.platform.kfuncByBtfId(insn.imm)?.name === 'bpf_iter_num_next';
}

/** The iterator slot R1 points to (current frame's R1), if it is one. */
function iterSlotOf(s: VState, r: RegState): StackSlot | undefined {
  if (r.type !== T.PTR_TO_STACK || r.s.varOff.mask !== 0n) return undefined;
  const off = r.off + Number(BigInt.asIntN(64, r.s.varOff.value));
  if (off % 8 !== 0 || off >= 0) return undefined;
  const sl = s.frames[r.frameno]?.stack[(-off - 1) >> 3];
  return sl && sl.bytes[0] === STACK_ITER && sl.iter ? sl : undefined;
}

export function iterActiveAtR1(s: VState): boolean {
  return iterSlotOf(s, curFrame(s).regs[1]!)?.iter?.state === 'active';
}

/** `find_prev_entry`: the previous iteration's checkpoint at `idx` on the current path. */
function findPrevEntry(cur: VState, idx: number): Checkpoint | undefined {
  let c = cur.parent;
  // the checkpoint made for this very visit (forced checkpoint) is not an earlier iteration
  if (c && c.insnIdx === idx && cur.hist.length === 0) c = c.parent;
  for (; c; c = c.parent) {
    if (c.insnIdx !== idx || c.state.frames.length !== cur.frames.length) continue;
    if (c.state.frames.every((f, k) => f.callsite === cur.frames[k]!.callsite)) return c;
  }
  return undefined;
}

function sameScalar(a: RegState, b: RegState): boolean {
  const x = a.s;
  const y = b.s;
  return a.id === b.id && a.addConst === b.addConst && a.off === b.off && x.varOff.value === y.varOff.value && x.varOff.mask === y.varOff.mask &&
    x.smin === y.smin && x.smax === y.smax && x.umin === y.umin && x.umax === y.umax && x.s32min === y.s32min && x.s32max === y.s32max &&
    x.u32min === y.u32min && x.u32max === y.u32max;
}

/** `widen_imprecise_scalars`: scalars imprecise in both states that changed since the last iteration become unknown. */
function widenImprecise(prev: Checkpoint, queued: VState): void {
  const widen = (o: RegState, c: RegState, key: number): RegState | undefined => {
    if (o.type !== T.SCALAR || c.type !== T.SCALAR) return undefined;
    if (prev.prec.has(key) || c.precise || sameScalar(o, c)) return undefined;
    return unknownScalar();
  };
  prev.state.frames.forEach((of, fr) => {
    const cf = queued.frames[fr]!;
    for (let i = 0; i < 10; i++) {
      const w = widen(of.regs[i]!, cf.regs[i]!, regKey(fr, i));
      if (w) cf.regs[i] = w;
    }
    of.stack.forEach((os, spi) => {
      const cs = cf.stack[spi];
      if (!cs || os.bytes[7] !== STACK_SPILL || cs.bytes[7] !== STACK_SPILL || !os.spilled || !cs.spilled) return;
      const w = widen(os.spilled, cs.spilled, slotKey(fr, spi));
      if (w) cs.spilled = w;
    });
  });
}

/** may_goto: the exit edge (jump) first, the loop body queued one level deeper and widened (§18.2). */
export function forkMayGoto(env: Env, insn: Insn): void {
  const prev = findPrevEntry(env.cur, env.insnIdx);
  const depth = env.cur.mayGotoDepth;
  env.cur.mayGotoDepth = depth + 1;
  pushBranch(env, env.insnIdx + 1, env.cur);
  env.cur.mayGotoDepth = depth;
  if (prev) widenImprecise(prev, env.pending[env.pending.length - 1]!.state);
  env.nextIdx = env.insnIdx + insn.off + 1;
}

/**
 * A callback returning to its call site (bpf_loop & co., bpf_rbtree_add's `less`): like the queued state of a loop
 * head, what changed since the call site's earlier visit on this path and is imprecise becomes unknown, so that the
 * call site's range-within test can converge (Linux widens in `prepare_func_exit`).
 */
export function widenAtCallbackReturn(env: Env, callsite: number): void {
  const prev = findPrevEntry(env.cur, callsite);
  if (prev) widenImprecise(prev, env.cur);
}

const ITER_NAME = 'num';

/** Checks R1 of an iterator kfunc (§18.6 steps 1–4) and returns the slot's frame and index. */
function iterArg(env: Env, uninit: boolean): { f: Frame; spi: number; reg: RegState } {
  const idx = env.insnIdx;
  const reg = readReg(env, 1);
  const expect = uninit ? `expected uninitialized iter_${ITER_NAME} as arg #0` : `expected an initialized iter_${ITER_NAME} as arg #0`;
  if (reg.type !== T.PTR_TO_STACK) reject(idx, 'EINVAL', 'arg#0 expected pointer to an iterator on stack');
  if (reg.s.varOff.mask !== 0n) reject(idx, 'EINVAL', 'iter has to be at a constant offset', expect);
  const off = reg.off + Number(BigInt.asIntN(64, reg.s.varOff.value));
  if (off % 8 !== 0) reject(idx, 'EINVAL', `cannot pass in iter at an offset=${off}`, expect);
  const spi = Math.trunc((-off - 1) / 8);
  const f = env.cur.frames[reg.frameno]!;
  const sl = f.stack[spi];
  if (uninit) {
    if (sl && sl.bytes.some((b) => b === STACK_ITER)) reject(idx, 'EINVAL', expect);
  } else if (!sl || !sl.iter || sl.bytes.some((b) => b !== STACK_ITER)) {
    reject(idx, 'EINVAL', expect);
  }
  return { f, spi, reg };
}

/** `bpf_iter_num_new` / `_next` / `_destroy` (§18.6, §18.7). */
export function checkIterKfuncCall(env: Env, insn: Insn, fn: KfuncProto): void {
  const idx = env.insnIdx;
  const regs = curFrame(env.cur).regs;
  if (fn.name === 'bpf_iter_num_new') {
    const { f, spi, reg } = iterArg(env, true);
    for (const r of [2, 3]) {
      const a = readReg(env, r);
      if (a.type !== T.SCALAR) reject(idx, 'EINVAL', `R${r} is not a scalar`);
    }
    checkStackBounds(env, 1, reg, reg.off, 8, 'write');
    checkStackWrite(env, reg, reg.off, 8, { regno: -1 });
    const sl = f.stack[spi]!;
    sl.bytes.fill(STACK_ITER);
    sl.spilled = undefined;
    sl.iter = { refId: acquireReference(env), state: 'active', depth: 0 };
    env.scratchSlots.add(spi);
    clearCallerSaved(env, regs);
    env.scratchRegs |= 1;
    regs[0] = unknownScalar();
    return;
  }
  if (fn.name === 'bpf_iter_num_destroy') {
    const { f, spi } = iterArg(env, false);
    const sl = f.stack[spi]!;
    releaseReference(env, sl.iter!.refId);
    env.cur.lastInval = undefined;
    sl.bytes.fill(STACK_INVALID);
    sl.iter = undefined;
    env.scratchSlots.add(spi);
    clearCallerSaved(env, regs);
    env.scratchRegs |= 1;
    regs[0] = notInit();
    return;
  }
  // bpf_iter_num_next
  const { f, spi } = iterArg(env, false);
  const it = f.stack[spi]!.iter!;
  env.scratchSlots.add(spi);
  clearCallerSaved(env, regs);
  env.scratchRegs |= 1;
  if (it.state === 'active') {
    const r0 = ptrReg(T.PTR_TO_MEM, F.RDONLY);
    r0.memSize = 4;
    r0.id = nextId(env);
    r0.refObjId = it.refId;
    regs[0] = r0;
    const prev = findPrevEntry(env.cur, idx);
    pushBranch(env, idx + 1, env.cur);
    const queued = env.pending[env.pending.length - 1]!.state;
    const qit = queued.frames[f.frameno]!.stack[spi]!.iter!;
    qit.depth++;
    if (prev) widenImprecise(prev, queued);
    it.state = 'drained';
  }
  regs[0] = constScalar(0n);
}
