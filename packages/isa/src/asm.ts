import { Cursor, type RegTok } from './asm-cursor.js';
import { AsmError } from './errors.js';
import { HELPER_NAMES, helperId } from './helpers.js';
import { type Insn, insn, ldImm64 } from './insn.js';
import { AluOp, AtomicOp, BPF_ADDR_PERCPU, BPF_ADDR_SPACE_CAST, Class, JmpOp, Mode, Op, PseudoCall, PseudoLd, Size } from './opcodes.js';

/** Where a label reference must be patched. */
interface Fixup {
  index: number;
  slot: number;
  field: 'off' | 'imm';
  label: string;
  /** `call name` may also name a helper. */
  call: boolean;
  line: number;
  col: number;
}

const ALU_ASSIGN = ['s>>=', '<<=', '>>=', 's/=', 's%=', '+=', '-=', '*=', '/=', '|=', '&=', '%=', '^=', '='] as const;
const ALU_BY_TEXT: Record<string, [op: number, off: number]> = {
  '+=': [AluOp.ADD, 0], '-=': [AluOp.SUB, 0], '*=': [AluOp.MUL, 0], '/=': [AluOp.DIV, 0], '|=': [AluOp.OR, 0],
  '&=': [AluOp.AND, 0], '<<=': [AluOp.LSH, 0], '>>=': [AluOp.RSH, 0], '%=': [AluOp.MOD, 0], '^=': [AluOp.XOR, 0],
  '=': [AluOp.MOV, 0], 's>>=': [AluOp.ARSH, 0], 's/=': [AluOp.DIV, 1], 's%=': [AluOp.MOD, 1],
};
const CMP_TEXT = ['s>=', 's<=', '==', '!=', '>=', '<=', 's>', 's<', '>', '<', '&'] as const;
const CMP_BY_TEXT: Record<string, number> = {
  '==': JmpOp.JEQ, '!=': JmpOp.JNE, '>': JmpOp.JGT, '>=': JmpOp.JGE, '<': JmpOp.JLT, '<=': JmpOp.JLE, '&': JmpOp.JSET,
  's>': JmpOp.JSGT, 's>=': JmpOp.JSGE, 's<': JmpOp.JSLT, 's<=': JmpOp.JSLE,
};
const SIZE_BY_TEXT: Record<string, [size: number, sx: boolean]> = {
  u32: [Size.W, false], u16: [Size.H, false], u8: [Size.B, false], u64: [Size.DW, false],
  s32: [Size.W, true], s16: [Size.H, true], s8: [Size.B, true],
};
const LOCK_OPS: Record<string, number> = { '+=': AtomicOp.ADD, '|=': AtomicOp.OR, '&=': AtomicOp.AND, '^=': AtomicOp.XOR };
const FETCH_OPS: Record<string, number> = { add: AtomicOp.FETCH_ADD, or: AtomicOp.FETCH_OR, and: AtomicOp.FETCH_AND, xor: AtomicOp.FETCH_XOR };

/** Per-line parse context. */
class LineParser {
  /** Set by a parse method when the instruction's target is a label. */
  pending: Omit<Fixup, 'index' | 'slot'> | undefined;

  constructor(readonly cur: Cursor) {}

  private sameWidth(a: RegTok, b: RegTok): void {
    if (a.w !== b.w) this.cur.fail(`register ${b.w ? 'w' : 'r'}${b.n} must be spelled with '${a.w ? 'w' : 'r'}' like the destination`, b.col);
  }

  private sameReg(a: RegTok, b: RegTok, what: string): void {
    this.sameWidth(a, b);
    if (a.n !== b.n) this.cur.fail(`${what} must repeat register ${a.w ? 'w' : 'r'}${a.n}`, b.col);
  }

  private rReg(): RegTok {
    const r = this.cur.reg();
    if (r.w) this.cur.fail(`expected an 'r' register here, got w${r.n}`, r.col);
    return r;
  }

  /** `(sz *)`, after the opening `(` has been consumed by the caller when `open` is false. */
  private sizeCast(open = true): [size: number, sx: boolean, col: number] {
    const c = this.cur;
    if (open) c.expect('(');
    c.ws();
    const col = c.col;
    const t = c.ident();
    const s = t === undefined ? undefined : SIZE_BY_TEXT[t];
    if (!s) return c.fail('expected a size type (u8, u16, u32, u64, s8, s16, s32)', col);
    c.expect('*');
    c.expect(')');
    return [s[0], s[1], col];
  }

