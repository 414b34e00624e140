import { describe, expect, it } from 'vitest';
import { AluOp } from '@bpfkit/isa';
import {
  boundsSync, formatScalar, scalarAlu, scalarConst, scalarContains, scalarEquals, scalarFromImm, scalarFromRange,
  scalarFromTnum, scalarInvariantViolation, scalarLoadSx, scalarSignExtend, scalarSignExtend32, scalarTruncate,
  scalarUnknown, scalarZext32, type Scalar,
} from './index.js';
import { Rng, member, randomScalar } from './testing/sample.js';

const M64 = 0xffff_ffff_ffff_ffffn;
const fmt = (s: Scalar): string => formatScalar(s);
const U = scalarUnknown();
const B255 = scalarFromRange(0n, 255n);

describe('ALU: observed kernel texts (verifier-core.md §5, §6)', () => {
  it('w1 = w6 on unknown', () => {
    expect(fmt(scalarAlu(AluOp.MOV, false, U, U))).toBe('scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(fmt(scalarZext32(U))).toBe('scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
  });
  it('r1 &= 255 on unknown', () => {
    expect(fmt(scalarAlu(AluOp.AND, true, U, scalarFromImm(255)))).toBe(
      'scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))',
    );
  });
  it('{1,3} * 3', () => {
    const r = scalarAlu(AluOp.MUL, true, scalarFromTnum({ value: 1n, mask: 2n }), scalarFromImm(3));
    expect(r.varOff).toEqual({ value: 1n, mask: 0xan });
    expect(fmt(r)).toBe('scalar(smin=umin=smin32=umin32=3,smax=umax=smax32=umax32=9,var_off=(0x1; 0xa))');
  });
  it('r1 /= 3 (and w1 /= 3, r1 %= 3) give an unknown scalar without zero extension (observed on 6.18)', () => {
    expect(fmt(scalarAlu(AluOp.DIV, true, B255, scalarFromImm(3)))).toBe('scalar()');
    expect(fmt(scalarAlu(AluOp.DIV, false, B255, scalarFromImm(3)))).toBe('scalar()');
    expect(fmt(scalarAlu(AluOp.MOD | 0x07, true, B255, scalarFromImm(3), { off: 1 }))).toBe('scalar()');
  });
  it('be32 of [0,255], be16 and bswap16 of unknown, le16 truncates', () => {
    expect(fmt(scalarAlu(AluOp.END | 0x08, false, B255, B255, { imm: 32 }))).toBe(
      'scalar(smin=0,smax=umax=umax32=0xff000000,smax32=0x7f000000,var_off=(0x0; 0xff000000))',
    );
    const be16 = 'scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))';
    expect(fmt(scalarAlu(AluOp.END, false, U, U, { imm: 16, toBe: true }))).toBe(be16);
    expect(fmt(scalarAlu(AluOp.END, true, U, U, { imm: 16 }))).toBe(be16);
    expect(fmt(scalarAlu(AluOp.END, false, U, U, { imm: 16 }))).toBe(be16);
    expect(fmt(scalarAlu(AluOp.END, false, B255, B255, { imm: 64 }))).toBe(fmt(B255));
    expect(fmt(scalarAlu(AluOp.END, true, scalarConst(0x1122n), U, { imm: 16 }))).toBe('8721');
  });
  it('constants fold', () => {
    const c = (op: number, is64: boolean, a: bigint, b: number): string =>
      fmt(scalarAlu(op, is64, scalarConst(a), scalarFromImm(b)));
    expect(c(AluOp.ADD, true, 0x11000n, 0x170)).toBe('0x11170');
    expect(c(AluOp.SUB, true, 0n, 40000)).toBe('0xffffffffffff63c0');
    expect(c(AluOp.SUB, false, 0n, 5)).toBe('0xfffffffb');
    expect(c(AluOp.XOR, true, 5n, -1)).toBe('-6');
    expect(c(AluOp.LSH, true, 1n, 63)).toBe('0x8000000000000000');
    expect(c(AluOp.ARSH, false, 0x8000_0000n, 31)).toBe('0xffffffff');
    expect(c(AluOp.NEG, true, 5n, 0)).toBe('-5');
    expect(c(AluOp.MOV, false, 0n, -1)).toBe('0xffffffff');
    expect(c(AluOp.MOV, true, 0n, -1)).toBe('-1');
  });
  it('shifts by a non-constant or out-of-range amount give unknown', () => {
    expect(fmt(scalarAlu(AluOp.LSH, true, B255, B255))).toBe('scalar()');
    expect(fmt(scalarAlu(AluOp.RSH, false, B255, scalarFromImm(32)))).toBe('scalar()');
    expect(fmt(scalarAlu(AluOp.RSH, true, U, scalarFromImm(60)))).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=15,var_off=(0x0; 0xf))');
  });
  it('<<32 of a non-negative subreg keeps signed bounds', () => {
    const r = scalarAlu(AluOp.LSH, true, B255, scalarFromImm(32));
    expect(r.smin).toBe(0n);
    expect(r.smax).toBe(255n << 32n);
  });
  it('truncating and sign-extending loads', () => {
    expect(fmt(scalarTruncate(U, 1))).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))');
    expect(fmt(scalarTruncate(U, 4))).toBe('scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(fmt(scalarTruncate(scalarFromRange(0x100n, 0x1ffn), 1))).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))');
    expect(fmt(scalarLoadSx(U, 1))).toBe('scalar(smin=smin32=-128,smax=smax32=127)');
    expect(fmt(scalarLoadSx(scalarConst(0xffn), 1))).toBe('-1');
    expect(fmt(scalarSignExtend(scalarFromRange(0x80n, 0x90n), 8))).toBe(
      'scalar(smin=smin32=-128,smax=smax32=-112,umin=0xffffffffffffff80,umax=0xffffffffffffff90,umin32=0xffffff80,umax32=0xffffff90,var_off=(0xffffffffffffff80; 0x1f))',
    );
    expect(fmt(scalarSignExtend32(scalarConst(0x80n), 8))).toBe('0xffffff80');
    expect(fmt(scalarZext32(scalarSignExtend(scalarConst(0x80n), 8, 32)))).toBe('0xffffff80');
  });
});

