/**
 * No crash on any input: random instruction streams (raw bytes, and a
 * structured generator of plausible programs with branches, stack traffic,
 * map lookups and helper calls) must each end in a verdict. An exception
 * escaping `verify()` — even our typed internal error — fails the test with
 * the program that caused it.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, insn, ldImm64, Op, type Insn, bytesToHex } from '@bpfkit/isa';
import { verify } from './verify.js';
import type { VerifierMap } from './types.js';

class Rng {
  constructor(private s: number) {}
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (this.s = x >>> 0);
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const MAPS: VerifierMap[] = [
  { index: 0, name: 'arr', type: 2, keySize: 4, valueSize: 16, maxEntries: 1, flags: 0, frozen: false, btfValueTypeId: 0 },
  { index: 1, name: 'h', type: 1, keySize: 8, valueSize: 8, maxEntries: 16, flags: 0, frozen: false, btfValueTypeId: 0 },
];

const ALU = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0];
const JMP = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
const SIZES = [0x00, 0x08, 0x10, 0x18];
const HELPERS = [1, 2, 3, 5, 7, 8, 6, 12, 26, 44, 181, 194, 10000];

/** A program that looks like compiler output most of the time and is subtly wrong often. */
function generate(rng: Rng): Insn[] {
  const n = 4 + rng.int(28);
  // a prologue like compiled code has: initialised registers and stack, ctx saved in r6
  const out: Insn[] = [insn(0xbf, 6, 1), insn(0x7a, 10, 0, -8, 0), insn(0x7a, 10, 0, -16, 0)];
  for (let r = 0; r <= 9; r++) if (r !== 1 && r !== 6) out.push(insn(0xb7, r, 0, 0, rng.int(32)));
  const reg = () => (rng.int(40) === 0 ? 10 : rng.int(10));
  for (let i = 0; i < n; i++) {
    const remaining = n - i;
    switch (rng.int(10)) {
      case 0:
      case 1: {
        const cls = rng.int(2) ? 0x07 : 0x04;
        const op = rng.pick(ALU);
        const x = rng.int(2) ? 0x08 : 0;
        out.push(insn(cls | op | x, reg(), x ? reg() : 0, op === 0x30 || op === 0x90 ? rng.int(2) : 0, x ? 0 : rng.pick([0, 1, 4, 8, -8, 63, 64, 255, 0x7fffffff, -1])));
        break;
      }
      case 2:
        out.push(insn(0x61 | rng.pick(SIZES), reg(), rng.pick([1, 10, reg()]), rng.pick([0, 4, 8, -8, -16, -512, 12, 76, 80]), 0));
        break;
      case 3:
        if (rng.int(2)) out.push(insn(0x63 | rng.pick(SIZES), rng.pick([10, 10, reg()]), reg(), rng.pick([-8, -16, -4, -520, 0, 8]), 0));
        else out.push(insn(0x62 | rng.pick(SIZES), rng.pick([10, 10, reg()]), 0, rng.pick([-8, -16, -4, -520, 0, 8]), rng.int(3)));
        break;
      case 4:
        out.push(ldImm64(rng.int(10), BigInt(rng.int(2)), rng.pick([0, 5, 6, 5])));
        if (out[out.length - 1]!.src === 6) {
          out[out.length - 1]!.imm = 0;
          out[out.length - 1]!.imm2 = rng.pick([0, 4, 8, 16]);
        }
        break;
      case 5:
        if (remaining > 2) {
          const x = rng.int(2) ? 0x08 : 0;
          out.push(insn((rng.int(4) ? 0x05 : 0x06) | rng.pick(JMP) | x, reg(), x ? reg() : 0, rng.int(Math.min(remaining - 1, 6)), x ? 0 : rng.pick([0, 1, 10, -1])));
        } else out.push(insn(0xb7, 0, 0, 0, 0));
        break;
      case 6:
        out.push(insn(0x85, 0, 0, 0, rng.pick(HELPERS)));
        break;
      case 7:
        out.push(insn(0xdb, rng.pick([10, reg()]), reg(), rng.pick([-8, 0]), rng.pick([0x00, 0x01, 0x40, 0xe1, 0xf1, 0x03])));
        break;
      case 8:
        out.push(insn(0xbf, rng.int(6), rng.pick([10, 1, 0, 6])));
        break;
      default:
        out.push(insn(0xb7, rng.int(10), 0, 0, rng.pick([0, 1, -1, 16])));
    }
  }
  out.push(insn(0xb7, 0, 0, 0, 0), insn(Op.EXIT));
  return out;
}

const reasons = new Map<string, number>();
function check(insns: readonly Insn[], progType: string, failures: string[]): 'accepted' | 'rejected' {
  try {
    const r = verify({ insns, progType, maps: MAPS, progFlags: progType === 'syscall' ? 16 : 0 }, { logLevel: 1 });
    if (r.error) { const k = r.error.message.replace(/\d+/g, 'N'); reasons.set(k, (reasons.get(k) ?? 0) + 1); }
    if (!r.accepted && !r.error?.message) failures.push(`rejection without a message: ${bytesToHex(encode(insns))}`);
    return r.accepted ? 'accepted' : 'rejected';
  } catch (e) {
    failures.push(`${(e as Error).name}: ${(e as Error).message} :: ${progType} ${bytesToHex(encode(insns))}`);
    return 'rejected';
  }
}

describe('verifier robustness', () => {
  test('20,000 generated programs each end in a verdict', () => {
    const rng = new Rng(0x5eed);
    const failures: string[] = [];
    const tally = { accepted: 0, rejected: 0 };
    for (let i = 0; i < 20_000; i++) tally[check(generate(rng), rng.pick(['xdp', 'tc', 'socket', 'syscall']), failures)]++;
    if (process.env.FUZZ_REASONS) console.log([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15));
    expect(failures.slice(0, 5)).toEqual([]);
    // the generator must produce both outcomes, or it tests little (FUZZ_REASONS=1 prints the top rejections)
    expect(tally.accepted).toBeGreaterThan(200);
    expect(tally.rejected).toBeGreaterThan(5_000);
  }, 600_000);

  test('5,000 random byte streams each end in a verdict', () => {
    const rng = new Rng(0xb17e5);
    const failures: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const bytes = new Uint8Array(8 * (1 + rng.int(24)));
      for (let k = 0; k < bytes.length; k++) bytes[k] = rng.int(256);
      let insns: Insn[];
      try {
        insns = decode(bytes);
      } catch {
        continue; // a truncated ld_imm64 cannot be an Insn[]; the decoder reports it
      }
      check(insns, 'xdp', failures);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, 300_000);
});
