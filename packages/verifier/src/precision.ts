/**
 * Precision tracking (verifier-core.md §14.4, Linux's `mark_chain_precision` /
 * `backtrack_insn`): scalars in checkpoints are imprecise (match any scalar when
 * pruning) unless a use that needs their exact value was traced back to them.
 *
 * Every state keeps the instructions it executed since its parent checkpoint
 * (`VState.hist`); a request walks that history backwards, turning "this
 * register/slot must be exact here" into "these registers/slots must be exact
 * before", and marks what is left in each parent checkpoint (`Checkpoint.prec`).
 * Anything the walk does not model exactly falls back to marking every scalar of
 * every parent checkpoint precise (Linux's `mark_all_scalars_precise`): sound,
 * prunes less.
 */
import { Class, JmpOp, Op } from '@bpfkit/isa';
import type { Env } from './env.js';
import { STACK_SPILL, T, type Checkpoint, type Frame, type HistEntry, type VState } from './types.js';

/** Key of a register (0..10) or stack slot (spi) in frame `fr` in `Checkpoint.prec`. */
export const regKey = (fr: number, regno: number): number => fr * 1024 + regno;
export const slotKey = (fr: number, spi: number): number => fr * 1024 + 16 + spi;

/** Registers (bitmask) and stack slots still to be traced, per frame. */
class Bt {
  regs: number[] = [];
  slots: Set<number>[] = [];
  reg(fr: number, r: number): boolean {
    return ((this.regs[fr] ?? 0) & (1 << r)) !== 0;
  }
  setReg(fr: number, r: number): void {
    this.regs[fr] = (this.regs[fr] ?? 0) | (1 << r);
  }
  clearReg(fr: number, r: number): void {
    this.regs[fr] = (this.regs[fr] ?? 0) & ~(1 << r);
  }
  slot(fr: number, spi: number): boolean {
    return this.slots[fr]?.has(spi) ?? false;
  }
  setSlot(fr: number, spi: number): void {
    (this.slots[fr] ??= new Set()).add(spi);
  }
  clearSlot(fr: number, spi: number): void {
    this.slots[fr]?.delete(spi);
  }
  empty(): boolean {
    for (const m of this.regs) if (m) return false;
    for (const s of this.slots) if (s && s.size) return false;
    return true;
  }
  anyFrameAbove(fr: number): boolean {
    for (let k = fr + 1; k < Math.max(this.regs.length, this.slots.length); k++) {
      if (this.regs[k] || this.slots[k]?.size) return true;
    }
    return false;
  }
}

class Unsupported extends Error {}

/** Precision marks added so far (all runs): lets a fixpoint see whether a round changed anything. */
let marks = 0;
export const precisionMarkCount = (): number => marks;

/** Marks register `regno` of the current frame as needing its exact value (a use that depends on it). */
export function markRegPrecise(env: Env, regno: number, frame = env.cur.frames.length - 1): void {
  const r = env.cur.frames[frame]?.regs[regno];
  if (!r || r.type !== T.SCALAR) return;
  const bt = new Bt();
  bt.setReg(frame, regno);
  run(env, env.cur, bt);
}

/** Same for a spilled scalar in stack slot `spi` of frame `frame`. */
export function markSlotPrecise(env: Env, frame: number, spi: number): void {
  const bt = new Bt();
  bt.setSlot(frame, spi);
  run(env, env.cur, bt);
}

/** `propagate_precision`: what a checkpoint needed exactly, the pruned path's ancestors need too. */
export function propagatePrecision(env: Env, old: Checkpoint, cur: VState): void {
  if (old.prec.size === 0) return;
  const bt = new Bt();
  for (const k of old.prec) {
    const fr = Math.floor(k / 1024);
    const r = k % 1024;
    const f = cur.frames[fr];
    if (!f) continue;
    if (r < 16) {
      if (f.regs[r]?.type === T.SCALAR) bt.setReg(fr, r);
    } else if (isSpilledScalar(f, r - 16)) bt.setSlot(fr, r - 16);
  }
  if (!bt.empty()) run(env, cur, bt);
}

