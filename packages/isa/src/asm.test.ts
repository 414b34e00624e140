import { describe, expect, it } from 'vitest';
import { assemble } from './asm.js';
import { bytesToHex, decode, encode, hexToBytes } from './codec.js';
import { AsmError } from './errors.js';
import { formatInsn, formatProgram, isBugText } from './format.js';
import { type Insn, insn } from './insn.js';
import { isCanonical, isKnownOpcode } from './validate.js';
import { loadConformance } from './testdata/conformance.js';

function asmError(text: string): AsmError {
  try {
    assemble(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AsmError);
    return e as AsmError;
  }
  throw new Error(`assembled without error: ${text}`);
}

describe('assemble', () => {
  it('round-trips every conformance program through the kernel text', () => {
    const progs = loadConformance();
    expect(progs.length).toBe(313);
    for (const p of progs) {
      const insns = decode(hexToBytes(p.bytecode));
      const text = formatProgram(insns);
      expect(bytesToHex(encode(assemble(text))), `${p.test}\n${text}`).toBe(p.bytecode.toLowerCase());
    }
  });

  it('round-trips a sweep of all opcodes and field values (every canonical insn)', () => {
    const dsts = [0, 5, 10];
    const srcs = [0, 1, 2, 4, 7];
    const offs = [0, 1, -8, 8, 16, 32, 300, -32768];
    const imms = [0, 1, -1, 16, 32, 64, 0x10000, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110, -2147483648, 2147483647];
    const covered = new Set<number>();
    let checked = 0;
    for (let code = 0; code < 256; code++) {
      if (code === 0x18) continue;
      for (const dst of dsts) for (const src of srcs) for (const off of offs) for (const imm of imms) {
        const i = insn(code, dst, src, off, imm);
        if (!isCanonical(i)) continue;
        const text = formatInsn(i);
        expect(isBugText(text), text).toBe(false);
        const back = assemble(text);
        if (back.length !== 1 || back[0].code !== i.code || back[0].dst !== dst || back[0].src !== src || back[0].off !== off || back[0].imm !== imm) {
          expect(back, `${text} (code ${code.toString(16)})`).toEqual([i]);
        }
        covered.add(code);
        checked++;
      }
    }
    for (const src of [0, 1, 2, 3, 4, 5, 6]) for (const lo of [0, 1, -1, 0x7fffffff]) for (const hi of [0, 1, -1, -2147483648]) {
      const i = insn(0x18, 3, src, 0, lo, hi);
      if (!isCanonical(i)) continue;
      expect(assemble(formatInsn(i))).toEqual([i]);
      covered.add(0x18);
      checked++;
    }
    const known = Array.from({ length: 256 }, (_, c) => c).filter(isKnownOpcode);
    expect([...covered].sort((a, b) => a - b)).toEqual(known);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('round-trips non-canonical ld_imm64 pseudo values through ld_pseudo()', () => {
    for (const i of [insn(0x18, 1, 1, 0, 3, 9), insn(0x18, 1, 4, 0, 3, -1), insn(0x18, 1, 12, 0, 7, 8)]) {
      expect(assemble(formatInsn(i))).toEqual([i]);
    }
  });

  it('accepts index and opcode prefixes, comments and verifier state after ;', () => {
    const text = [
      '; int x = 0 @ prog.c:3',
      '0: (bf) r6 = r1                       ; R1=ctx() R6_w=ctx()',
      '   1: (18) r1 = 0xffff88810a51bc00',
      '3: (85) call bpf_map_lookup_elem#1    // comment',
      '',
      '4: (95) exit',
    ].join('\n');
    expect(assemble(text)).toEqual([
      insn(0xbf, 6, 1),
      insn(0x18, 1, 0, 0, 0x0a51bc00, 0xffff8881 | 0),
      insn(0x85, 0, 0, 0, 1),
      insn(0x95),
    ]);
  });

  it('resolves labels for jumps, calls and subprog references (in slots)', () => {
    const p = assemble(`
      r1 = 0x100000000      ; two slots
    loop:
      r1 -= 1
      if r1 != 0x0 goto loop
      gotol done
      may_goto loop
      r2 = subprog[cb]
      call cb
    done: exit
    cb:
      r0 = 0
      exit
    `);
    expect(p.map((i) => formatInsn(i))).toEqual([
      'r1 = 0x100000000',
      'r1 -= 1',
      'if r1 != 0x0 goto pc-2',
      'gotol pc+4',
      'may_goto pc-4',
      'r2 = subprog[+3]',
      'call pc+1',
      'exit',
      'r0 = 0',
      'exit',
    ]);
  });

  it('assembles helper and kfunc calls by name', () => {
    expect(assemble('call bpf_loop')).toEqual([insn(0x85, 0, 0, 0, 181)]);
    expect(assemble('call map_lookup_elem')).toEqual([insn(0x85, 0, 0, 0, 1)]);
    expect(assemble('call 7')).toEqual([insn(0x85, 0, 0, 0, 7)]);
    expect(assemble('call bpf_rcu_read_lock#65472')).toEqual([insn(0x85, 0, 2, 0, 65472)]);
    expect(assemble('call kfunc#12')).toEqual([insn(0x85, 0, 2, 0, 12)]);
    expect(assemble('call unknown#300')).toEqual([insn(0x85, 0, 0, 0, 300)]);
    expect(assemble('call pc+2#bpf_prog_3b185187f1855c4c_foo')).toEqual([insn(0x85, 0, 1, 0, 2)]);
  });

  it('accepts llvm-style spellings as a convenience', () => {
    expect(assemble('r1 = *(u64 *)(r10 - 8)')).toEqual([insn(0x79, 1, 10, -8)]);
    expect(assemble('r1 = -1 ll')).toEqual([insn(0x18, 1, 0, 0, -1, -1)]);
    expect(assemble('if w1 s> -3 goto +0')).toEqual([insn(0x66, 1, 0, 0, -3)]);
    expect(assemble('w1 = 0xffffffff')).toEqual([insn(0xb4, 1, 0, 0, -1)]);
  });

  describe('errors carry line and column', () => {
    const cases: [string, string, number, number, RegExp][] = [
      ['bad size type', 'r0 = 0\nr1 = *(u65 *)(r10 -8)', 'SYNTAX', 2, 8],
      ['unknown label', 'exit\n\n  goto nowhere', 'UNKNOWN_LABEL', 3, 8],
      ['register out of range', 'r16 = 1', 'RANGE', 1, 1],
      ['width mismatch', 'r1 += w2', 'SYNTAX', 1, 7],
      ['helper id mismatch', 'call bpf_map_lookup_elem#2', 'UNKNOWN_NAME', 1, 6],
      ['offset out of range', 'goto pc+40000', 'RANGE', 1, 8],
      ['duplicate label', 'a:\nexit\n a: exit', 'DUPLICATE_LABEL', 3, 2],
      ['missing goto target', 'if r1 > r2 goto', 'SYNTAX', 1, 16],
      ['unknown mnemonic', '   frobnicate r1', 'SYNTAX', 1, 4],
      ['trailing junk', 'exit now', 'SYNTAX', 1, 6],
      ['imm out of range', 'r1 += 4294967296', 'RANGE', 1, 7],
      ['neg of another register', 'r1 = -r2', 'SYNTAX', 1, 7],
    ].map(([n, t, c, l, col]) => [n as string, t as string, l as number, col as number, new RegExp(c as string)]);
    it.each(cases)('%s', (_name, text, line, col, code) => {
      const e = asmError(text);
      expect(e.code).toMatch(code);
      expect([e.line, e.column]).toEqual([line, col]);
      expect(e.message).toBe(`${line}:${col}: ${e.reason}`);
    });
  });
});