  /** `(rN OFF)` */
  private memRef(): [reg: number, off: number] {
    const c = this.cur;
    c.expect('(');
    const r = this.rReg();
    const off = c.peek(')') ? 0 : c.signedOff();
    c.expect(')');
    return [r.n, off];
  }

  /** A jump target: `pc+N`, `+N`/`-N`, or a label (recorded in `pending`). */
  private target(field: 'off' | 'imm', call = false): number {
    const c = this.cur;
    c.ws();
    const col = c.col;
    if (/^pc\s*[+-]/.test(c.rest())) {
      c.pos += 2;
      return field === 'off' ? c.int(-32768, 32767, 'jump displacement') : c.int(-0x80000000, 0x7fffffff, 'jump displacement');
    }
    if (c.peek('+') || c.peek('-')) {
      return field === 'off' ? c.int(-32768, 32767, 'jump displacement') : c.imm32('jump displacement');
    }
    const label = c.ident();
    if (label === undefined) return c.fail("expected a jump target ('pc+N' or a label)", col);
    this.pending = { field, label, call, line: c.line, col };
    return 0;
  }

  parse(): Insn {
    const c = this.cur;
    c.ws();
    const col = c.col;
    if (c.peekReg()) return this.assign();
    if (c.eat('*')) return this.store();
    const word = c.ident();
    switch (word) {
      case 'exit': return insn(Op.EXIT);
      case 'nospec': return insn(Op.NOSPEC);
      case 'goto': return insn(Op.JA, 0, 0, this.target('off'));
      case 'gotol': return insn(Op.JA32, 0, 0, 0, this.target('imm'));
      case 'may_goto': return insn(Op.MAY_GOTO, 0, 0, this.target('off'));
      case 'gotox': return insn(Op.GOTOX, this.rReg().n);
      case 'callx': return insn(0x8d, this.rReg().n);
      case 'call': return this.call();
      case 'if': return this.cond();
      case 'lock': {
        c.expect('*');
        const [size] = this.sizeCast();
        const [dst, off] = this.memRef();
        const o = c.oneOf(['+=', '|=', '&=', '^='], "an atomic operator ('+=', '|=', '&=', '^=')");
        return insn(Class.STX | Mode.ATOMIC | size, dst, this.rReg().n, off, LOCK_OPS[o]);
      }
      case 'store_release': {
        c.expect('(');
        const [size] = this.sizeCast();
        const [dst, off] = this.memRef();
        c.expect(',');
        const src = this.rReg().n;
        c.expect(')');
        return insn(Class.STX | Mode.ATOMIC | size, dst, src, off, AtomicOp.STORE_REL);
      }
    }
    return c.fail(word === undefined ? 'expected an instruction' : `unknown instruction '${word}'`, col);
  }

  private store(): Insn {
    const c = this.cur;
    const [size, sx, scol] = this.sizeCast();
    if (sx) c.fail('stores take an unsigned size type', scol);
    const [dst, off] = this.memRef();
    c.expect('=');
    if (c.peekReg()) return insn(Class.STX | Mode.MEM | size, dst, this.rReg().n, off);
    return insn(Class.ST | Mode.MEM | size, dst, 0, off, c.imm32());
  }

  private call(): Insn {
    const c = this.cur;
    c.ws();
    const col = c.col;
    if (c.peekNum()) return insn(Op.CALL, 0, 0, 0, c.imm32('helper id'));
    if (/^pc\s*[+-]/.test(c.rest())) {
      const imm = this.target('imm');
      if (c.eat('#')) c.pos = c.s.length; // bpftool's `call pc+2#bpf_prog_<tag>_<name>`
      return insn(Op.CALL, 0, PseudoCall.CALL, 0, imm);
    }
    const name = c.ident();
    if (name === undefined) return c.fail('expected a call target', col);
    if (!c.eat('#')) {
      this.pending = { field: 'imm', label: name, call: true, line: c.line, col };
      return insn(Op.CALL, 0, PseudoCall.CALL);
    }
    const imm = c.imm32('call id');
    if (name === 'kfunc') return insn(Op.CALL, 0, PseudoCall.KFUNC_CALL, 0, imm);
    if (name === 'unknown') return insn(Op.CALL, 0, 0, 0, imm);
    if (name.startsWith('bpf_') && imm >= 0 && imm < HELPER_NAMES.length && name === 'bpf_' + HELPER_NAMES[imm]) {
      return insn(Op.CALL, 0, 0, 0, imm);
    }
    const hid = name.startsWith('bpf_') ? helperId(name) : undefined;
    if (hid !== undefined) c.fail(`helper ${name} has id #${hid}, not #${imm}`, col, 'UNKNOWN_NAME');
    return insn(Op.CALL, 0, PseudoCall.KFUNC_CALL, 0, imm);
  }

