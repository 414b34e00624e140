import { assemble, encode } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import type { TsRunRequest } from './index.js';
import { createTsEngine } from './index.js';
import { FakeCore } from './fake-core.js';
import { imageOf, placeData } from './test-util.js';

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);

/** A program on a fresh test core, with 64 bytes of data (r1 at entry) it can read and write. */
function setup(text: string, data = new Uint8Array(64)) {
  const core = new FakeCore();
  const engine = createTsEngine();
  const addr = placeData(core, data);
  const prog = engine.prepare(core, imageOf(core, encode(assemble(text))));
  const run = (opts: Partial<TsRunRequest> = {}) => prog.run({ r1: BigInt(addr), checked: true, budget: 100_000_000n, ...opts } as TsRunRequest);
  const mem = () => core.view;
  return { core, addr, prog, run, mem };
}

// Deterministic values with the edge cases of every op.
const EDGE = [0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 63n, 64n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x1_0000_0001n,
  0x7fffffffffffffffn, 0x8000000000000000n, M64, M64 - 1n, 0xdeadbeefcafebaben, 0x123456789abcdef0n, u64(-13n), 13n, u64(-1n << 31n)];
function rng(seed: number) {
  let x = BigInt(seed) | 1n;
  return (): bigint => {
    x ^= (x << 13n) & M64;
    x ^= x >> 7n;
    x ^= (x << 17n) & M64;
    return x;
  };
}
const next = rng(42);
const PAIRS: [bigint, bigint][] = [];
for (const a of EDGE) for (const b of EDGE) PAIRS.push([a, b]);
for (let i = 0; i < 200; i++) PAIRS.push([next(), next() >> BigInt(i % 64)]);

// Reference semantics (formats.md §1.5).
function alu64(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+=': return u64(a + b);
    case '-=': return u64(a - b);
    case '*=': return u64(a * b);
    case '/=': return b === 0n ? 0n : a / b;
    case '%=': return b === 0n ? a : a % b;
    case 's/=': return b === 0n ? 0n : u64(s64(a) / s64(b));
    case 's%=': return b === 0n ? a : u64(s64(a) % s64(b));
    case '|=': return a | b;
    case '&=': return a & b;
    case '^=': return a ^ b;
    case '<<=': return u64(a << (b & 63n));
    case '>>=': return a >> (b & 63n);
    case 's>>=': return u64(s64(a) >> (b & 63n));
    case '=': return b;
    default: throw new Error(op);
  }
}
function alu32(op: string, a0: bigint, b0: bigint): bigint {
  const a = u32(a0), b = u32(b0);
  switch (op) {
    case '+=': return u32(a + b);
    case '-=': return u32(a - b);
    case '*=': return u32(a * b);
    case '/=': return b === 0n ? 0n : a / b;
    case '%=': return b === 0n ? a : a % b;
    case 's/=': return b === 0n ? 0n : u32(s32(a) / s32(b));
    case 's%=': return b === 0n ? a : u32(s32(a) % s32(b));
    case '|=': return a | b;
    case '&=': return a & b;
    case '^=': return a ^ b;
    case '<<=': return u32(a << (b & 31n));
    case '>>=': return a >> (b & 31n);
    case 's>>=': return u32(s32(a) >> (b & 31n));
    case '=': return b;
    default: throw new Error(op);
  }
}
const OPS = ['+=', '-=', '*=', '/=', '%=', 's/=', 's%=', '|=', '&=', '^=', '<<=', '>>=', 's>>=', '='];

