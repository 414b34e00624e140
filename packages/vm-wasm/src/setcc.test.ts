/**
 * SETCC: `rD = K1; if <cond> goto +1; rD = K2` runs as one branch-free op. Same registers and instruction
 * counts as the three slots, for every condition, width and operand form, and jumps into the middle still work.
 */
import { describe, expect, it } from 'vitest';
import { FaultCode } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load } from './test-util.js';

const OPS: [string, (a: bigint, b: bigint, sa: bigint, sb: bigint) => boolean][] = [
  ['==', (a, b) => a === b], ['>', (a, b) => a > b], ['>=', (a, b) => a >= b], ['&', (a, b) => (a & b) !== 0n],
  ['!=', (a, b) => a !== b], ['s>', (_a, _b, sa, sb) => sa > sb], ['s>=', (_a, _b, sa, sb) => sa >= sb],
  ['<', (a, b) => a < b], ['<=', (a, b) => a <= b], ['s<', (_a, _b, sa, sb) => sa < sb], ['s<=', (_a, _b, sa, sb) => sa <= sb],
];
const VALUES = [0n, 1n, 5n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0005n, 0xffff_ffff_ffff_fffbn, 0x8000_0000_0000_0000n];

describe('SETCC fusion', () => {
  const core = instantiateCoreSync();
  for (const wide of [true, false]) {
    it(`every condition, ${wide ? '64' : '32'}-bit, register and immediate forms`, () => {
      const r = wide ? 'r' : 'w';
      const mask = wide ? (1n << 64n) - 1n : 0xffffffffn;
      const bits = wide ? 64 : 32;
      for (const [op, f] of OPS) {
        for (const form of ['reg', 'imm'] as const) {
          const rhs = form === 'reg' ? `${r}2` : '-3';
          const p = load(core, `r1 = *(u64 *)(r1 +0)\nr2 = *(u64 *)(r10 -8)\n${r}0 = 7\nif ${r}1 ${op} ${rhs} goto +1\n${r}0 = -2\nexit`);
          for (const a of VALUES) {
            for (const b0 of VALUES) {
              const b = form === 'reg' ? b0 : BigInt.asUintN(64, -3n);
              const mem = core.scratch;
              core.view.setBigUint64(mem, a, true);
              // r2 from the stack: write it at r10-8 of frame 0
              core.view.setBigUint64(core.stackFrameTop(0) - 8, b0, true);
              core.regionAdd(mem, 8, 1);
              expect(core.run(p.text, p.slots, 0, BigInt(mem), true, 1000n)).toBe(FaultCode.None);
              const ua = a & mask, ub = b & mask;
              const taken = f(ua, ub, BigInt.asIntN(bits, ua), BigInt.asIntN(bits, ub));
              expect(core.r0(), `${op} ${form} ${a} ${b}`).toBe(taken ? 7n : BigInt.asUintN(wide ? 64 : 32, -2n));
              expect(core.insns()).toBe(taken ? 5n : 6n);
              core.endRun();
            }
          }
        }
      }
    });
  }

  it('the destination as an operand reads the first value; jumps into the jump or the second mov', () => {
    const own = load(core, 'r0 = 3\nif r0 > 2 goto +1\nr0 = 1\nexit');
    expect(core.run(own.text, own.slots, 0, 0n, false, 0n)).toBe(FaultCode.None);
    expect([core.r0(), core.insns()]).toEqual([3n, 3n]);
    const mid = load(core, 'r0 = 9\nif r1 == 0 goto +2\nr0 = 5\nif r0 < 6 goto +1\nr0 = 1\nexit');
    expect(core.run(mid.text, mid.slots, 0, 1n, false, 0n)).toBe(FaultCode.None);
    expect([core.r0(), core.insns()]).toEqual([5n, 5n]); // 9, jump not taken, 5, taken, exit
    expect(core.run(mid.text, mid.slots, 0, 0n, false, 0n)).toBe(FaultCode.None);
    expect([core.r0(), core.insns()]).toEqual([1n, 4n]); // jumps onto the second mov of the fused group
  });

  it('the budget is checked at the fused taken jump', () => {
    const p = load(core, 'r0 = 1\nif r1 == 0 goto +1\nr0 = 0\nr2 = 0\nexit');
    expect(core.run(p.text, p.slots, 0, 0n, false, 1n)).toBe(FaultCode.Budget);
    expect(core.fault().pc).toBe(1);
    expect(core.run(p.text, p.slots, 0, 0n, false, 10n)).toBe(FaultCode.None);
  });
});
