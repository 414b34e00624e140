import type { Insn } from './insn.js';
import { AluOp, AtomicOp, BPF_ADDR_SPACE_CAST, BPF_MAY_GOTO, Class, JmpOp, Mode, Op, PseudoCall, PseudoLd, Size } from './opcodes.js';

/**
 * Opcodes Linux 6.18 knows (`bpf_opcode_in_insntable()`, kernel/bpf/core.c),
 * plus `gotox` (`0x0d`), which the spec lists as post-6.18 but parses.
 */
const KNOWN = new Uint8Array(256);
(function fill(): void {
  const aluOps = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0];
  for (const c of [Class.ALU, Class.ALU64]) {
    for (const o of aluOps) KNOWN[o | c] = KNOWN[o | 0x08 | c] = 1;
    KNOWN[AluOp.NEG | c] = 1;
  }
  KNOWN[0xd4] = KNOWN[0xdc] = KNOWN[0xd7] = 1;
  const jmpOps = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
  for (const c of [Class.JMP, Class.JMP32]) for (const o of jmpOps) KNOWN[o | c] = KNOWN[o | 0x08 | c] = 1;
  for (const c of [Op.CALL, Op.EXIT, Op.JA, Op.JA32, Op.MAY_GOTO, Op.GOTOX]) KNOWN[c] = 1;
  for (const s of [Size.W, Size.H, Size.B, Size.DW]) {
    KNOWN[Class.STX | Mode.ATOMIC | s] = 1;
    KNOWN[Class.STX | Mode.MEM | s] = 1;
    KNOWN[Class.ST | Mode.MEM | s] = 1;
    KNOWN[Class.LDX | Mode.MEM | s] = 1;
    if (s !== Size.DW) {
      KNOWN[Class.LDX | Mode.MEMSX | s] = 1;
      KNOWN[Class.LD | Mode.ABS | s] = 1;
      KNOWN[Class.LD | Mode.IND | s] = 1;
    }
  }
  KNOWN[Op.LD_IMM64] = 1;
})();

/** Whether the kernel's opcode table contains `code`. */
export const isKnownOpcode = (code: number): boolean => KNOWN[code & 0xff] === 1;

/** A decode-level problem: the instruction (array index and slot index) and the exact kernel message. */
export interface IsaIssue {
  index: number;
  slot: number;
  message: string;
}

/**
 * The checks Linux runs over the whole program before exploring it
 * (`resolve_pseudo_ldimm64()`), in the kernel's order; returns the first
 * failure. Messages: `BPF_LDX uses reserved fields`, `invalid bpf_ld_imm64
 * insn`, `unrecognized bpf_ld_imm64 insn`, `unknown opcode %02x`. A truncated
 * ld_imm64 cannot be represented as an `Insn` — `decode` throws an
 * `IsaError` whose `kernelMessage` is `invalid bpf_ld_imm64 insn`.
 */
export function validateProgram(insns: readonly Insn[], baseIndex = 0): IsaIssue | undefined {
  let slot = baseIndex;
  for (let k = 0; k < insns.length; k++) {
    const message = upfrontCheck(insns[k]);
    if (message !== undefined) return { index: k, slot, message };
    slot += insns[k].code === Op.LD_IMM64 ? 2 : 1;
  }
  return undefined;
}

/** The up-front check of {@link validateProgram} for one instruction. */
export function upfrontCheck(i: Insn): string | undefined {
  const c = i.code;
  if ((c & 0x07) === Class.LDX && (((c & 0xe0) !== Mode.MEM && (c & 0xe0) !== Mode.MEMSX) || i.imm !== 0)) {
    return 'BPF_LDX uses reserved fields';
  }
  if (c === Op.LD_IMM64) {
    const s2 = i.slot2;
    if (s2 && (s2.code !== 0 || s2.dst !== 0 || s2.src !== 0 || s2.off !== 0)) return 'invalid bpf_ld_imm64 insn';
    switch (i.src) {
      case PseudoLd.NONE: case PseudoLd.BTF_ID: case PseudoLd.FUNC:
      case PseudoLd.MAP_VALUE: case PseudoLd.MAP_IDX_VALUE:
        return undefined;
      case PseudoLd.MAP_FD: case PseudoLd.MAP_IDX:
        return i.imm2 === 0 ? undefined : 'unrecognized bpf_ld_imm64 insn';
      default:
        return 'unrecognized bpf_ld_imm64 insn';
    }
  }
  if (!isKnownOpcode(c)) return `unknown opcode ${(c & 0xff).toString(16).padStart(2, '0')}`;
  return undefined;
}

