/**
 * Precision tracking (precision.ts, D20): a checkpoint's scalar is a wildcard for pruning unless a later use
 * needed its exact value. Each program below joins two paths whose scalar differs at a checkpoint; the second path
 * is only wrong because of that scalar, so pruning it would hide the error (unsound). The value reaches the use
 * directly, through a spill/fill, through a copy, and through pointer arithmetic.
 */
import { assemble } from '@bpfkit/isa';
import { describe, expect, test } from 'vitest';
import { verify } from './verify.js';

const run = (src: string) => verify({ insns: assemble(src), progType: 'xdp', license: 'GPL' }, { logLevel: 2 });

/** r6 = 1 on the first path, 0 on the second; enough work before the join for a checkpoint there. */
const JOIN = `
  call bpf_get_prandom_u32#7
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r6 = 0
  if r0 == 0 goto join
  r6 = 1
  join:
  r7 = 0
`;

describe('precision backtracking keeps pruning sound', () => {
  test('a predicted branch makes its operand exact in the checkpoint', () => {
    const r = run(`${JOIN}
  if r6 == 0 goto bad
  r0 = 0
  exit
  bad:
  r0 = *(u64 *)(r6 +0)
  exit`);
    expect(r.error?.message).toBe("R6 invalid mem access 'scalar'");
  });

  test('through a spill and a fill', () => {
    const r = run(`
  call bpf_get_prandom_u32#7
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r7 = 0
  r6 = 0
  if r0 == 0 goto join
  r6 = 1
  join:
  *(u64 *)(r10 -8) = r6
  r6 = 0
  r1 = *(u64 *)(r10 -8)
  if r1 == 0 goto bad
  r0 = 0
  exit
  bad:
  r0 = *(u64 *)(r1 +0)
  exit`);
    expect(r.error?.message).toBe("R1 invalid mem access 'scalar'");
  });

  test('through a copy and an ALU op', () => {
    const r = run(`${JOIN}
  r2 = r6
  r2 += 10
  if r2 == 10 goto bad
  r0 = 0
  exit
  bad:
  r0 = *(u64 *)(r2 +0)
  exit`);
    expect(r.error?.message).toBe("R2 invalid mem access 'scalar'");
  });

  test('a pointer offset is exact', () => {
    const r = run(`${JOIN}
  r6 <<= 3
  r2 = 0
  r2 -= r6
  r1 = r10
  r1 += r2
  r2 = 0
  *(u64 *)(r1 +0) = r2
  r0 = 0
  exit`);
    expect(r.error?.message).toBe('invalid write to stack R1 off=0 size=8');
  });

  test('a scalar nothing needs exactly is a wildcard: the second path is pruned at the join', () => {
    const r = run(`${JOIN}
  r0 = r6
  r0 = 0
  exit`);
    expect(r.accepted).toBe(true);
    expect(r.log).toMatch(/from 9 to 11: safe|^11: safe$/m);
    // the same program with r6 deciding a (predicted) branch is not pruned, though both branches are safe
    const p = run(`${JOIN}
  if r6 == 0 goto zero
  r0 = 0
  exit
  zero:
  r0 = 0
  exit`);
    expect(p.accepted).toBe(true);
    expect(p.log).not.toMatch(/: safe/);
    expect(p.stats.insnsProcessed).toBeGreaterThan(r.stats.insnsProcessed);
  });

  test('a may_goto loop: a value the body tests exactly is not widened away, so the second iteration is checked', () => {
    const r = run(`
  r6 = 0
  loop:
  may_goto out
  if r6 == 1 goto bad
  r6 = 1
  goto loop
  out:
  r0 = 0
  exit
  bad:
  r0 = *(u64 *)(r6 +0)
  exit`);
    expect(r.error?.message).toBe("R6 invalid mem access 'scalar'");
  });

  test('a may_goto loop with an imprecise counter converges after widening (three visits of the head)', () => {
    const r = run(`
  r6 = 0
  loop:
  may_goto out
  r6 += 1
  goto loop
  out:
  r0 = 0
  exit`);
    expect(r.accepted).toBe(true);
    expect(r.log).toMatch(/from 1 to 2: R1=ctx\(\) R6=0 R10=fp0/);
    expect(r.log).toMatch(/from 1 to 2: R1=ctx\(\) R6=scalar\(\) R10=fp0/);
    expect(r.log).toMatch(/^1: safe$/m);
  });
});
