import { describe, expect, it } from 'vitest';
import {
  tnumAdd, tnumAnd, tnumArshift, tnumBswap, tnumCast, tnumConst, tnumContains, tnumIn, tnumIntersect, tnumIsAligned,
  tnumLshift, tnumMul, tnumMulLegacy, tnumNeg, tnumNextGE, tnumOr, tnumOverlap, tnumRange, tnumRshift, tnumStr,
  tnumSub, tnumUnion, tnumWithSubreg, tnumXor, TNUM_UNKNOWN, U64_MAX, fls64, type Tnum,
} from './tnum.js';

const M = U64_MAX;
/** Every tnum over the low `bits` bits (3^bits of them). */
function allTnums(bits: number): Tnum[] {
  const out: Tnum[] = [];
  const n = 3 ** bits;
  for (let k = 0; k < n; k++) {
    let v = 0n;
    let m = 0n;
    let x = k;
    for (let b = 0n; b < BigInt(bits); b++) {
      const d = x % 3;
      x = Math.floor(x / 3);
      if (d === 1) v |= 1n << b;
      if (d === 2) m |= 1n << b;
    }
    out.push({ value: v, mask: m });
  }
  return out;
}
function members(t: Tnum): bigint[] {
  const out: bigint[] = [];
  const bits: bigint[] = [];
  for (let b = 0n; b < 64n; b++) if ((t.mask >> b) & 1n) bits.push(1n << b);
  for (let k = 0; k < 1 << bits.length; k++) {
    let x = t.value;
    bits.forEach((bit, i) => {
      if ((k >> i) & 1) x |= bit;
    });
    out.push(x);
  }
  return out;
}

const T3 = allTnums(3);

describe('tnum: spec examples', () => {
  it('{1,3} * 3 gives (0x1; 0xa) with the 6.18 multiplication, (0x1; 0xe) with the old one', () => {
    expect(tnumStr(tnumMul({ value: 1n, mask: 2n }, tnumConst(3n)))).toBe('(0x1; 0xa)');
    expect(tnumStr(tnumMulLegacy({ value: 1n, mask: 2n }, tnumConst(3n)))).toBe('(0x1; 0xe)');
  });
  it('be32 of [0,255] gives (0x0; 0xff000000)', () => {
    expect(tnumStr(tnumBswap(tnumRange(0n, 255n), 32))).toBe('(0x0; 0xff000000)');
  });
  it('range', () => {
    expect(tnumRange(0n, 10n)).toEqual({ value: 0n, mask: 0xfn });
    expect(tnumRange(5n, 5n)).toEqual({ value: 5n, mask: 0n });
    expect(tnumRange(0n, M)).toEqual(TNUM_UNKNOWN);
    expect(tnumRange(0x100n, 0x1ffn)).toEqual({ value: 0x100n, mask: 0xffn });
  });
  it('prints like %#llx (0x0 keeps its prefix)', () => {
    expect(tnumStr(TNUM_UNKNOWN)).toBe('(0x0; 0xffffffffffffffff)');
  });
  it('shifts, casts, subregs', () => {
    expect(tnumArshift({ value: 0x8000_0000n, mask: 0n }, 4, 32)).toEqual({ value: 0xf800_0000n, mask: 0n });
    expect(tnumArshift({ value: 0x8000_0000_0000_0000n, mask: 1n }, 1, 64)).toEqual({ value: 0xc000_0000_0000_0000n, mask: 0n });
    expect(tnumLshift({ value: 1n, mask: 2n }, 63)).toEqual({ value: 1n << 63n, mask: 0n });
    expect(tnumRshift({ value: 0xf0n, mask: 0xfn }, 4)).toEqual({ value: 0xfn, mask: 0n });
    expect(tnumCast({ value: 0x1234n, mask: 0xff00ff0000n }, 2)).toEqual({ value: 0x1234n, mask: 0n });
    expect(tnumWithSubreg({ value: 0xaaaa_0000_0000n, mask: 0xffffn }, tnumConst(0x1_0000_0007n))).toEqual({ value: 0xaaaa_0000_0007n, mask: 0n });
    expect(tnumIsAligned({ value: 8n, mask: 0x30n }, 8n)).toBe(true);
    expect(tnumIsAligned({ value: 8n, mask: 0x34n }, 8n)).toBe(false);
  });
});