function checkAlu(i: Insn): string | undefined {
  const o = i.code & 0xf0;
  const x = (i.code & 0x08) !== 0;
  const alu64 = (i.code & 0x07) === Class.ALU64;
  if (o === AluOp.NEG) {
    return x || i.src !== 0 || i.off !== 0 || i.imm !== 0 ? 'BPF_NEG uses reserved fields' : undefined;
  }
  if (o === AluOp.END) {
    return i.src !== 0 || i.off !== 0 || (i.imm !== 16 && i.imm !== 32 && i.imm !== 64) || (alu64 && x)
      ? 'BPF_END uses reserved fields' : undefined;
  }
  if (o === AluOp.MOV) {
    if (x) {
      if (!alu64) return (i.off !== 0 && i.off !== 8 && i.off !== 16) || i.imm !== 0 ? 'BPF_MOV uses reserved fields' : undefined;
      if (i.off === BPF_ADDR_SPACE_CAST) {
        return i.imm !== 1 && i.imm !== 0x10000 ? 'addr_space_cast insn can only convert between address space 1 and 0' : undefined;
      }
      return (i.off !== 0 && i.off !== 8 && i.off !== 16 && i.off !== 32) || i.imm !== 0 ? 'BPF_MOV uses reserved fields' : undefined;
    }
    return i.src !== 0 || i.off !== 0 ? 'BPF_MOV uses reserved fields' : undefined;
  }
  if (o > AluOp.END) return `invalid BPF_ALU opcode ${o.toString(16)}`;
  const badOff = (i.off !== 0 && i.off !== 1) || (i.off === 1 && o !== AluOp.MOD && o !== AluOp.DIV);
  if ((x ? i.imm !== 0 : i.src !== 0) || badOff) return 'BPF_ALU uses reserved fields';
  return undefined;
}

function checkJmp(i: Insn): string | undefined {
  const o = i.code & 0xf0;
  const x = (i.code & 0x08) !== 0;
  const j32 = (i.code & 0x07) === Class.JMP32;
  if (o === JmpOp.CALL) {
    return x || (i.src !== PseudoCall.KFUNC_CALL && i.off !== 0) ||
      (i.src !== 0 && i.src !== PseudoCall.CALL && i.src !== PseudoCall.KFUNC_CALL) || i.dst !== 0 || j32
      ? 'BPF_CALL uses reserved fields' : undefined;
  }
  if (o === JmpOp.JA) {
    if (i.code === Op.GOTOX) return i.src !== 0 || i.off !== 0 || i.imm !== 0 ? 'BPF_JA|BPF_X uses reserved fields' : undefined;
    return x || i.src !== 0 || i.dst !== 0 || (!j32 && i.imm !== 0) || (j32 && i.off !== 0) ? 'BPF_JA uses reserved fields' : undefined;
  }
  if (o === JmpOp.EXIT) {
    return x || i.imm !== 0 || i.src !== 0 || i.dst !== 0 || j32 ? 'BPF_EXIT uses reserved fields' : undefined;
  }
  if (o > JmpOp.JCOND) return `invalid BPF_JMP/JMP32 opcode ${o.toString(16)}`;
  if (o === JmpOp.JCOND) {
    return i.code !== Op.MAY_GOTO || i.src !== BPF_MAY_GOTO || i.dst !== 0 || i.imm !== 0 ? `invalid may_goto imm ${i.imm}` : undefined;
  }
  return (x ? i.imm !== 0 : i.src !== 0) ? 'BPF_JMP/JMP32 uses reserved fields' : undefined;
}

