import { helperName } from './helpers.js';
import type { Insn } from './insn.js';
import { AluOp, AtomicOp, BPF_ADDR_PERCPU, BPF_ADDR_SPACE_CAST, BPF_MAY_GOTO, Class, JmpOp, Mode, NOSPEC_MODE, Op, PseudoCall, PseudoLd, Size } from './opcodes.js';

/**
 * Options of the disassembler. Without options the text is what Linux 6.18's
 * `print_bpf_insn()` prints in the verifier log, except for ld_imm64 with a
 * pseudo source, which prints in this package's symbolic syntax (see README)
 * unless `pseudo: 'kernel'` is given.
 */
export interface FormatOptions {
  /** Name of a kfunc (`src = 2` call); the kernel prints `kernel-function` without one. */
  kfuncName?: (insn: Insn) => string | undefined;
  /** Replaces the right-hand side of an ld_imm64 (like the kernel's `cb_imm`). */
  ldImm64?: (insn: Insn) => string | undefined;
  /**
   * `symbolic` (default): `map[fd:N]`, `map[fd:N][0]+OFF`, `btf[id:N]`,
   * `subprog[+N]`, `map[idx:N]`, `map[idx:N]+OFF` (lossless, re-assemblable).
   * `kernel`: the raw 64-bit value in hex, as the verifier log prints it.
   */
  pseudo?: 'symbolic' | 'kernel';
  /** With `pseudo: 'kernel'`: when false (default) src 1/2 values print as `0x0`, as for an unprivileged loader. */
  allowPtrLeaks?: boolean;
}

/** `bpf_alu_string[]` of kernel/bpf/disasm.c, indexed by `op >> 4`. */
export const ALU_OP_TEXT: readonly (string | undefined)[] = [
  '+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 'neg', '%=', '^=', '=', 's>>=', 'endian', undefined, undefined,
];
/** `bpf_jmp_string[]`, indexed by `op >> 4`. */
export const JMP_OP_TEXT: readonly (string | undefined)[] = [
  'jmp', '==', '>', '>=', '&', '!=', 's>', 's>=', 'call', 'exit', '<', '<=', 's<', 's<=', undefined, undefined,
];
/** `bpf_ldst_string[]`, indexed by `size >> 3`. */
export const SIZE_TEXT: readonly string[] = ['u32', 'u16', 'u8', 'u64'];
/** `bpf_ldsx_string[]`, indexed by `size >> 3`. */
export const SIZE_SX_TEXT: readonly (string | undefined)[] = ['s32', 's16', 's8', undefined];
const ATOMIC_ALU_TEXT: Record<number, string> = { 0x00: 'add', 0x40: 'or', 0x50: 'and', 0xa0: 'xor' };
const MOVSX_TEXT: Record<number, string> = { 8: '(s8)', 16: '(s16)', 32: '(s32)' };

const hex2 = (n: number): string => (n < 16 ? '0' : '') + n.toString(16);
/** printf `%+d`. */
export const signed = (n: number): string => (n >= 0 ? '+' + n : String(n));

/** `0x%llx` of `(hi << 32) | lo` (both taken as u32), without bigint. */
export function hex64(lo: number, hi: number): string {
  const l = lo >>> 0, h = hi >>> 0;
  if (h === 0) return '0x' + l.toString(16);
  return '0x' + h.toString(16) + l.toString(16).padStart(8, '0');
}

function bug(prefix: string, code: number): string {
  return `BUG_${prefix}${hex2(code)}`;
}

function formatLdImm64Rhs(i: Insn, opts: FormatOptions | undefined): string {
  if (opts?.ldImm64) {
    const t = opts.ldImm64(i);
    if (t !== undefined) return t;
  }
  const s = i.src;
  if (s === 0) return hex64(i.imm, i.imm2);
  if (opts?.pseudo === 'kernel') {
    if ((s === PseudoLd.MAP_FD || s === PseudoLd.MAP_VALUE) && !opts.allowPtrLeaks) return '0x0';
    return hex64(i.imm, i.imm2);
  }
  return symbolicPseudo(i);
}