describe('tnum: exhaustive soundness over 3-bit tnums', () => {
  const bin: [string, (a: Tnum, b: Tnum) => Tnum, (x: bigint, y: bigint) => bigint][] = [
    ['add', tnumAdd, (x, y) => (x + y) & M],
    ['sub', tnumSub, (x, y) => BigInt.asUintN(64, x - y)],
    ['mul', tnumMul, (x, y) => (x * y) & M],
    ['and', tnumAnd, (x, y) => x & y],
    ['or', tnumOr, (x, y) => x | y],
    ['xor', tnumXor, (x, y) => x ^ y],
    ['union', tnumUnion, (x) => x],
  ];
  for (const [name, f, c] of bin) {
    it(`${name} contains every concrete result`, () => {
      let n = 0;
      for (const a of T3) {
        for (const b of T3) {
          const r = f(a, b);
          expect(r.value & r.mask).toBe(0n);
          for (const x of members(a)) for (const y of members(b)) {
            expect(tnumContains(r, c(x, y))).toBe(true);
            n++;
          }
        }
      }
      expect(n).toBe(4096);
    });
  }
  it('add, and, or, xor are exact-ish: constants give constants', () => {
    for (let x = 0n; x < 8n; x++) for (let y = 0n; y < 8n; y++) {
      expect(tnumAdd(tnumConst(x), tnumConst(y))).toEqual(tnumConst(x + y));
      expect(tnumMul(tnumConst(x), tnumConst(y))).toEqual(tnumConst(x * y));
      expect(tnumSub(tnumConst(x), tnumConst(y))).toEqual(tnumConst(x - y));
    }
  });
  it('neg, shifts and bswap contain every concrete result', () => {
    for (const a of allTnums(5)) {
      const sh = { value: a.value << 27n, mask: a.mask << 27n };
      for (const x of members(a)) {
        expect(tnumContains(tnumNeg(a), BigInt.asUintN(64, -x))).toBe(true);
        expect(tnumContains(tnumLshift(a, 3), x << 3n)).toBe(true);
        expect(tnumContains(tnumRshift(a, 2), x >> 2n)).toBe(true);
        const xs = x << 27n;
        expect(tnumContains(tnumArshift(sh, 3, 32), BigInt.asUintN(32, BigInt.asIntN(32, xs) >> 3n))).toBe(true);
        expect(tnumContains(tnumBswap(a, 16), ((x & 0xffn) << 8n) | (x >> 8n))).toBe(true);
      }
    }
  });
  it('intersect is exactly the common members, overlap says whether there are any', () => {
    for (const a of T3) for (const b of T3) {
      const common = members(a).filter((x) => tnumContains(b, x));
      expect(tnumOverlap(a, b)).toBe(common.length > 0);
      if (common.length) expect(members(tnumIntersect(a, b)).sort()).toEqual(common.sort());
    }
  });
  it('in(a, b) iff every member of b is a member of a', () => {
    for (const a of T3) for (const b of T3) {
      expect(tnumIn(a, b)).toBe(members(b).every((x) => tnumContains(a, x)));
    }
  });
  it('range(min, max) contains [min, max]', () => {
    for (let lo = 0n; lo < 40n; lo++) for (let hi = lo; hi < 40n; hi++) {
      const t = tnumRange(lo, hi);
      for (let x = lo; x <= hi; x++) expect(tnumContains(t, x)).toBe(true);
    }
  });
  it('nextGE finds the smallest member >= x', () => {
    for (const a of allTnums(5)) {
      const ms = members(a).sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
      for (let x = 0n; x < 34n; x++) {
        const want = ms.find((m) => m >= x);
        expect(tnumNextGE(a, x)).toBe(want ?? -1n);
      }
    }
  });
});

describe('fls64', () => {
  it('is the 1-based index of the highest set bit for every width', () => {
    expect(fls64(0n)).toBe(0);
    for (let b = 0n; b < 64n; b++) {
      for (const x of [1n << b, (1n << b) | 1n, (2n << b) - 1n]) expect(fls64(x)).toBe(x.toString(2).length);
    }
  });
});