/** Concrete BPF semantics of one ALU op. */
function concrete(op: number, is64: boolean, x: bigint, y: bigint, off: number, imm: number, toBe: boolean): bigint {
  const bits = is64 ? 64 : 32;
  const m = is64 ? M64 : 0xffff_ffffn;
  const a = x & m;
  const b = y & m;
  const sa = BigInt.asIntN(bits, a);
  const sb = BigInt.asIntN(bits, b);
  let r: bigint;
  switch (op) {
    case AluOp.ADD: r = a + b; break;
    case AluOp.SUB: r = a - b; break;
    case AluOp.MUL: r = a * b; break;
    case AluOp.DIV: r = off === 1 ? (sb === 0n ? 0n : sa / sb) : b === 0n ? 0n : a / b; break;
    case AluOp.MOD: r = off === 1 ? (sb === 0n ? sa : sa % sb) : b === 0n ? a : a % b; break;
    case AluOp.OR: r = a | b; break;
    case AluOp.AND: r = a & b; break;
    case AluOp.XOR: r = a ^ b; break;
    case AluOp.LSH: r = a << (b & BigInt(bits - 1)); break;
    case AluOp.RSH: r = a >> (b & BigInt(bits - 1)); break;
    case AluOp.ARSH: r = sa >> (b & BigInt(bits - 1)); break;
    case AluOp.NEG: r = -a; break;
    case AluOp.MOV: r = off === 0 ? b : BigInt.asIntN(off, b); break;
    case AluOp.END: {
      const w = BigInt(imm);
      const low = x & ((1n << w) - 1n);
      if (!is64 && !toBe) return low;
      let s = 0n;
      for (let i = 0n; i < w / 8n; i++) s = (s << 8n) | ((low >> (8n * i)) & 0xffn);
      return s;
    }
    default: throw new Error('op');
  }
  return BigInt.asUintN(bits, r);
}

const OPS: [string, number][] = [
  ['add', AluOp.ADD], ['sub', AluOp.SUB], ['mul', AluOp.MUL], ['div', AluOp.DIV], ['mod', AluOp.MOD], ['or', AluOp.OR],
  ['and', AluOp.AND], ['xor', AluOp.XOR], ['lsh', AluOp.LSH], ['rsh', AluOp.RSH], ['arsh', AluOp.ARSH],
  ['neg', AluOp.NEG], ['mov', AluOp.MOV], ['end', AluOp.END],
];