describe('ts engine: ALU', () => {
  for (const op of OPS) {
    it(`64-bit r1 ${op} r2 (register) matches the BigInt model`, () => {
      const { run, mem, addr } = setup(`r2 = *(u64 *)(r1 +8)\nr3 = *(u64 *)(r1 +0)\nr3 ${op} r2\nr0 = r3\nexit`);
      for (const [a, b] of PAIRS) {
        mem().setBigUint64(addr, a, true);
        mem().setBigUint64(addr + 8, b, true);
        expect(run().r0, `${a} ${op} ${b}`).toBe(alu64(op, a, b));
      }
    });
    it(`32-bit w1 ${op} w2 (register) matches the model and zero-extends`, () => {
      const { run, mem, addr } = setup(`r2 = *(u64 *)(r1 +8)\nr3 = *(u64 *)(r1 +0)\nw3 ${op} w2\nr0 = r3\nexit`);
      for (const [a, b] of PAIRS) {
        mem().setBigUint64(addr, a, true);
        mem().setBigUint64(addr + 8, b, true);
        expect(run().r0, `${a} ${op} ${b}`).toBe(alu32(op, a, b));
      }
    });
  }
  const IMMS = [0, 1, -1, 5, -13, 31, 32, 63, 64, 0x7fffffff, -0x80000000];
  it('immediate forms: 64-bit sign-extends imm, 32-bit uses it as 32 bits; shifts mask the amount', () => {
    for (const op of OPS) {
      for (const imm of IMMS) {
        for (const a of [0x8000000000000001n, 0xfedcba9876543210n, 77n]) {
          const immB = BigInt(imm);
          const t64 = setup(`r0 = ${a} ll\nr0 ${op} ${imm}\nexit`);
          expect(t64.run().r0, `r0 ${op} ${imm} on ${a}`).toBe(alu64(op, a, u64(immB)));
          const t32 = setup(`r0 = ${a} ll\nw0 ${op} ${imm}\nexit`);
          expect(t32.run().r0, `w0 ${op} ${imm} on ${a}`).toBe(alu32(op, a, u64(immB)));
        }
      }
    }
  });
  it('neg, movsx, byte swaps', () => {
    const v = 0x8877665544332211n;
    const cases: [string, bigint][] = [
      ['r0 = -r0', u64(-v)],
      ['w0 = -w0', u32(-u32(v))],
      ['r0 = (s8)r0', u64(s64(BigInt.asIntN(8, v)))],
      ['r0 = (s16)r0', u64(BigInt.asIntN(16, v))],
      ['r0 = (s32)r0', u64(BigInt.asIntN(32, v))],
      ['w0 = (s8)w0', u32(BigInt.asIntN(8, v))],
      ['w0 = (s16)w0', u32(BigInt.asIntN(16, v))],
      ['r0 = bswap16 r0', 0x1122n],
      ['r0 = bswap32 r0', 0x11223344n],
      ['r0 = bswap64 r0', 0x1122334455667788n],
      ['r0 = be16 r0', 0x1122n],
      ['r0 = be32 r0', 0x11223344n],
      ['r0 = be64 r0', 0x1122334455667788n],
      ['r0 = le16 r0', 0x2211n],
      ['r0 = le32 r0', 0x44332211n],
      ['r0 = le64 r0', v],
    ];
    for (const [insn, want] of cases) expect(setup(`r0 = ${v} ll\n${insn}\nexit`).run().r0, insn).toBe(want);
    expect(setup('r0 = 0 ll\nr0 = -r0\nexit').run().r0).toBe(0n);
    expect(setup('r0 = 0x8000000000000000 ll\nr0 = -r0\nexit').run().r0).toBe(0x8000000000000000n);
  });
  it('mov64 imm sign-extends, mov32 imm zero-extends', () => {
    expect(setup('r0 = -1\nexit').run().r0).toBe(M64);
    expect(setup('w0 = -1\nexit').run().r0).toBe(0xffffffffn);
  });
});

const CMPS = ['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<=', '&'];
function cmp(op: string, a: bigint, b: bigint, bits: 32 | 64): boolean {
  const ua = BigInt.asUintN(bits, a), ub = BigInt.asUintN(bits, b);
  const sa = BigInt.asIntN(bits, a), sb = BigInt.asIntN(bits, b);
  switch (op) {
    case '==': return ua === ub;
    case '!=': return ua !== ub;
    case '>': return ua > ub;
    case '>=': return ua >= ub;
    case '<': return ua < ub;
    case '<=': return ua <= ub;
    case 's>': return sa > sb;
    case 's>=': return sa >= sb;
    case 's<': return sa < sb;
    case 's<=': return sa <= sb;
    default: return (ua & ub) !== 0n;
  }
}