/** The lossless symbolic right-hand side for an ld_imm64 with `src ≠ 0`. */
export function symbolicPseudo(i: Insn): string {
  switch (i.src) {
    case PseudoLd.MAP_FD:
      if (i.imm2 === 0) return `map[fd:${i.imm}]`;
      break;
    case PseudoLd.MAP_VALUE:
      return `map[fd:${i.imm}][0]+${i.imm2}`;
    case PseudoLd.BTF_ID:
      return i.imm2 === 0 ? `btf[id:${i.imm}]` : `btf[id:${i.imm}][fd:${i.imm2}]`;
    case PseudoLd.FUNC:
      if (i.imm2 === 0) return `subprog[${signed(i.imm)}]`;
      break;
    case PseudoLd.MAP_IDX:
      if (i.imm2 === 0) return `map[idx:${i.imm}]`;
      break;
    case PseudoLd.MAP_IDX_VALUE:
      return `map[idx:${i.imm}]+${i.imm2}`;
  }
  return `ld_pseudo(${i.src}, ${i.imm}, ${i.imm2})`;
}

function formatAlu(i: Insn, c: number): string {
  const w = c === Class.ALU ? 'w' : 'r';
  const o = i.code & 0xf0;
  if (o === AluOp.END) {
    if (c === Class.ALU64) return `r${i.dst} = bswap${i.imm} r${i.dst}`;
    return `r${i.dst} = ${i.code & 0x08 ? 'be' : 'le'}${i.imm} r${i.dst}`;
  }
  if (o === AluOp.NEG) return `${w}${i.dst} = -${w}${i.dst}`;
  if (i.code === 0xbf && i.off === BPF_ADDR_SPACE_CAST) {
    return `r${i.dst} = addr_space_cast(r${i.src}, ${i.imm >>> 16}, ${i.imm & 0xffff})`;
  }
  if (i.code === 0xbf && i.off === BPF_ADDR_PERCPU) return `r${i.dst} = &(void __percpu *)(r${i.src})`;
  const sdiv = (o === AluOp.DIV || o === AluOp.MOD) && i.off === 1;
  const ops = sdiv ? (o === AluOp.DIV ? 's/=' : 's%=') : ALU_OP_TEXT[o >> 4];
  if (ops === undefined) return bug('', i.code);
  if (i.code & 0x08) {
    const sx = o === AluOp.MOV ? (MOVSX_TEXT[i.off] ?? '') : '';
    return `${w}${i.dst} ${ops} ${sx}${w}${i.src}`;
  }
  return `${w}${i.dst} ${ops} ${i.imm}`;
}

function formatJmp(i: Insn, c: number, opts: FormatOptions | undefined): string {
  const o = i.code & 0xf0;
  if (i.code === 0x8d) return `callx r${i.dst}`; // LLVM's register call; Linux rejects it before printing
  if (o === JmpOp.CALL) {
    if (i.src === PseudoCall.CALL) return `call pc${signed(i.imm)}`;
    let name: string | undefined;
    if (i.src === 0) name = helperName(i.imm);
    if (name === undefined && i.src === PseudoCall.KFUNC_CALL) name = opts?.kfuncName?.(i) ?? 'kernel-function';
    return `call ${name ?? 'unknown'}#${i.imm}`;
  }
  if (i.code === Op.JA) return `goto pc${signed(i.off)}`;
  if (i.code === Op.MAY_GOTO && i.src === BPF_MAY_GOTO) return `may_goto pc${signed(i.off)}`;
  if (i.code === Op.JA32) return `gotol pc${signed(i.imm)}`;
  if (i.code === Op.GOTOX) return `gotox r${i.dst}`;
  if (i.code === Op.EXIT) return 'exit';
  const cmp = JMP_OP_TEXT[o >> 4];
  if (cmp === undefined) return bug('', i.code);
  const w = c === Class.JMP32 ? 'w' : 'r';
  if (i.code & 0x08) return `if ${w}${i.dst} ${cmp} ${w}${i.src} goto pc${signed(i.off)}`;
  return `if ${w}${i.dst} ${cmp} 0x${(i.imm >>> 0).toString(16)} goto pc${signed(i.off)}`;
}