describe('ALU: soundness on random samples', () => {
  for (const [name, op] of OPS) {
    for (const is64 of [true, false]) {
      it(`${name}${is64 ? '64' : '32'}: every concrete result lies in the abstract result`, () => {
        const r = new Rng(op * 2 + (is64 ? 1 : 0) + 17);
        let checked = 0;
        for (let i = 0; i < 1500; i++) {
          const dst = randomScalar(r);
          let src = randomScalar(r);
          let off = 0;
          let imm = 0;
          let toBe = false;
          if (op === AluOp.LSH || op === AluOp.RSH || op === AluOp.ARSH) {
            if (r.int(2)) src = scalarFromImm(r.int(is64 ? 64 : 32));
          }
          if (op === AluOp.DIV || op === AluOp.MOD) off = r.int(2);
          if (op === AluOp.MOV) off = [0, 8, 16, ...(is64 ? [32] : [])][r.int(is64 ? 4 : 3)];
          if (op === AluOp.END) {
            imm = [16, 32, 64][r.int(3)];
            toBe = r.int(2) === 1;
          }
          const res = scalarAlu(op, is64, dst, src, { off, imm, toBe });
          expect(scalarInvariantViolation(res)).toBeNull();
          for (let k = 0; k < 4; k++) {
            const x = member(r, dst, scalarContains);
            const y = op === AluOp.NEG || op === AluOp.END ? x : member(r, src, scalarContains);
            if (x === undefined || y === undefined) continue;
            const want = op === AluOp.MOV && !is64 ? concrete(op, false, 0n, y, off, 0, false) : concrete(op, is64, x, y, off, imm, toBe);
            if (!scalarContains(res, want)) {
              throw new Error(`${name}${is64 ? 64 : 32} ${fmt(dst)} , ${fmt(src)} (x=${x} y=${y}) -> ${fmt(res)} misses ${want}`);
            }
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(3000);
      });
    }
  }
  it('truncation and sign-extending loads are sound', () => {
    const r = new Rng(99);
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      const s = randomScalar(r);
      const size = [1, 2, 4][r.int(3)];
      const t = scalarTruncate(s, size);
      const sx = scalarLoadSx(s, size);
      const sx32 = size < 4 ? scalarSignExtend32(s, size * 8) : undefined;
      const x = member(r, s, scalarContains);
      if (x === undefined) continue;
      const low = x & ((1n << BigInt(size * 8)) - 1n);
      expect(scalarContains(t, low)).toBe(true);
      expect(scalarContains(sx, BigInt.asUintN(64, BigInt.asIntN(size * 8, low)))).toBe(true);
      if (sx32) expect(scalarContains(sx32, BigInt.asUintN(32, BigInt.asIntN(size * 8, low)))).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(2500);
  });
});

describe('boundsSync', () => {
  it('is sound and idempotent on random scalars', () => {
    const r = new Rng(5);
    for (let i = 0; i < 3000; i++) {
      const s = randomScalar(r);
      const once = boundsSync(s);
      expect(scalarEquals(boundsSync(once), once)).toBe(true);
      const x = member(r, s, scalarContains);
      if (x !== undefined) expect(scalarContains(once, x)).toBe(true);
    }
  });
  it('turns a range with a single tnum member into that constant (observed on 6.18)', () => {
    const s = boundsSync({ ...scalarFromRange(1n, 2n), varOff: { value: 0n, mask: 2n } });
    expect(fmt(s)).toBe('2');
  });
  it('deduces s32 from a u32 range that meets only one end of a sign-crossing s32 range (observed on 6.18)', () => {
    const s = boundsSync({ ...scalarFromRange(0x3836cfcan, 0xffffffffn), s32min: -1024, s32max: 1023 });
    expect(fmt(s)).toBe(
      'scalar(smin=umin=umin32=0xfffffc00,smax=umax=0xffffffff,smin32=-1024,smax32=-1,var_off=(0xfffffc00; 0x3ff))',
    );
  });
});