/**
 * The per-instruction field checks the kernel applies when it reaches an
 * instruction (`check_alu_op`, `do_check`, `check_atomic`, `check_ld_*`);
 * returns the exact message or `undefined`. Register-number, type and the
 * constant-operand checks ({@link checkConstOperand}) are not included.
 * Apply {@link upfrontCheck} first: unknown opcodes are not re-diagnosed.
 */
export function checkInsn(i: Insn): string | undefined {
  const c = i.code & 0x07;
  const m = i.code & 0xe0;
  switch (c) {
    case Class.ALU: case Class.ALU64:
      return checkAlu(i);
    case Class.JMP: case Class.JMP32:
      return checkJmp(i);
    case Class.LDX:
      return undefined; // mode and imm are checked up front
    case Class.STX:
      if (m === Mode.ATOMIC) {
        switch (i.imm) {
          case AtomicOp.ADD: case AtomicOp.OR: case AtomicOp.AND: case AtomicOp.XOR:
          case AtomicOp.FETCH_ADD: case AtomicOp.FETCH_OR: case AtomicOp.FETCH_AND: case AtomicOp.FETCH_XOR:
          case AtomicOp.XCHG: case AtomicOp.CMPXCHG: {
            const s = i.code & 0x18;
            return s !== Size.W && s !== Size.DW ? 'invalid atomic operand size' : undefined;
          }
          case AtomicOp.LOAD_ACQ: case AtomicOp.STORE_REL:
            return undefined;
          default:
            return `BPF_ATOMIC uses invalid atomic opcode ${(i.imm >>> 0).toString(16).padStart(2, '0')}`;
        }
      }
      return m !== Mode.MEM || i.imm !== 0 ? 'BPF_STX uses reserved fields' : undefined;
    case Class.ST:
      return m !== Mode.MEM || i.src !== 0 ? 'BPF_ST uses reserved fields' : undefined;
    default:
      if (m === Mode.ABS || m === Mode.IND) {
        return i.dst !== 0 || i.off !== 0 || (i.code & 0x18) === Size.DW || (m === Mode.ABS && i.src !== 0)
          ? 'BPF_LD_[ABS|IND] uses reserved fields' : undefined;
      }
      if (m === Mode.IMM) {
        if ((i.code & 0x18) !== Size.DW) return 'invalid BPF_LD_IMM insn';
        return i.off !== 0 ? 'BPF_LD_[ABS|IND|IMM] uses reserved fields' : undefined;
      }
      return 'invalid BPF_LD mode';
  }
}

/** Constant-operand checks of ALU K forms: `div by zero`, `invalid shift %d`. */
export function checkConstOperand(i: Insn): string | undefined {
  const c = i.code & 0x07;
  if ((c !== Class.ALU && c !== Class.ALU64) || (i.code & 0x08) !== 0) return undefined;
  const o = i.code & 0xf0;
  if ((o === AluOp.DIV || o === AluOp.MOD) && i.imm === 0) return 'div by zero';
  if (o === AluOp.LSH || o === AluOp.RSH || o === AluOp.ARSH) {
    const width = c === Class.ALU64 ? 64 : 32;
    if (i.imm < 0 || i.imm >= width) return `invalid shift ${i.imm}`;
  }
  return undefined;
}

/**
 * Whether the instruction's kernel text shows every field it uses, so that
 * `assemble(formatInsn(i))` reproduces it: known opcode, no reserved-field
 * violation, and none of the few kernel-accepted fields the text omits
 * (`exit` with `off ≠ 0`, kfunc call with module `off ≠ 0`).
 */
export function isCanonical(i: Insn): boolean {
  if (upfrontCheck(i) !== undefined || checkInsn(i) !== undefined) return false;
  if (i.code === Op.EXIT && i.off !== 0) return false;
  if (i.code === Op.CALL && i.off !== 0) return false;
  return true;
}
