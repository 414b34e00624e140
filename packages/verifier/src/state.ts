/** Creating and copying verifier states (§3.5, §12.1). */
import { notInit, ptrReg, stackPtr } from './reg.js';
import { cloneReg } from './reg-copy.js';
import { T, type Frame, type RegState, type StackSlot, type VState } from './types.js';

export const MAX_BPF_STACK = 512;
export const BPF_REG_FP = 10;

export function newFrame(frameno: number, subprog: number, callsite: number): Frame {
  const regs: RegState[] = [];
  for (let i = 0; i < 11; i++) regs.push(notInit());
  regs[BPF_REG_FP] = stackPtr(frameno, 0);
  return { frameno, subprog, callsite, regs, stack: [], inCallback: false, callbackDepth: 0 };
}

/** Frame 0 of the main program: R1 = ctx, R10 = fp0. */
export function initialState(): VState {
  const f = newFrame(0, 0, -1);
  f.regs[1] = ptrReg(T.PTR_TO_CTX);
  return {
    frames: [f],
    refs: [],
    activeLock: 0,
    lockInsn: -1,
    lastInval: undefined,
    lastConvert: -1,
    insnIdx: 0,
    prevInsnIdx: -1,
    mayGotoDepth: 0,
    parent: undefined,
    speculative: false,
    hist: [],
  };
}

export function cloneSlot(s: StackSlot): StackSlot {
  const c: StackSlot = { bytes: s.bytes.slice(), spilled: s.spilled ? cloneReg(s.spilled) : undefined };
  if (s.iter) c.iter = { ...s.iter };
  return c;
}

function cloneRegs(regs: readonly RegState[]): RegState[] {
  const out: RegState[] = new Array<RegState>(regs.length);
  for (let i = 0; i < regs.length; i++) out[i] = cloneReg(regs[i]!);
  return out;
}

export function cloneFrame(f: Frame): Frame {
  return {
    frameno: f.frameno,
    subprog: f.subprog,
    callsite: f.callsite,
    regs: cloneRegs(f.regs),
    stack: f.stack.map(cloneSlot),
    inCallback: f.inCallback,
    callbackDepth: f.callbackDepth,
  };
}

export function cloneState(s: VState): VState {
  return {
    frames: s.frames.map(cloneFrame),
    refs: s.refs.map((r) => ({ ...r })),
    activeLock: s.activeLock,
    lockInsn: s.lockInsn,
    lastInval: s.lastInval,
    lastConvert: s.lastConvert,
    insnIdx: s.insnIdx,
    prevInsnIdx: s.prevInsnIdx,
    mayGotoDepth: s.mayGotoDepth,
    parent: s.parent,
    speculative: s.speculative,
    hist: s.hist.slice(),
  };
}

export const curFrame = (s: VState): Frame => s.frames[s.frames.length - 1]!;

/** The slot covering stack offset `off` (negative, relative to fp) in `f`, allocating up to it. */
export function slotAt(f: Frame, spi: number): StackSlot {
  while (f.stack.length <= spi) f.stack.push({ bytes: new Uint8Array(8), spilled: undefined });
  return f.stack[spi]!;
}

/** Every register and spilled register of every frame (for id-based updates). */
export function* allRegs(s: VState): Generator<RegState> {
  for (const f of s.frames) {
    for (const r of f.regs) yield r;
    for (const sl of f.stack) if (sl.spilled) yield sl.spilled;
  }
}