function formatStx(i: Insn): string {
  const m = i.code & 0xe0;
  const sz = SIZE_TEXT[(i.code & 0x18) >> 3];
  const mem = `(r${i.dst} ${signed(i.off)})`;
  if (m === Mode.MEM) return `*(${sz} *)${mem} = r${i.src}`;
  if (m !== Mode.ATOMIC) return bug('', i.code);
  const a = i.imm;
  const n64 = (i.code & 0x18) === Size.DW ? '64' : '';
  switch (a) {
    case AtomicOp.ADD: case AtomicOp.OR: case AtomicOp.AND: case AtomicOp.XOR:
      return `lock *(${sz} *)${mem} ${ALU_OP_TEXT[a >> 4]} r${i.src}`;
    case AtomicOp.FETCH_ADD: case AtomicOp.FETCH_OR: case AtomicOp.FETCH_AND: case AtomicOp.FETCH_XOR:
      return `r${i.src} = atomic${n64}_fetch_${ATOMIC_ALU_TEXT[a & 0xf0]}((${sz} *)${mem}, r${i.src})`;
    case AtomicOp.CMPXCHG:
      return `r0 = atomic${n64}_cmpxchg((${sz} *)${mem}, r0, r${i.src})`;
    case AtomicOp.XCHG:
      return `r${i.src} = atomic${n64}_xchg((${sz} *)${mem}, r${i.src})`;
    case AtomicOp.LOAD_ACQ:
      return `r${i.dst} = load_acquire((${sz} *)(r${i.src} ${signed(i.off)}))`;
    case AtomicOp.STORE_REL:
      return `store_release((${sz} *)${mem}, r${i.src})`;
  }
  return bug('', i.code);
}

/**
 * Disassembles one instruction into the kernel's text, without the `(code)`
 * prefix, e.g. `r1 = *(u64 *)(r10 -8)`. Undecodable instructions give
 * `BUG_…` exactly as the kernel (for opcodes whose kernel text would contain a
 * NULL string this prints `BUG_<code>` instead).
 */
export function formatInsn(i: Insn, opts?: FormatOptions): string {
  const c = i.code & 0x07;
  switch (c) {
    case Class.ALU:
    case Class.ALU64:
      return formatAlu(i, c);
    case Class.JMP:
    case Class.JMP32:
      return formatJmp(i, c, opts);
    case Class.STX:
      return formatStx(i);
    case Class.ST: {
      const m = i.code & 0xe0;
      if (m === Mode.MEM) return `*(${SIZE_TEXT[(i.code & 0x18) >> 3]} *)(r${i.dst} ${signed(i.off)}) = ${i.imm}`;
      if (m === NOSPEC_MODE) return 'nospec';
      return bug('st_', i.code);
    }
    case Class.LDX: {
      const m = i.code & 0xe0;
      const sz = m === Mode.MEM ? SIZE_TEXT[(i.code & 0x18) >> 3] : m === Mode.MEMSX ? SIZE_SX_TEXT[(i.code & 0x18) >> 3] : undefined;
      if (sz === undefined) return bug('ldx_', i.code);
      return `r${i.dst} = *(${sz} *)(r${i.src} ${signed(i.off)})`;
    }
    default: {
      const m = i.code & 0xe0;
      const sz = SIZE_TEXT[(i.code & 0x18) >> 3];
      if (m === Mode.ABS) return `r0 = *(${sz} *)skb[${i.imm}]`;
      if (m === Mode.IND) return `r0 = *(${sz} *)skb[r${i.src} + ${i.imm}]`;
      if (i.code === Op.LD_IMM64) return `r${i.dst} = ${formatLdImm64Rhs(i, opts)}`;
      return bug('ld_', i.code);
    }
  }
}

/** Whether a formatted text is a `BUG_…` line. */
export const isBugText = (text: string): boolean => text.startsWith('BUG_');

/** The kernel line body `(bf) r6 = r1`; `BUG_…` lines carry no code prefix, as in the kernel. */
export function formatInsnWithCode(i: Insn, opts?: FormatOptions): string {
  const t = formatInsn(i, opts);
  return isBugText(t) ? t : `(${hex2(i.code)}) ${t}`;
}

export interface FormatProgramOptions extends FormatOptions {
  /** `verifier` (default): `12: (bf) r6 = r1`; `bpftool`: index right-aligned in 4 columns. */
  style?: 'verifier' | 'bpftool';
  /** Slot index of the first instruction. */
  baseIndex?: number;
}

/** Disassembles a whole program, one line per instruction, indices counting slots. */
export function formatProgram(insns: readonly Insn[], opts: FormatProgramOptions = {}): string {
  const lines: string[] = [];
  let slot = opts.baseIndex ?? 0;
  for (const i of insns) {
    const idx = opts.style === 'bpftool' ? String(slot).padStart(4, ' ') : String(slot);
    lines.push(`${idx}: ${formatInsnWithCode(i, opts)}`);
    slot += i.code === Op.LD_IMM64 ? 2 : 1;
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