describe('ts engine: jumps', () => {
  for (const op of CMPS) {
    it(`if r ${op} r / if w ${op} w (register and immediate) match the model`, () => {
      const j64 = setup(`r2 = *(u64 *)(r1 +8)\nr3 = *(u64 *)(r1 +0)\nr0 = 1\nif r3 ${op} r2 goto +1\nr0 = 0\nexit`);
      const j32 = setup(`r2 = *(u64 *)(r1 +8)\nr3 = *(u64 *)(r1 +0)\nr0 = 1\nif w3 ${op} w2 goto +1\nr0 = 0\nexit`);
      for (const [a, b] of PAIRS) {
        for (const t of [j64, j32]) {
          t.mem().setBigUint64(t.addr, a, true);
          t.mem().setBigUint64(t.addr + 8, b, true);
        }
        expect(j64.run().r0, `${a} ${op} ${b}`).toBe(cmp(op, a, b, 64) ? 1n : 0n);
        expect(j32.run().r0, `w: ${a} ${op} ${b}`).toBe(cmp(op, a, b, 32) ? 1n : 0n);
      }
      for (const imm of [0, 1, -1, 0x7fffffff, -0x80000000, 13]) {
        for (const a of [0n, 1n, M64, 0xffffffffn, 0x80000000n, 0x100000000n, 13n, u64(-13n)]) {
          const k64 = setup(`r3 = ${a} ll\nr0 = 1\nif r3 ${op} ${imm} goto +1\nr0 = 0\nexit`);
          expect(k64.run().r0, `${a} ${op} imm ${imm}`).toBe(cmp(op, a, u64(BigInt(imm)), 64) ? 1n : 0n);
          const k32 = setup(`r3 = ${a} ll\nr0 = 1\nif w3 ${op} ${imm} goto +1\nr0 = 0\nexit`);
          expect(k32.run().r0, `w: ${a} ${op} imm ${imm}`).toBe(cmp(op, a, u64(BigInt(imm)), 32) ? 1n : 0n);
        }
      }
    });
  }
  it('goto, gotol (ja32) and backward loops; executed instructions are counted (ld_imm64 = 1)', () => {
    const t = setup('r0 = 0 ll\nr1 = 10\nr0 += r1\nr1 += -1\nif r1 != 0 goto -3\ngotol +1\nr0 = 99\nexit');
    const r = t.run();
    expect(r.r0).toBe(55n);
    expect(r.insns).toBe(2 + 3 * 10 + 2);
  });
  it('may_goto falls through 8M times per frame, then jumps', () => {
    const t = setup('r0 = 0\nmay_goto +2\nr0 += 1\ngoto -3\nexit');
    const r = t.run({ budget: 1n << 40n });
    expect(r.r0).toBe(8n * 1024n * 1024n);
    expect(r.insns).toBe(1 + 3 * 8 * 1024 * 1024 + 2);
  });
});