  private cond(): Insn {
    const c = this.cur;
    const d = c.reg();
    const cmp = c.oneOf(CMP_TEXT, 'a comparison operator');
    const cls = d.w ? Class.JMP32 : Class.JMP;
    let code: number, src = 0, imm = 0;
    if (c.peekReg()) {
      const s = c.reg();
      this.sameWidth(d, s);
      code = CMP_BY_TEXT[cmp] | 0x08 | cls;
      src = s.n;
    } else {
      code = CMP_BY_TEXT[cmp] | cls;
      imm = c.imm32();
    }
    c.ws();
    const gcol = c.col;
    if (c.ident() !== 'goto') c.fail("expected 'goto'", gcol);
    return insn(code, d.n, src, this.target('off'), imm);
  }

  private assign(): Insn {
    const c = this.cur;
    const d = c.reg();
    const cls = d.w ? Class.ALU : Class.ALU64;
    const opText = c.oneOf(ALU_ASSIGN, 'an assignment operator');
    const [aop, aoff] = ALU_BY_TEXT[opText];
    if (opText !== '=') {
      if (c.peekReg()) {
        const s = c.reg();
        this.sameWidth(d, s);
        return insn(aop | 0x08 | cls, d.n, s.n, aoff);
      }
      return insn(aop | cls, d.n, 0, aoff, c.imm32());
    }
    return this.assignRhs(d, cls);
  }

  private assignRhs(d: RegTok, cls: number): Insn {
    const c = this.cur;
    c.ws();
    const col = c.col;
    if (c.peekReg()) {
      const s = c.reg();
      this.sameWidth(d, s);
      return insn(AluOp.MOV | 0x08 | cls, d.n, s.n);
    }
    if (c.peek('-') && !c.peekNum()) {
      c.expect('-');
      this.sameReg(d, c.reg(), 'negation');
      return insn(AluOp.NEG | cls, d.n);
    }
    if (c.peekNum()) return this.movImm(d, cls);
    if (c.eat('&(')) {
      for (const t of ['void', '__percpu', '*', ')', '(']) c.expect(t);
      const s = this.rReg();
      c.expect(')');
      if (d.w) c.fail('per-CPU address needs an r destination', d.col);
      return insn(AluOp.MOV | 0x08 | Class.ALU64, d.n, s.n, BPF_ADDR_PERCPU);
    }
    if (c.eat('*')) return this.load(d);
    if (c.eat('(')) {
      const t = c.ident();
      const sx = t === 's8' ? 8 : t === 's16' ? 16 : t === 's32' ? 32 : 0;
      if (!sx) c.fail('expected a sign-extension cast (s8, s16, s32)', col + 1);
      c.expect(')');
      const s = c.reg();
      this.sameWidth(d, s);
      return insn(AluOp.MOV | 0x08 | cls, d.n, s.n, sx);
    }
    const word = c.ident();
    if (word === undefined) return c.fail('expected an operand', col);
    const end = /^(le|be|bswap)(\d+)$/.exec(word);
    if (end) {
      if (d.w) c.fail('byte swaps are written with r registers', d.col);
      this.sameReg(d, c.reg(), 'byte swap');
      const code = end[1] === 'bswap' ? AluOp.END | Class.ALU64 : AluOp.END | Class.ALU | (end[1] === 'be' ? 0x08 : 0);
      return insn(code, d.n, 0, 0, Number(end[2]) | 0);
    }
    if (d.w) c.fail(`'${word}' needs an r destination`, d.col);
    switch (word) {
      case 'addr_space_cast': {
        c.expect('(');
        const s = this.rReg();
        c.expect(',');
        const a = c.int(0, 0xffff, 'address space');
        c.expect(',');
        const b = c.int(0, 0xffff, 'address space');
        c.expect(')');
        return insn(AluOp.MOV | 0x08 | Class.ALU64, d.n, s.n, BPF_ADDR_SPACE_CAST, ((a << 16) | b) | 0);
      }
      case 'load_acquire': {
        c.expect('(');
        const [size] = this.sizeCast();
        const [src, off] = this.memRef();
        c.expect(')');
        return insn(Class.STX | Mode.ATOMIC | size, d.n, src, off, AtomicOp.LOAD_ACQ);
      }
      case 'map': case 'btf': case 'subprog': case 'ld_pseudo':
        return this.pseudo(d, word);
    }
    const am = /^atomic(64)?_(fetch_(add|or|and|xor)|xchg|cmpxchg)$/.exec(word);
    if (am) return this.atomic(d, am[2], am[3]);
    return c.fail(`unknown operand '${word}'`, col);
  }

