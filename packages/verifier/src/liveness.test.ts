import { assemble } from '@bpfkit/isa';
import { describe, expect, test } from 'vitest';
import { checkProgram } from './cfg.js';
import { liveRegsBefore } from './liveness.js';
import { toSlots } from './program.js';
import { verify } from './verify.js';

const regs = (m: number) => [...Array(11).keys()].filter((i) => m & (1 << i) && i !== 10);
const liveness = (src: string) => {
  const p = toSlots(assemble(src));
  return [...liveRegsBefore(p, checkProgram(p, []))].map(regs);
};

describe('static register liveness', () => {
  test('reads before writes, along every path', () => {
    expect(liveness('r1 = 1\nr2 = 2\nr0 = r1\nexit')).toEqual([[], [1], [1], [0]]);
    // r2 is read on the taken path only; r3 is written before any read
    expect(liveness('if r1 > 3 goto +2\nr3 = 0\nr0 = r3\nr0 = r2\nexit')).toEqual([[1, 2], [2], [2, 3], [2], [0]]);
  });

  test('a call reads R1-R5 and writes R0-R5; exit reads R0', () => {
    expect(liveness('r6 = r1\ncall bpf_ktime_get_ns#5\nr0 = r6\nexit')).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [6], [0]]);
  });

  test('a dead register does not block pruning', () => {
    // r2 is a pointer on one path and a scalar on the other, but never read again: the second path is pruned at the join
    const r = verify({ insns: assemble(`
      call bpf_get_prandom_u32#7
      r2 = 0
      r7 = 0
      r7 = 0
      r7 = 0
      r7 = 0
      r7 = 0
      r7 = 0
      if r0 == 0 goto join
      r2 = r10
      join:
      r7 = 0
      r0 = 0
      exit`), progType: 'xdp' }, { logLevel: 2 });
    expect(r.accepted).toBe(true);
    expect(r.log).toMatch(/from 8 to 10: R0=0 R2=0 R7=0 R10=fp0\n10: safe\n/);
  });
});