function isSpilledScalar(f: Frame, spi: number): boolean {
  const sl = f.stack[spi];
  return !!sl && sl.bytes[7] === STACK_SPILL && sl.spilled?.type === T.SCALAR;
}

function run(env: Env, start: VState, bt: Bt): void {
  try {
    walk(env, start, bt);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    markAllPrecise(start);
  }
}

function walk(env: Env, start: VState, bt: Bt): void {
  let hist = start.hist;
  let cp = start.parent;
  for (;;) {
    for (let k = hist.length - 1; k >= 0; k--) {
      backtrackInsn(env, hist[k]!, bt);
      if (bt.empty()) return;
    }
    if (!cp) return;
    const st = cp.state;
    const top = st.frames.length - 1;
    if (bt.anyFrameAbove(top)) throw new Unsupported();
    for (let fr = 0; fr <= top; fr++) {
      const f = st.frames[fr]!;
      const m = bt.regs[fr] ?? 0;
      for (let r = 0; r < 11; r++) {
        if (!(m & (1 << r))) continue;
        const reg = f.regs[r]!;
        const key = regKey(fr, r);
        if (reg.type !== T.SCALAR || cp.prec.has(key)) bt.clearReg(fr, r);
        else {
          cp.prec.add(key);
          marks++;
        }
      }
      const ss = bt.slots[fr];
      if (ss) {
        for (const spi of [...ss]) {
          const key = slotKey(fr, spi);
          if (!isSpilledScalar(f, spi) || cp.prec.has(key)) ss.delete(spi);
          else {
            cp.prec.add(key);
            marks++;
          }
        }
      }
    }
    if (bt.empty()) return;
    hist = st.hist;
    cp = cp.parent;
  }
}

/** `mark_all_scalars_precise` on every checkpoint above `start`. */
function markAllPrecise(start: VState): void {
  for (let cp = start.parent; cp; cp = cp.parent) {
    const st = cp.state;
    st.frames.forEach((f, fr) => {
      f.regs.forEach((r, i) => {
        if (r.type === T.SCALAR && !cp.prec.has(regKey(fr, i))) {
          cp.prec.add(regKey(fr, i));
          marks++;
        }
      });
      f.stack.forEach((_, spi) => {
        if (isSpilledScalar(f, spi) && !cp.prec.has(slotKey(fr, spi))) {
          cp.prec.add(slotKey(fr, spi));
          marks++;
        }
      });
    });
  }
}