  private movImm(d: RegTok, cls: number): Insn {
    const c = this.cur;
    const { v, col, hex } = c.bigint();
    const ll = c.peek('ll') ? (c.ident(), true) : false;
    if (!d.w && (hex || ll)) {
      if (v < -(1n << 63n) || v >= 1n << 64n) c.fail('64-bit immediate out of range', col, 'RANGE');
      return ldImm64(d.n, v);
    }
    if (ll) c.fail("'ll' needs an r destination", col);
    if (v < -0x80000000n || v > 0xffffffffn) c.fail(`immediate ${v} out of range [-2147483648, 4294967295]`, col, 'RANGE');
    return insn(AluOp.MOV | cls, d.n, 0, 0, Number(v) | 0);
  }

  private load(d: RegTok): Insn {
    const c = this.cur;
    if (d.w) c.fail('loads are written with an r destination', d.col);
    const [size, sx, scol] = this.sizeCast();
    if (c.eat('skb[')) {
      if (sx) c.fail('packet loads take an unsigned size type', scol);
      if (d.n !== 0) c.fail('packet loads always write r0', d.col);
      if (c.peekReg()) {
        const s = this.rReg();
        c.expect('+');
        const imm = c.imm32();
        c.expect(']');
        return insn(Class.LD | Mode.IND | size, 0, s.n, 0, imm);
      }
      const imm = c.imm32();
      c.expect(']');
      return insn(Class.LD | Mode.ABS | size, 0, 0, 0, imm);
    }
    if (sx && size === Size.DW) c.fail('no sign-extending 64-bit load', scol);
    const [src, off] = this.memRef();
    return insn(Class.LDX | (sx ? Mode.MEMSX : Mode.MEM) | size, d.n, src, off);
  }

  private atomic(d: RegTok, kind: string, fetchOp: string | undefined): Insn {
    const c = this.cur;
    c.expect('(');
    const [size] = this.sizeCast();
    const [dst, off] = this.memRef();
    c.expect(',');
    const code = Class.STX | Mode.ATOMIC | size;
    if (kind === 'cmpxchg') {
      if (d.n !== 0) c.fail('cmpxchg always writes r0', d.col);
      const r0 = this.rReg();
      if (r0.n !== 0) c.fail('cmpxchg compares with r0', r0.col);
      c.expect(',');
      const s = this.rReg();
      c.expect(')');
      return insn(code, dst, s.n, off, AtomicOp.CMPXCHG);
    }
    this.sameReg(d, this.rReg(), 'atomic operand');
    c.expect(')');
    return insn(code, dst, d.n, off, kind === 'xchg' ? AtomicOp.XCHG : FETCH_OPS[fetchOp!]);
  }

