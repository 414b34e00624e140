/**
 * Slot-level view of instruction bytes. Relocations address 8-byte slots (an ld_imm64's
 * second half included), so the linker edits slots and turns the result into `Insn[]`
 * with `@bpfkit/isa`'s `decode` only at the end; opcode and pseudo-source numbers are
 * isa's, under libbpf's names.
 */
import { Op, PseudoCall, PseudoLd, type Insn } from '@bpfkit/isa';

export interface Slot {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

export type { Insn };

export const BPF_LD_IMM64 = Op.LD_IMM64;
export const BPF_CALL = Op.CALL;
export const BPF_PSEUDO_MAP_FD = PseudoLd.MAP_FD;
export const BPF_PSEUDO_MAP_VALUE = PseudoLd.MAP_VALUE;
export const BPF_PSEUDO_BTF_ID = PseudoLd.BTF_ID;
export const BPF_PSEUDO_FUNC = PseudoLd.FUNC;
export const BPF_PSEUDO_MAP_IDX = PseudoLd.MAP_IDX;
export const BPF_PSEUDO_MAP_IDX_VALUE = PseudoLd.MAP_IDX_VALUE;
export const BPF_PSEUDO_CALL = PseudoCall.CALL;
export const BPF_PSEUDO_KFUNC_CALL = PseudoCall.KFUNC_CALL;

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

export const cloneSlot = (s: Slot): Slot => ({ code: s.code, dst: s.dst, src: s.src, off: s.off, imm: s.imm });
