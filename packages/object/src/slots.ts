/**
 * Slot-level view of instruction bytes. Relocations address 8-byte slots, so the
 * loader works on slots and converts to `Insn[]` (ld_imm64 = one two-slot insn,
 * the `@bpfkit/isa` model) only at the edges.
 */

export interface Slot {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

import type { Insn } from '@bpfkit/isa';
export type { Insn };

export const BPF_LD_IMM64 = 0x18;
export const BPF_CALL = 0x85;
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
export const BPF_PSEUDO_BTF_ID = 3;
export const BPF_PSEUDO_FUNC = 4;
export const BPF_PSEUDO_MAP_IDX = 5;
export const BPF_PSEUDO_MAP_IDX_VALUE = 6;
export const BPF_PSEUDO_CALL = 1;
export const BPF_PSEUDO_KFUNC_CALL = 2;

/** Decodes whole slots (the caller guarantees `bytes.length % 8 === 0`). */
export function decodeSlots(bytes: Uint8Array, littleEndian: boolean): Slot[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Slot[] = [];
  for (let p = 0; p + 8 <= bytes.byteLength; p += 8) {
    const regs = bytes[p + 1];
    out.push({
      code: bytes[p],
      dst: littleEndian ? regs & 15 : regs >> 4,
      src: littleEndian ? regs >> 4 : regs & 15,
      off: dv.getInt16(p + 2, littleEndian),
      imm: dv.getInt32(p + 4, littleEndian),
    });
  }
  return out;
}

export function encodeSlots(slots: readonly Slot[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(slots.length * 8);
  const dv = new DataView(out.buffer);
  slots.forEach((s, k) => {
    const p = k * 8;
    out[p] = s.code;
    out[p + 1] = littleEndian ? ((s.src & 15) << 4) | (s.dst & 15) : ((s.dst & 15) << 4) | (s.src & 15);
    dv.setInt16(p + 2, s.off, littleEndian);
    dv.setInt32(p + 4, s.imm | 0, littleEndian);
  });
  return out;
}

/**
 * Groups slots into instructions: an ld_imm64 with a following slot becomes one `Insn`
 * with `imm2`. Returns the instructions and, for each, its first slot index.
 */
export function slotsToInsns(slots: readonly Slot[]): { insns: Insn[]; slotIndex: number[] } {
  const insns: Insn[] = [];
  const slotIndex: number[] = [];
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k];
    slotIndex.push(k);
    if (s.code === BPF_LD_IMM64 && k + 1 < slots.length) {
      const t = slots[k + 1];
      const i: Insn = { code: s.code, dst: s.dst, src: s.src, off: s.off, imm: s.imm, imm2: t.imm };
      if (t.code !== 0 || t.dst !== 0 || t.src !== 0 || t.off !== 0) i.slot2 = { code: t.code, dst: t.dst, src: t.src, off: t.off };
      insns.push(i);
      k++;
    } else {
      insns.push({ code: s.code, dst: s.dst, src: s.src, off: s.off, imm: s.imm, imm2: 0 });
    }
  }
  return { insns, slotIndex };
}

export const cloneSlot = (s: Slot): Slot => ({ code: s.code, dst: s.dst, src: s.src, off: s.off, imm: s.imm });