describe('ts engine: memory', () => {
  it('loads of every size, zero- and sign-extending', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setBigUint64(0, 0xf1e2d3c4b5a69788n, true);
    const cases: [string, bigint][] = [
      ['r0 = *(u8 *)(r1 +0)', 0x88n], ['r0 = *(u16 *)(r1 +0)', 0x9788n], ['r0 = *(u32 *)(r1 +0)', 0xb5a69788n],
      ['r0 = *(u64 *)(r1 +0)', 0xf1e2d3c4b5a69788n], ['r0 = *(s8 *)(r1 +0)', u64(-0x78n)], ['r0 = *(s16 *)(r1 +0)', u64(BigInt.asIntN(16, 0x9788n))],
      ['r0 = *(s32 *)(r1 +0)', u64(BigInt.asIntN(32, 0xb5a69788n))], ['r0 = *(u8 *)(r1 +7)', 0xf1n], ['r0 = *(u16 *)(r1 +3)', 0xc4b5n],
      ['r0 = *(s8 *)(r1 +1)', u64(-0x69n)], ['r0 = *(u32 *)(r1 +5)', 0xf1e2d3n], ['r0 = *(s32 *)(r1 +4)', u64(BigInt.asIntN(32, 0xf1e2d3c4n))],
    ];
    for (const [insn, want] of cases) expect(setup(`${insn}\nexit`, data.slice()).run().r0, insn).toBe(want);
  });
  it('stores of every size from registers and immediates; the stack is r10-relative per frame', () => {
    const t = setup(`r2 = 0x1122334455667788 ll
*(u8 *)(r1 +0) = r2
*(u16 *)(r1 +2) = r2
*(u32 *)(r1 +4) = r2
*(u64 *)(r1 +8) = r2
*(u8 *)(r1 +16) = -2
*(u16 *)(r1 +18) = -3
*(u32 *)(r1 +20) = -4
*(u64 *)(r1 +24) = -5
*(u64 *)(r10 -8) = r2
r0 = *(u64 *)(r10 -8)
exit`);
    expect(t.run().r0).toBe(0x1122334455667788n);
    const v = t.mem();
    expect(v.getUint8(t.addr)).toBe(0x88);
    expect(v.getUint16(t.addr + 2, true)).toBe(0x7788);
    expect(v.getUint32(t.addr + 4, true)).toBe(0x55667788);
    expect(v.getBigUint64(t.addr + 8, true)).toBe(0x1122334455667788n);
    expect(v.getUint8(t.addr + 16)).toBe(0xfe);
    expect(v.getUint16(t.addr + 18, true)).toBe(0xfffd);
    expect(v.getUint32(t.addr + 20, true)).toBe(0xfffffffc);
    expect(v.getBigUint64(t.addr + 24, true)).toBe(u64(-5n));
    expect(v.getBigUint64(t.core.stackFrameTop(0) - 8, true)).toBe(0x1122334455667788n);
  });

  const ATOMICS: [string, (m: bigint, s: bigint) => bigint][] = [
    ['+=', (m, s) => m + s], ['|=', (m, s) => m | s], ['&=', (m, s) => m & s], ['^=', (m, s) => m ^ s],
  ];
  const FETCH: Record<string, string> = { '+=': 'add', '|=': 'or', '&=': 'and', '^=': 'xor' };
  for (const [op, f] of ATOMICS) {
    it(`atomics ${FETCH[op]}: lock and fetch forms, 32 and 64 bits`, () => {
      const m0 = 0xffffffff_f0f0f0f0n, s0 = 0x1_3333_3333n;
      const lock64 = setup(`r2 = ${s0} ll\nr3 = ${m0} ll\n*(u64 *)(r1 +8) = r3\nlock *(u64 *)(r1 +8) ${op} r2\nr0 = *(u64 *)(r1 +8)\nexit`);
      expect(lock64.run().r0).toBe(u64(f(m0, s0)));
      const lock32 = setup(`r2 = ${s0} ll\nr3 = ${m0} ll\n*(u64 *)(r1 +8) = r3\nlock *(u32 *)(r1 +8) ${op} r2\nr0 = *(u64 *)(r1 +8)\nexit`);
      expect(lock32.run().r0).toBe((m0 & 0xffffffff00000000n) | u32(f(u32(m0), u32(s0))));
      const fetch64 = setup(`r2 = ${s0} ll\nr3 = ${m0} ll\n*(u64 *)(r1 +8) = r3\nr2 = atomic64_fetch_${FETCH[op]}((u64 *)(r1 +8), r2)\nr0 = *(u64 *)(r1 +8)\n*(u64 *)(r1 +16) = r2\nexit`);
      expect(fetch64.run().r0).toBe(u64(f(m0, s0)));
      expect(fetch64.mem().getBigUint64(fetch64.addr + 16, true)).toBe(m0);
      const fetch32 = setup(`r2 = ${s0} ll\nr3 = ${m0} ll\n*(u64 *)(r1 +8) = r3\nr2 = atomic_fetch_${FETCH[op]}((u32 *)(r1 +8), r2)\nr0 = *(u32 *)(r1 +8)\n*(u64 *)(r1 +16) = r2\nexit`);
      expect(fetch32.run().r0).toBe(u32(f(u32(m0), u32(s0))));
      expect(fetch32.mem().getBigUint64(fetch32.addr + 16, true)).toBe(u32(m0));
    });
  }
  it('xchg and cmpxchg (hit and miss), 32 and 64 bits, zero-extended results', () => {
    const pre = 'r3 = 0xaaaaaaaabbbbbbbb ll\n*(u64 *)(r1 +8) = r3\nr2 = 0x1111111122222222 ll';
    const x64 = setup(`${pre}\nr2 = atomic64_xchg((u64 *)(r1 +8), r2)\nr0 = *(u64 *)(r1 +8)\n*(u64 *)(r1 +16) = r2\nexit`);
    expect(x64.run().r0).toBe(0x1111111122222222n);
    expect(x64.mem().getBigUint64(x64.addr + 16, true)).toBe(0xaaaaaaaabbbbbbbbn);
    const x32 = setup(`${pre}\nr2 = atomic_xchg((u32 *)(r1 +8), r2)\nr0 = *(u64 *)(r1 +8)\n*(u64 *)(r1 +16) = r2\nexit`);
    expect(x32.run().r0).toBe(0xaaaaaaaa22222222n);
    expect(x32.mem().getBigUint64(x32.addr + 16, true)).toBe(0xbbbbbbbbn);
    for (const [r0, hit] of [['0xaaaaaaaabbbbbbbb', true], ['0xaaaaaaaabbbbbbbc', false]] as const) {
      const c64 = setup(`${pre}\nr0 = ${r0} ll\nr0 = atomic64_cmpxchg((u64 *)(r1 +8), r0, r2)\n*(u64 *)(r1 +16) = r0\nexit`);
      c64.run();
      expect(c64.mem().getBigUint64(c64.addr + 8, true)).toBe(hit ? 0x1111111122222222n : 0xaaaaaaaabbbbbbbbn);
      expect(c64.mem().getBigUint64(c64.addr + 16, true)).toBe(0xaaaaaaaabbbbbbbbn);
    }
    for (const [r0, hit] of [['0x77777777bbbbbbbb', true], ['0xaaaaaaaabbbbbbbc', false]] as const) {
      const c32 = setup(`${pre}\nr0 = ${r0} ll\nr0 = atomic_cmpxchg((u32 *)(r1 +8), r0, r2)\n*(u64 *)(r1 +16) = r0\nexit`);
      c32.run();
      expect(c32.mem().getBigUint64(c32.addr + 8, true)).toBe(hit ? 0xaaaaaaaa22222222n : 0xaaaaaaaabbbbbbbbn);
      expect(c32.mem().getBigUint64(c32.addr + 16, true)).toBe(0xbbbbbbbbn);
    }
  });
  it('load_acquire / store_release', () => {
    const t = setup('r2 = 0x0102030405060708 ll\nstore_release((u64 *)(r1 +8), r2)\nr0 = load_acquire((u32 *)(r1 +8))\nexit');
    expect(t.run().r0).toBe(0x05060708n);
    expect(t.mem().getBigUint64(t.addr + 8, true)).toBe(0x0102030405060708n);
  });
});

