import { describe, expect, it } from 'vitest';
import { JmpOp } from '@bpfkit/isa';
import {
  formatScalar, isBranchTaken, refineBoth, refineBranch, scalarConst, scalarContains, scalarFromImm, scalarFromRange,
  scalarInvariantViolation, scalarUnknown, type Scalar,
} from './index.js';
import { Rng, member, randomScalar } from './testing/sample.js';

const U = scalarUnknown();
const fmt = (s: Scalar, id?: string): string => formatScalar(s, id ? { id } : undefined);

describe('branches: observed kernel texts (§8.3)', () => {
  it('if r6 > 10 on unknown', () => {
    const r = refineBoth(JmpOp.JGT, false, U, scalarFromImm(10));
    expect(fmt(r.fallthrough.dst, '1')).toBe('scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf))');
    expect(fmt(r.taken.dst, '1')).toBe('scalar(id=1,umin=11)');
  });
  it('JSET false clears the bits and re-derives all bounds from the tnum (observed on 6.18)', () => {
    const d = scalarFromRange(8n, 127n);
    expect(fmt(refineBranch(JmpOp.JSET, false, d, scalarFromImm(0xf0), false).dst)).toBe(
      'scalar(smin=smin32=0,smax=umax=smax32=umax32=15,var_off=(0x0; 0xf))',
    );
    expect(fmt(refineBranch(JmpOp.JSET, false, scalarFromRange(0n, 1000n), scalarFromImm(1), false).dst)).toBe(
      'scalar(smin=smin32=0,smax=umax=smax32=umax32=1022,var_off=(0x0; 0x3fe))',
    );
  });
  it('JSET true with a single bit sets it', () => {
    expect(fmt(refineBranch(JmpOp.JSET, false, scalarFromRange(0n, 1000n), scalarFromImm(1), true).dst)).toBe(
      'scalar(smin=umin=smin32=umin32=1,smax=umax=smax32=umax32=1000,var_off=(0x1; 0x3fe))',
    );
  });
  it('!= a bound shrinks it; == intersects both', () => {
    expect(fmt(refineBranch(JmpOp.JNE, false, scalarFromRange(0n, 10n), scalarFromImm(0), true).dst)).toBe(
      'scalar(smin=umin=smin32=umin32=1,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf))',
    );
    const eq = refineBranch(JmpOp.JEQ, false, scalarFromRange(0n, 10n), scalarFromRange(5n, 20n), true);
    expect(fmt(eq.dst)).toBe(fmt(eq.src));
    expect(fmt(eq.dst)).toBe('scalar(smin=umin=smin32=umin32=5,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf))');
  });
  it('predictions', () => {
    expect(isBranchTaken(JmpOp.JGT, false, scalarFromRange(11n, 20n), scalarFromImm(10))).toBe(1);
    expect(isBranchTaken(JmpOp.JGT, false, scalarFromRange(0n, 10n), scalarFromImm(10))).toBe(0);
    expect(isBranchTaken(JmpOp.JGT, false, scalarFromRange(0n, 11n), scalarFromImm(10))).toBe(-1);
    expect(isBranchTaken(JmpOp.JEQ, false, scalarConst(3n), scalarFromImm(3))).toBe(1);
    expect(isBranchTaken(JmpOp.JSLT | 0x06, true, scalarConst(0xffff_ffffn), scalarFromImm(0))).toBe(1);
    // bits known in both tnums with different values (6.18)
    const even = refineBranch(JmpOp.JSET, false, U, scalarFromImm(1), false).dst;
    expect(isBranchTaken(JmpOp.JEQ, false, even, scalarFromImm(7))).toBe(0);
    expect(isBranchTaken(JmpOp.JNE, false, even, scalarFromImm(7))).toBe(1);
    expect(isBranchTaken(JmpOp.JSET, false, even, scalarFromImm(1))).toBe(0);
    // 6.18 does not special-case `if rX op rX`
    expect(isBranchTaken(JmpOp.JGE, false, U, U, true)).toBe(-1);
  });
});

function holds(op: number, is32: boolean, x: bigint, y: bigint): boolean {
  const bits = is32 ? 32 : 64;
  const a = BigInt.asUintN(bits, x);
  const b = BigInt.asUintN(bits, y);
  const sa = BigInt.asIntN(bits, a);
  const sb = BigInt.asIntN(bits, b);
  switch (op) {
    case JmpOp.JEQ: return a === b;
    case JmpOp.JNE: return a !== b;
    case JmpOp.JSET: return (a & b) !== 0n;
    case JmpOp.JGT: return a > b;
    case JmpOp.JGE: return a >= b;
    case JmpOp.JLT: return a < b;
    case JmpOp.JLE: return a <= b;
    case JmpOp.JSGT: return sa > sb;
    case JmpOp.JSGE: return sa >= sb;
    case JmpOp.JSLT: return sa < sb;
    case JmpOp.JSLE: return sa <= sb;
    default: throw new Error('op');
  }
}

const JOPS: [string, number][] = [
  ['jeq', JmpOp.JEQ], ['jne', JmpOp.JNE], ['jset', JmpOp.JSET], ['jgt', JmpOp.JGT], ['jge', JmpOp.JGE],
  ['jlt', JmpOp.JLT], ['jle', JmpOp.JLE], ['jsgt', JmpOp.JSGT], ['jsge', JmpOp.JSGE], ['jslt', JmpOp.JSLT],
  ['jsle', JmpOp.JSLE],
];

describe('branches: soundness on random samples', () => {
  for (const [name, op] of JOPS) {
    for (const is32 of [false, true]) {
      it(`${name}${is32 ? '32' : ''}: prediction never contradicts, refined successors keep every satisfying pair`, () => {
        const r = new Rng(op + (is32 ? 7 : 3));
        let checked = 0;
        for (let i = 0; i < 1500; i++) {
          const dst = randomScalar(r);
          const src = r.int(3) === 0 ? scalarFromImm(r.int(2) ? r.int(300) : Number(BigInt.asIntN(32, r.val()))) : randomScalar(r);
          const pred = isBranchTaken(op, is32, dst, src);
          const both = refineBoth(op, is32, dst, src);
          for (let k = 0; k < 4; k++) {
            const x = member(r, dst, scalarContains);
            const y = member(r, src, scalarContains);
            if (x === undefined || y === undefined) continue;
            const c = holds(op, is32, x, y);
            if (pred !== -1) expect(c).toBe(pred === 1);
            const side = c ? both.taken : both.fallthrough;
            if (!scalarContains(side.dst, x) || !scalarContains(side.src, y)) {
              throw new Error(`${name}${is32 ? 32 : ''} ${fmt(dst)} ? ${fmt(src)} (x=${x} y=${y}, ${c}) -> ${fmt(side.dst)} / ${fmt(side.src)}`);
            }
            if (pred === -1) {
              expect(scalarInvariantViolation(side.dst)).toBeNull();
              expect(scalarInvariantViolation(side.src)).toBeNull();
            }
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(3000);
      });
    }
  }
});
