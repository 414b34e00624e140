/**
 * The program as the kernel sees it: one entry per 8-byte slot. The second
 * slot of an `ld_imm64` is a raw pseudo-instruction (code 0, imm = high half),
 * because Linux's indices, jumps and messages all count slots.
 */
import { Op, type Insn } from '@bpfkit/isa';

export interface SlotProgram {
  readonly insns: readonly Insn[];
  /** 1 where the slot is the second half of an ld_imm64. */
  readonly secondHalf: Uint8Array;
  readonly length: number;
}

export function toSlots(insns: readonly Insn[]): SlotProgram {
  const out: Insn[] = [];
  const second: number[] = [];
  for (const i of insns) {
    out.push(i);
    second.push(0);
    if (i.code === Op.LD_IMM64) {
      const s = i.slot2;
      out.push({ code: s?.code ?? 0, dst: s?.dst ?? 0, src: s?.src ?? 0, off: s?.off ?? 0, imm: i.imm2, imm2: 0 });
      second.push(1);
    }
  }
  return { insns: out, secondHalf: Uint8Array.from(second), length: out.length };
}