  /** `map[fd:N]`, `map[fd:N][0]+OFF`, `map[idx:N]`, `map[idx:N]+OFF`, `btf[id:N]`, `btf[id:N][fd:M]`, `subprog[+N]`, `ld_pseudo(S, IMM, HI)`. */
  private pseudo(d: RegTok, word: string): Insn {
    const c = this.cur;
    const mk = (src: number, imm: number, hi: number): Insn => insn(Op.LD_IMM64, d.n, src, 0, imm, hi);
    if (word === 'ld_pseudo') {
      c.expect('(');
      const s = c.int(0, 15, 'pseudo source');
      c.expect(',');
      const imm = c.imm32();
      c.expect(',');
      const hi = c.imm32();
      c.expect(')');
      return mk(s, imm, hi);
    }
    c.expect('[');
    if (word === 'subprog') {
      const imm = this.target('imm');
      c.expect(']');
      return mk(PseudoLd.FUNC, imm, 0);
    }
    if (word === 'btf') {
      c.expect('id');
      c.expect(':');
      const imm = c.imm32('BTF id');
      c.expect(']');
      let hi = 0;
      if (c.eat('[')) {
        c.expect('fd');
        c.expect(':');
        hi = c.imm32('BTF fd');
        c.expect(']');
      }
      return mk(PseudoLd.BTF_ID, imm, hi);
    }
    const kind = c.oneOf(['fd', 'idx'], "'fd' or 'idx'");
    c.expect(':');
    const imm = c.imm32(kind === 'fd' ? 'map fd' : 'map index');
    c.expect(']');
    if (kind === 'fd') {
      if (!c.eat('[')) return mk(PseudoLd.MAP_FD, imm, 0);
      c.expect('0');
      c.expect(']');
      c.expect('+');
      return mk(PseudoLd.MAP_VALUE, imm, c.imm32('value offset'));
    }
    if (!c.eat('+')) return mk(PseudoLd.MAP_IDX, imm, 0);
    return mk(PseudoLd.MAP_IDX_VALUE, imm, c.imm32('value offset'));
  }
}

/** Strips a `;` or `//` comment. */
function stripComment(s: string): string {
  const a = s.indexOf(';');
  const b = s.indexOf('//');
  const cut = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  return cut < 0 ? s : s.slice(0, cut);
}

const INDEX_PREFIX = /^\s*\d+\s*:/;
const CODE_PREFIX = /^\s*\(\s*[0-9a-fA-F]{1,2}\s*\)/;
const LABEL = /^\s*([A-Za-z_.$][\w.$]*)\s*:/;

/**
 * Assembles the kernel's disassembly text (see README for the grammar): one
 * instruction per line, optional `N:` index and `(xx)` opcode prefixes,
 * `;`/`//` comments, `name:` labels usable as jump/call targets. Throws
 * {@link AsmError} with 1-based line and column.
 */
export function assemble(text: string): Insn[] {
  const out: Insn[] = [];
  const labels = new Map<string, number>();
  const fixups: Fixup[] = [];
  let slot = 0;
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const src = stripComment(lines[ln]);
    const cur = new Cursor(src, ln + 1);
    let m = INDEX_PREFIX.exec(src);
    if (m) cur.pos = m[0].length;
    for (;;) {
      const rest = src.slice(cur.pos);
      if ((m = CODE_PREFIX.exec(rest))) { cur.pos += m[0].length; continue; }
      if ((m = LABEL.exec(rest))) {
        const col = cur.pos + rest.indexOf(m[1]) + 1;
        if (labels.has(m[1])) throw new AsmError('DUPLICATE_LABEL', `label '${m[1]}' defined twice`, ln + 1, col);
        labels.set(m[1], slot);
        cur.pos += m[0].length;
        continue;
      }
      break;
    }
    if (cur.atEnd()) continue;
    const p = new LineParser(cur);
    const i = p.parse();
    if (!cur.atEnd()) cur.fail(`unexpected '${cur.rest(16)}'`);
    if (p.pending) fixups.push({ ...p.pending, index: out.length, slot });
    out.push(i);
    slot += i.code === Op.LD_IMM64 ? 2 : 1;
  }
  for (const f of fixups) {
    const target = labels.get(f.label);
    const i = out[f.index];
    if (target === undefined) {
      const hid = f.call ? helperId(f.label) : undefined;
      if (hid !== undefined) {
        i.src = 0;
        i.imm = hid;
        continue;
      }
      throw new AsmError('UNKNOWN_LABEL', `unknown label '${f.label}'`, f.line, f.col);
    }
    const rel = target - (f.slot + 1);
    if (f.field === 'off') {
      if (rel < -32768 || rel > 32767) throw new AsmError('RANGE', `jump to '${f.label}' out of range (${rel})`, f.line, f.col);
      i.off = rel;
    } else {
      i.imm = rel;
    }
  }
  return out;
}