/** One instruction backwards (`backtrack_insn`): what its result depended on. */
function backtrackInsn(env: Env, e: HistEntry, bt: Bt): void {
  const insn = env.prog.insns[e.idx]!;
  const fr = e.frame;
  const cls = insn.code & 0x07;
  const x = (insn.code & 0x08) !== 0;
  const dst = insn.dst;
  const src = insn.src;
  if (e.varStack && (bt.slots[e.varStack - 1]?.size ?? 0) > 0) throw new Unsupported();
  if (cls === Class.ALU || cls === Class.ALU64) {
    if (!bt.reg(fr, dst)) return;
    const op = insn.code & 0xf0;
    if (op === 0xb0 /* MOV */) {
      bt.clearReg(fr, dst);
      if (x) bt.setReg(fr, src);
    } else if (x && op !== 0x80 /* NEG */ && op !== 0xd0 /* END */) {
      bt.setReg(fr, src);
    }
    return;
  }
  if (cls === Class.LDX) {
    if (!bt.reg(fr, dst)) return;
    bt.clearReg(fr, dst);
    if (e.slotFrame !== undefined) bt.setSlot(e.slotFrame, e.spi!);
    return;
  }
  if (cls === Class.STX || cls === Class.ST) {
    const mode = insn.code & 0xe0;
    if (cls === Class.STX && mode === 0xc0 /* ATOMIC */) {
      if (e.slotFrame !== undefined && bt.slot(e.slotFrame, e.spi!)) throw new Unsupported();
      if (bt.reg(fr, src) || bt.reg(fr, 0)) throw new Unsupported();
      return;
    }
    if (e.slotFrame === undefined || !bt.slot(e.slotFrame, e.spi!)) return;
    bt.clearSlot(e.slotFrame, e.spi!);
    if (cls === Class.STX) bt.setReg(fr, src);
    return;
  }
  if (cls === Class.LD) {
    if (insn.code === Op.LD_IMM64) {
      bt.clearReg(fr, dst);
      return;
    }
    // ld_abs/ind: R0 is loaded from the packet, R1-R5 are scratched
    bt.clearReg(fr, 0);
    for (let r = 1; r <= 5; r++) if (bt.reg(fr, r)) throw new Unsupported();
    return;
  }
  // jumps
  const op = insn.code & 0xf0;
  if (op === JmpOp.CALL) {
    // entering a callee (subprogram or callback): its argument registers come from ours
    if (bt.anyFrameAbove(fr)) {
      const m = bt.regs[fr + 1] ?? 0;
      const onlyArgs = (m & ~0b111110) === 0 && !(bt.slots[fr + 1]?.size) && !bt.anyFrameAbove(fr + 1);
      if (!onlyArgs || src !== 1) throw new Unsupported();
      bt.regs[fr + 1] = 0;
      for (let r = 1; r <= 5; r++) if (m & (1 << r)) bt.setReg(fr, r);
      return;
    }
    if (src === 1) {
      // a static subprogram's result was traced through its exit already; R1-R5 are scratched by the call
      for (let r = 1; r <= 5; r++) if (bt.reg(fr, r)) throw new Unsupported();
      return;
    }
    // helper or kfunc: R0 is its result
    bt.clearReg(fr, 0);
    for (let r = 1; r <= 5; r++) if (bt.reg(fr, r)) throw new Unsupported();
    return;
  }
  if (op === JmpOp.EXIT) {
    if (fr === 0) return;
    // returning to the caller: the caller's R0 is the callee's R0, except after a callback (the helper sets it)
    if (bt.reg(fr - 1, 0)) {
      bt.clearReg(fr - 1, 0);
      if (!e.cb) bt.setReg(fr, 0);
    }
    return;
  }
  if (op === JmpOp.JA || op === JmpOp.JCOND) return;
  // conditional jump: the refined register depends on the other operand and on its linked registers
  if (e.linked) {
    let any = false;
    for (const k of e.linked) if (keyTracked(bt, k)) any = true;
    if (any) for (const k of e.linked) setKey(bt, k);
  }
  if (x && (bt.reg(fr, dst) || bt.reg(fr, src))) {
    bt.setReg(fr, dst);
    bt.setReg(fr, src);
  }
}

function keyTracked(bt: Bt, k: number): boolean {
  const fr = Math.floor(k / 1024);
  const r = k % 1024;
  return r < 16 ? bt.reg(fr, r) : bt.slot(fr, r - 16);
}
function setKey(bt: Bt, k: number): void {
  const fr = Math.floor(k / 1024);
  const r = k % 1024;
  if (r < 16) bt.setReg(fr, r);
  else bt.setSlot(fr, r - 16);
}

/** The history entry of the instruction being checked (filled by the stack access code). */
export function newHistEntry(env: Env, idx: number): HistEntry {
  const f = env.cur.frames[env.cur.frames.length - 1]!;
  return { idx, frame: env.cur.frames.length - 1, cb: f.inCallback };
}

/** Keys of every register / spilled scalar sharing scalar id `id` (linked registers, §6.6). */
export function linkedKeys(s: VState, id: number): number[] {
  const out: number[] = [];
  s.frames.forEach((f, fr) => {
    f.regs.forEach((r, i) => {
      if (r.type === T.SCALAR && r.id === id) out.push(regKey(fr, i));
    });
    f.stack.forEach((sl, spi) => {
      if (sl.spilled && sl.spilled.type === T.SCALAR && sl.spilled.id === id && sl.bytes[7] === STACK_SPILL) out.push(slotKey(fr, spi));
    });
  });
  return out;
}
