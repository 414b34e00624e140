/**
 * Static register liveness (verifier-core.md §14.5, Linux 6.18's `compute_live_registers`): for every
 * instruction, the registers some path from it may read before writing them. A checkpoint's register that is
 * dead at its instruction matches anything when pruning. Conservative where unsure (a call reads R1-R5).
 */
import { Class, JmpOp, Op } from '@bpfkit/isa';
import type { CfgInfo } from './cfg.js';
import type { SlotProgram } from './program.js';

const ARGS = 0b111110;
const CALLER_SAVED = 0b111111;

/** use/def masks of one instruction; `succ` its successors inside the subprogram. */
function useDef(p: SlotProgram, i: number): { use: number; def: number; succ: number[] } {
  const insn = p.insns[i]!;
  const cls = insn.code & 0x07;
  const d = 1 << insn.dst;
  const s = 1 << insn.src;
  const x = (insn.code & 0x08) !== 0;
  const next = i + (insn.code === Op.LD_IMM64 ? 2 : 1);
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const op = insn.code & 0xf0;
      if (op === 0xb0) return { use: x ? s : 0, def: d, succ: [next] };
      return { use: d | (x ? s : 0), def: d, succ: [next] };
    }
    case Class.LDX:
      return { use: s, def: d, succ: [next] };
    case Class.ST:
      return { use: d, def: 0, succ: [next] };
    case Class.STX:
      // atomics may read/write R0 and the source
      if ((insn.code & 0xe0) === 0xc0) return { use: d | s | 1, def: 0, succ: [next] };
      return { use: d | s, def: 0, succ: [next] };
    case Class.LD:
      if (insn.code === Op.LD_IMM64) return { use: 0, def: d, succ: [next] };
      // ld_abs/ind: ctx in R6, index register, R0 result, R1-R5 scratched
      return { use: (1 << 6) | (x ? s : 0), def: CALLER_SAVED, succ: [next] };
    default: {
      const op = insn.code & 0xf0;
      if (op === JmpOp.CALL) return { use: ARGS, def: CALLER_SAVED, succ: [next] };
      if (op === JmpOp.EXIT) return { use: 1, def: 0, succ: [] };
      if (op === JmpOp.JA) return { use: 0, def: 0, succ: [cls === Class.JMP32 ? i + insn.imm + 1 : i + insn.off + 1] };
      if (op === JmpOp.JCOND) return { use: 0, def: 0, succ: [next, i + insn.off + 1] };
      return { use: d | (x ? s : 0), def: 0, succ: [next, i + insn.off + 1] };
    }
  }
}

/** Registers live before each instruction (bit i = Ri); R10 always. */
export function liveRegsBefore(p: SlotProgram, cfg: CfgInfo): Uint16Array {
  const n = p.length;
  const live = new Uint16Array(n);
  const info: ({ use: number; def: number; succ: number[] } | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) if (!p.secondHalf[i]) info[i] = useDef(p, i);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const u = info[i];
      if (!u) continue;
      const sp = cfg.subprogOf[i]!;
      let out = 0;
      for (const t of u.succ) if (t >= 0 && t < n && cfg.subprogOf[t] === sp) out |= live[t]!;
      const v = (u.use | (out & ~u.def) | (1 << 10)) & 0x7ff;
      if (v !== live[i]) {
        live[i] = v;
        changed = true;
      }
    }
  }
  return live;
}
