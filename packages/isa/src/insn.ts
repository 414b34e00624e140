import { IsaError } from './errors.js';
import { Op } from './opcodes.js';

/**
 * One BPF instruction as plain data. Field values are exactly the encoded ones
 * (no normalisation), so decode → encode is lossless.
 *
 * A `code === 0x18` (`LD | IMM | DW`) instruction occupies two 8-byte slots;
 * `imm2` is the second slot's `imm` (bits 63..32 of the constant). Every
 * other instruction occupies one slot and has `imm2 === 0`.
 *
 * Index conventions: an `Insn[]` holds one entry per instruction; jump
 * displacements, `call pc+N` and "instruction indices" in Linux count slots.
 * Use {@link width}, {@link slotOffsets} and {@link slotCount} to convert.
 */
export interface Insn {
  /** Opcode byte, 0..255. */
  code: number;
  /** Destination register nibble, 0..15. */
  dst: number;
  /** Source register nibble, 0..15 (pseudo source for calls / ld_imm64). */
  src: number;
  /** Signed 16-bit offset. */
  off: number;
  /** Signed 32-bit immediate (for ld_imm64: bits 31..0). */
  imm: number;
  /** ld_imm64 only: signed 32-bit `imm` of the second slot (bits 63..32); 0 otherwise. */
  imm2: number;
  /**
   * ld_imm64 only, and only when the second slot's code/regs/off are non-zero
   * (which Linux rejects with `invalid bpf_ld_imm64 insn`); kept for lossless
   * re-encoding.
   */
  slot2?: { code: number; dst: number; src: number; off: number };
}

/** Makes an instruction; `imm2` defaults to 0. */
export function insn(code: number, dst = 0, src = 0, off = 0, imm = 0, imm2 = 0): Insn {
  return { code, dst, src, off, imm, imm2 };
}

/** Whether `code` is the two-slot `LD | IMM | DW`. */
export const isLdImm64 = (i: Insn): boolean => i.code === Op.LD_IMM64;

/** Number of 8-byte slots the instruction occupies (1 or 2). */
export const width = (i: Insn): 1 | 2 => (i.code === Op.LD_IMM64 ? 2 : 1);

/** The 64-bit constant of an ld_imm64 as an unsigned bigint. */
export function imm64(i: Insn): bigint {
  return (BigInt(i.imm2 >>> 0) << 32n) | BigInt(i.imm >>> 0);
}

/** Builds an ld_imm64; `value` is taken modulo 2^64. */
export function ldImm64(dst: number, value: bigint, src = 0): Insn {
  const v = BigInt.asUintN(64, value);
  return insn(Op.LD_IMM64, dst, src, 0, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
}

/** Total number of slots of a program. */
export function slotCount(insns: readonly Insn[]): number {
  let n = 0;
  for (let k = 0; k < insns.length; k++) n += insns[k].code === Op.LD_IMM64 ? 2 : 1;
  return n;
}

/**
 * `out[k]` = slot index of `insns[k]`; `out[insns.length]` = total slot count.
 */
export function slotOffsets(insns: readonly Insn[], base = 0): Int32Array {
  const out = new Int32Array(insns.length + 1);
  let s = base;
  for (let k = 0; k < insns.length; k++) {
    out[k] = s;
    s += insns[k].code === Op.LD_IMM64 ? 2 : 1;
  }
  out[insns.length] = s;
  return out;
}

/**
 * Inverse of {@link slotOffsets}: `out[slot]` = index into `insns` of the
 * instruction starting at `slot`, or -1 for the second half of an ld_imm64.
 */
export function insnIndexBySlot(insns: readonly Insn[]): Int32Array {
  const out = new Int32Array(slotCount(insns));
  let s = 0;
  for (let k = 0; k < insns.length; k++) {
    out[s++] = k;
    if (insns[k].code === Op.LD_IMM64) out[s++] = -1;
  }
  return out;
}

const isInt = (v: number, lo: number, hi: number): boolean => (v | 0) === v && v >= lo && v <= hi;

/** Describes the first field outside its encodable range, or `undefined`. */
export function encodableProblem(i: Insn): string | undefined {
  if (!isInt(i.code, 0, 255)) return `code ${i.code}`;
  if (!isInt(i.dst, 0, 15)) return `dst ${i.dst}`;
  if (!isInt(i.src, 0, 15)) return `src ${i.src}`;
  if (!isInt(i.off, -32768, 32767)) return `off ${i.off}`;
  if (!isInt(i.imm, -0x80000000, 0x7fffffff)) return `imm ${i.imm}`;
  if (!isInt(i.imm2, -0x80000000, 0x7fffffff)) return `imm2 ${i.imm2}`;
  return undefined;
}

/** Throws {@link IsaError} `BAD_FIELD` if a field is outside its encodable range. */
export function checkEncodable(i: Insn, slot = 0): void {
  const what = encodableProblem(i);
  if (what !== undefined) throw new IsaError('BAD_FIELD', `slot ${slot}: ${what} out of range`, slot, slot * 8);
}

/** Field-wise equality (including `slot2`). */
export function insnEquals(a: Insn, b: Insn): boolean {
  if (a.code !== b.code || a.dst !== b.dst || a.src !== b.src || a.off !== b.off || a.imm !== b.imm || a.imm2 !== b.imm2) return false;
  const x = a.slot2, y = b.slot2;
  if (!x || !y) return !x && !y;
  return x.code === y.code && x.dst === y.dst && x.src === y.src && x.off === y.off;
}