describe('ts engine: calls', () => {
  it('bpf-to-bpf calls: arguments, r0, callee-saved r6-r9, a stack per frame', () => {
    const t = setup(`r6 = 6
r7 = 7
r8 = 8
r9 = 9
*(u64 *)(r10 -8) = r9
r1 = 40
r2 = 2
call pc+8
r0 += r6
r0 += r7
r0 += r8
r0 += r9
r1 = *(u64 *)(r10 -8)
r0 += r1
exit
exit
r6 = 100
r7 = 100
r8 = 100
r9 = 100
*(u64 *)(r10 -8) = r6
r0 = r1
r0 += r2
exit`);
    expect(t.run().r0).toBe(42n + 6n + 7n + 8n + 9n + 9n);
    expect(t.mem().getBigUint64(t.core.stackFrameTop(1) - 8, true)).toBe(100n);
  });
  it('recursion up to 8 frames; the 9th is a Stack fault at the call', () => {
    // f(n) = n == 0 ? 0 : 1 + f(n - 1)
    const src = 'r1 = *(u64 *)(r1 +0)\ncall pc+1\nexit\nr0 = 0\nif r1 == 0 goto +4\nr1 += -1\ncall pc-4\nr0 += 1\nexit\nexit';
    const t = setup(src);
    t.mem().setBigUint64(t.addr, 6n, true);
    expect(t.run().r0).toBe(6n);
    t.mem().setBigUint64(t.addr, 7n, true);
    expect(() => t.run()).toThrowError(expect.objectContaining({ name: 'RunFault', code: 6, pc: 6 }));
  });
  it('helpers get r1-r5 and return r0; callbacks (bpf_loop) run in a new frame, re-entrantly', () => {
    // main: bpf_loop(5, cb, r10-8 as ctx, 0); cb(i, ctx): *ctx += i; return 0. Then r0 = loops * 1000 + sum.
    const t = setup(`r6 = 0
*(u64 *)(r10 -8) = r6
r1 = 5
r2 = 0x10000000d ll
r3 = r10
r3 += -8
r4 = 0
call 181
r0 *= 1000
r1 = *(u64 *)(r10 -8)
r0 += r1
exit
r3 = *(u64 *)(r2 +0)
r3 += r1
*(u64 *)(r2 +0) = r3
r0 = 0
exit`);
    const before = t.core.callbackHandler;
    expect(t.run().r0).toBe(5010n);
    expect(t.core.callbackHandler).toBe(before);
    expect(t.core.calls).toEqual([[181, 8]]);
  });
  it('a callback that returns 1 stops bpf_loop; its r0 is the 64-bit value', () => {
    const t = setup('r1 = 100\nr2 = 0x100000009 ll\nr3 = 0\nr4 = 0\ncall 181\nexit\nexit\nexit\nr0 = 0\nif r1 != 3 goto +1\nr0 = 1\nexit');
    expect(t.run().r0).toBe(4n);
  });
  it('memory growth during a helper: the program keeps working on the new buffer', () => {
    const t = setup(`r6 = r1\n*(u64 *)(r10 -8) = r6\ncall 32752\nr1 = *(u64 *)(r10 -8)\nr2 = 77\n*(u64 *)(r1 +0) = r2\ncall pc+2\nr0 = *(u64 *)(r6 +0)\nexit\ncall 32752\nr0 = 0\nexit`);
    const before = t.core.memory.buffer.byteLength;
    expect(t.run().r0).toBe(77n);
    expect(t.core.memory.buffer.byteLength).toBe(before + 2 * 65536);
  });
  it('r2..r5 at entry (args extension)', () => {
    const t = setup('r0 = r2\nr0 += r5\nexit');
    expect(t.run({ args: [40n, 0n, 0n, 2n] }).r0).toBe(42n);
  });
  it('unchecked mode gives the same results', () => {
    const t = setup('r2 = 3\nr3 = *(u64 *)(r1 +0)\nr3 *= r2\n*(u64 *)(r1 +8) = r3\nr0 = *(u64 *)(r1 +8)\nexit');
    t.mem().setBigUint64(t.addr, 14n, true);
    expect(t.run({ checked: false }).r0).toBe(42n);
  });
});

