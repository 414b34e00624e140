/**
 * Opcode constants of the BPF ISA (Linux 6.18 UAPI, RFC 9669).
 *
 * The opcode byte is a bitfield whose layout depends on the class:
 *
 *   ALU / ALU64 / JMP / JMP32        LD / LDX / ST / STX
 *   +--------+---+-------+           +-------+-----+-------+
 *   | op (4) | s | class |           | mode  | size| class |
 *   +--------+---+-------+           +-------+-----+-------+
 *    7      4  3  2     0             7     5 4   3 2     0
 *
 * `s` is the source bit: 0 = K (use `imm`), 8 = X (use the `src` register).
 */

/** Instruction class: `code & 0x07`. */
export const Class = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  /** Requires kernel 5.1. */
  JMP32: 0x06,
  ALU64: 0x07,
} as const;
export type Class = (typeof Class)[keyof typeof Class];

/** Operand source: `code & 0x08`. */
export const Source = { K: 0x00, X: 0x08 } as const;
export type Source = (typeof Source)[keyof typeof Source];

/** ALU / ALU64 operation: `code & 0xf0`. */
export const AluOp = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  /** DIV with `off = 1` is SDIV (6.6+). */
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  /** MOD with `off = 1` is SMOD (6.6+). */
  MOD: 0x90,
  XOR: 0xa0,
  /** MOV X with `off = 8/16/32` is MOVSX (6.6+); ALU64 MOV X with `off = 1` is addr_space_cast. */
  MOV: 0xb0,
  ARSH: 0xc0,
  /** Byte swap; the source bit selects TO_LE (0) / TO_BE (8) for ALU; ALU64 END is BSWAP. */
  END: 0xd0,
} as const;
export type AluOp = (typeof AluOp)[keyof typeof AluOp];

/** Byte-swap direction (source bit of an ALU END). */
export const Endian = { TO_LE: 0x00, TO_BE: 0x08 } as const;

/** JMP / JMP32 operation: `code & 0xf0`. */
export const JmpOp = {
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  CALL: 0x80,
  EXIT: 0x90,
  /** Requires kernel 4.14 (`-mcpu=v2`). */
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
  /** `may_goto` (6.9+) when `src = 0`. */
  JCOND: 0xe0,
} as const;
export type JmpOp = (typeof JmpOp)[keyof typeof JmpOp];

/** Access size for LD/LDX/ST/STX: `code & 0x18`. */
export const Size = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
export type Size = (typeof Size)[keyof typeof Size];

/** Size in bytes, indexed by `size >> 3`. */
export const SIZE_BYTES: readonly number[] = [4, 2, 1, 8];

/** Mode for LD/LDX/ST/STX: `code & 0xe0`. */
export const Mode = {
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  /** Sign-extending load, LDX only (6.6+). */
  MEMSX: 0x80,
  ATOMIC: 0xc0,
} as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** `ST | 0xc0`: kernel-internal speculation barrier, printed `nospec`. */
export const NOSPEC_MODE = 0xc0;

/** Atomic operation codes, carried in `imm` of `STX | ATOMIC`. */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  FETCH: 0x01,
  FETCH_ADD: 0x01,
  FETCH_OR: 0x41,
  FETCH_AND: 0x51,
  FETCH_XOR: 0xa1,
  XCHG: 0xe1,
  CMPXCHG: 0xf1,
  /** 6.15+ (approx.) */
  LOAD_ACQ: 0x100,
  /** 6.15+ (approx.) */
  STORE_REL: 0x110,
} as const;
export type AtomicOp = (typeof AtomicOp)[keyof typeof AtomicOp];

/** `src` values of a two-slot `LD | IMM | DW`. */
export const PseudoLd = {
  NONE: 0,
  MAP_FD: 1,
  MAP_VALUE: 2,
  BTF_ID: 3,
  FUNC: 4,
  MAP_IDX: 5,
  MAP_IDX_VALUE: 6,
} as const;
export type PseudoLd = (typeof PseudoLd)[keyof typeof PseudoLd];

/** `src` values of `JMP | CALL`. */
export const PseudoCall = {
  HELPER: 0,
  /** bpf-to-bpf call, `imm` = relative slot offset. */
  CALL: 1,
  /** kfunc call, `imm` = BTF id, `off` = fd_array index of module BTF (0 = vmlinux). */
  KFUNC_CALL: 2,
} as const;
export type PseudoCall = (typeof PseudoCall)[keyof typeof PseudoCall];

/** `src` of `JMP | JCOND`: may_goto. */
export const BPF_MAY_GOTO = 0;
/** `off` of ALU64 MOV X: arena address space cast. */
export const BPF_ADDR_SPACE_CAST = 1;
/** `off` of ALU64 MOV X: kernel-internal per-CPU address. */
export const BPF_ADDR_PERCPU = -1;

/** Frequently used complete opcode bytes. */
export const Op = {
  LD_IMM64: 0x18,
  CALL: 0x85,
  EXIT: 0x95,
  JA: 0x05,
  JA32: 0x06,
  MAY_GOTO: 0xe5,
  GOTOX: 0x0d,
  NOSPEC: 0xc2,
} as const;

export const cls = (code: number): number => code & 0x07;
export const op = (code: number): number => code & 0xf0;
export const srcBit = (code: number): number => code & 0x08;
export const mode = (code: number): number => code & 0xe0;
export const size = (code: number): number => code & 0x18;
export const isAlu = (code: number): boolean => (code & 0x07) === 0x04 || (code & 0x07) === 0x07;
export const isJmp = (code: number): boolean => (code & 0x07) === 0x05 || (code & 0x07) === 0x06;

/** Register numbers. */
export const Reg = {
  R0: 0, R1: 1, R2: 2, R3: 3, R4: 4, R5: 5, R6: 6, R7: 7, R8: 8, R9: 9,
  /** Read-only frame pointer. */
  R10: 10,
} as const;
/** Number of architectural registers (`MAX_BPF_REG`). */
export const MAX_BPF_REG = 11;
