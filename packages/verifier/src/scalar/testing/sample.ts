/** Test helpers: a seeded PRNG, random abstract scalars and concrete members of them. */
import { scalarFromRange, scalarFromSignedRange, scalarFromTnum, scalarConst, scalarUnknown, type Scalar } from '../bounds.js';
import { scalarAlu } from '../alu.js';
import { AluOp } from '@bpfkit/isa';

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  u32(): bigint {
    return BigInt((this.next() * 4294967296) >>> 0);
  }
  u64(): bigint {
    return (this.u32() << 32n) | this.u32();
  }
  /** An "interesting" u64: small, near powers of two, near the sign boundaries, or random. */
  val(): bigint {
    switch (this.int(6)) {
      case 0:
        return BigInt(this.int(20));
      case 1:
        return BigInt.asUintN(64, -BigInt(this.int(20)));
      case 2:
        return BigInt.asUintN(64, (1n << BigInt(this.int(64))) + BigInt(this.int(3)) - 1n);
      case 3:
        return this.u32();
      case 4:
        return BigInt.asUintN(64, BigInt.asIntN(32, this.u32()));
      default:
        return this.u64();
    }
  }
}

/** A random abstract scalar together with a generator of its concrete members. */
export function randomScalar(r: Rng): Scalar {
  const a = r.val();
  const b = r.val();
  switch (r.int(7)) {
    case 0:
      return scalarConst(a);
    case 1:
      return scalarFromRange(a < b ? a : b, a < b ? b : a);
    case 2: {
      const x = BigInt.asIntN(64, a);
      const y = BigInt.asIntN(64, b);
      return scalarFromSignedRange(x < y ? x : y, x < y ? y : x);
    }
    case 3:
      return scalarFromTnum({ value: a & ~b & 0xffff_ffff_ffff_ffffn, mask: b });
    case 4: {
      // a 32-bit-ish value: random range then zero-extended
      const lo = r.u32();
      const hi = r.u32();
      return scalarAlu(AluOp.MOV, false, scalarUnknown(), scalarFromRange(lo < hi ? lo : hi, lo < hi ? hi : lo));
    }
    case 5:
      return scalarFromRange(0n, BigInt(r.int(300)));
    default:
      return scalarUnknown();
  }
}

/** A concrete member of `s` (found by sampling candidates; falls back to the bounds and the tnum). */
export function member(r: Rng, s: Scalar, contains: (s: Scalar, x: bigint) => boolean): bigint | undefined {
  const t = s.varOff;
  const cands: bigint[] = [s.umin, s.umax, BigInt.asUintN(64, s.smin), BigInt.asUintN(64, s.smax), t.value, t.value | t.mask];
  for (let i = 0; i < 24; i++) {
    const pick = r.int(3);
    let x: bigint;
    if (pick === 0) x = t.value | (r.u64() & t.mask);
    else if (pick === 1 && s.umax >= s.umin) x = s.umin + ((r.u64() * (s.umax - s.umin + 1n)) >> 64n);
    else x = BigInt.asUintN(64, s.smin + ((r.u64() * (s.smax - s.smin + 1n)) >> 64n));
    cands.push(t.value | (x & t.mask), x);
  }
  const ok = cands.filter((c) => contains(s, c));
  return ok.length ? ok[r.int(ok.length)] : undefined;
}
