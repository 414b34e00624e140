import { AluOp } from '@bpfkit/isa';
import { describe, expect, test } from 'vitest';
import { boundOffset, boundsSync, copyScalar, deduceBounds, updateBounds, scalarConst, scalarEquals, type Scalar } from './bounds.js';
import { isSafeAluOp, scalarAlu, scalarAluGeneral } from './alu.js';
import { isWellFormedConst } from './const-fold.js';
import { formatScalar } from './format.js';

const INTERESTING = [0n, 1n, 2n, 7n, 31n, 32n, 63n, 64n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0x9e3779b97f4a7c15n, 0xfffffffffffffff0n];

/** xorshift64 over bigints: deterministic operands. */
function* randoms(n: number): Generator<bigint> {
  let x = 0x2545f4914f6cdd1dn;
  for (let i = 0; i < n; i++) {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    const k = i % 4;
    yield k === 0 ? x : k === 1 ? x & 0xffffffffn : k === 2 ? x & 0x3fn : BigInt.asUintN(64, -(x & 0xffffn));
  }
}

const OPS = [AluOp.ADD, AluOp.SUB, AluOp.NEG, AluOp.MUL, AluOp.AND, AluOp.OR, AluOp.XOR, AluOp.LSH, AluOp.RSH, AluOp.ARSH];

describe('constant folding', () => {
  test('gives exactly the general transfer function plus bounds sync for constant operands', () => {
    const vals = [...INTERESTING, ...randoms(80)];
    let checked = 0;
    for (const op of OPS) {
      for (const is64 of [true, false]) {
        for (const a of vals) {
          for (const b of vals) {
            const dst = scalarConst(a);
            const src = op === AluOp.NEG ? dst : scalarConst(b);
            if (!isSafeAluOp(op, is64, src)) continue;
            const fast = scalarAlu(op, is64, dst, src);
            const slow = scalarAluGeneral(op, is64, dst, src);
            if (!scalarEquals(fast, slow)) {
              expect(`${op} ${is64} ${a} ${b}: ${formatScalar(fast)}`).toBe(`${op} ${is64} ${a} ${b}: ${formatScalar(slow)}`);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  }, 120_000);

  test('only well-formed constants are folded', () => {
    expect(isWellFormedConst(scalarConst(5n))).toBe(true);
    const odd = copyScalar(scalarConst(5n));
    odd.umax = 9n;
    expect(isWellFormedConst(odd)).toBe(false);
  });

  test('bounds sync of a constant tnum inside its bounds equals the step-by-step sync', () => {
    const vals = [...INTERESTING, ...randoms(300)];
    for (const [i, v] of vals.entries()) {
      // bounds from unbounded down to exact, all containing v
      const w = copyScalar(scalarConst(0n));
      w.varOff = { value: v, mask: 0n };
      const sv = BigInt.asIntN(64, v);
      const u32 = Number(v & 0xffffffffn);
      const k = BigInt(i % 5) * 13n;
      w.umin = v >> k;
      w.umax = v + (0xffffffffffffffffn - v) / (k + 1n);
      w.smin = sv - ((sv + (1n << 63n)) >> k);
      w.smax = sv + (((1n << 63n) - 1n - sv) >> k);
      w.u32min = i % 3 === 0 ? u32 : 0;
      w.u32max = i % 3 === 1 ? u32 : 0xffffffff;
      w.s32min = i % 2 === 0 ? u32 | 0 : -0x80000000;
      w.s32max = 0x7fffffff >= (u32 | 0) && i % 4 === 0 ? 0x7fffffff : u32 | 0;
      const slow = copyScalar(w);
      updateBounds(slow);
      deduceBounds(slow);
      deduceBounds(slow);
      boundOffset(slow);
      updateBounds(slow);
      const fast: Scalar = boundsSync(w);
      expect(formatScalar(fast)).toBe(formatScalar(slow));
      expect(scalarEquals(fast, slow)).toBe(true);
    }
  });
});