describe('ts engine: code layout', () => {
  it('forward jumps into, out of and across loops, and more forward targets than one segment nests', () => {
    // Loop 20 times over 1001 instructions with 250 forward skips (a mix of taken and not taken),
    // a jump from before the loop into its middle and a jump out of it.
    const lines = ['r0 = 0', 'r6 = 20', 'if r6 == 20 goto +2', 'r0 += 1000', 'r0 += 1000'];
    const body: string[] = [];
    for (let i = 0; i < 1001; i++) {
      if (i % 4 === 3) body.push(`if r6 ${i % 8 === 3 ? '>' : '<'} 10 goto +1`);
      else body.push(`r0 += ${i + 1}`);
    }
    lines.push(...body, 'r6 += -1', 'if r6 == 3 goto +2', `if r6 != 0 goto -${body.length + 3}`, 'r0 += 7', 'exit');
    // reference interpretation of the same shape
    let r0 = 0, r6 = 20;
    for (;;) {
      for (let i = 0; i < 1001; i++) {
        if (i % 4 === 3) {
          const taken = i % 8 === 3 ? r6 > 10 : r6 < 10;
          if (taken) i++;
        } else r0 += i + 1;
      }
      r6 -= 1;
      if (r6 === 3) break;
      if (r6 === 0) { r0 += 7; break; }
    }
    const t = setup(lines.join('\n'));
    expect(t.run().r0).toBe(BigInt(r0));
    expect(t.run({ checked: false }).r0).toBe(BigInt(r0));
    const src = t.prog as unknown as { source(e: number, c: boolean): string };
    expect(src.source(0, false)).toContain('break F');
  });
});
