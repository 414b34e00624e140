/**
 * Complexity limits with Linux's messages (issue 7). Verdicts, errnos and lines recorded from Linux 6.18
 * with tools/oracle/bpf-oracle (XDP programs, log_level 1):
 *   counting loop to 0x7fffffff  → E2BIG "BPF program is too large. Processed 1000001 insn"
 *   8,200 pending branches       → EFAULT "The sequence of 8193 jumps is too complex."
 *   main + 7 nested calls        → accepted;  main + 8 → E2BIG "the call stack of 9 frames is too deep"
 */
import { describe, expect, test } from 'vitest';
import { insn, type Insn } from '@bpfkit/isa';
import { verify } from './verify.js';

const run = (insns: Insn[], opts: { maxStateMemory?: number } = {}) => verify({ insns, progType: 6, license: 'GPL', progFlags: 0, maps: [] }, { logLevel: 1, ...opts });

/** r0 unknown, then `n` branches on it, each with its own write: every branch is queued, nothing prunes early. */
function branchy(n: number): Insn[] {
  const p: Insn[] = [insn(0x85, 0, 0, 0, 7)];
  for (let k = 0; k < n; k++) p.push(insn(0x15, 0, 0, 1, k), insn(0xb7, 1, 0, 0, k));
  p.push(insn(0xb7, 0, 0, 0, 0), insn(0x95));
  return p;
}

/** main calls f1, f1 calls f2, … fd returns 0: d + 1 frames. */
function chain(d: number): Insn[] {
  const p: Insn[] = [insn(0x85, 0, 1, 0, 1), insn(0x95)];
  for (let k = 1; k <= d; k++) p.push(...(k < d ? [insn(0x85, 0, 1, 0, 1), insn(0x95)] : [insn(0xb7, 0, 0, 0, 0), insn(0x95)]));
  return p;
}

describe('verifier complexity limits', () => {
  test('1M processed instructions: a loop that never prunes', () => {
    const r = run([insn(0xb7, 0, 0, 0, 0), insn(0x07, 0, 0, 0, 1), insn(0x55, 0, 0, -2, 0x7fffffff), insn(0x95)]);
    expect(r.accepted).toBe(false);
    expect(r.error?.message).toBe('BPF program is too large. Processed 1000001 insn');
    expect(r.error?.errno).toBe('E2BIG');
    expect(r.log).toContain('BPF program is too large. Processed 1000001 insn');
  }, 120_000);

  test('8,193 pending branches: the jump sequence is too complex', () => {
    const p: Insn[] = [insn(0x85, 0, 0, 0, 7)]; // r0 = bpf_get_prandom_u32(): unknown, so every branch is pushed
    for (let k = 0; k < 8200; k++) p.push(insn(0x15, 0, 0, 1, k), insn(0xb7, 1, 0, 0, k));
    p.push(insn(0xb7, 0, 0, 0, 0), insn(0x95));
    const r = run(p);
    expect(r.accepted).toBe(false);
    expect(r.error?.message).toBe('The sequence of 8193 jumps is too complex.');
    expect(r.error?.errno).toBe('EFAULT');
  }, 120_000);

  test('explored-state memory cap: a clean ENOMEM with the figures, not an exhausted heap', () => {
    const r = run(branchy(400), { maxStateMemory: 256 * 1024 });
    expect(r.accepted).toBe(false);
    expect(r.error?.errno).toBe('ENOMEM');
    expect(r.error?.message).toMatch(/^explored states need more than the verifier's state memory cap of 0\.3 MiB \(\d+ kept states, \d+ pending branches, about 0\.3 MiB\)$/);
    expect(r.error?.insn).toBeGreaterThan(0);
    // the same program within the default cap: accepted
    expect(run(branchy(400)).accepted).toBe(true);
  }, 120_000);

  test('call chains: 8 frames are allowed, the 9th is too deep', () => {
    expect(run(chain(7)).accepted).toBe(true);
    const r = run(chain(8));
    expect(r.accepted).toBe(false);
    expect(r.error?.message).toBe('the call stack of 9 frames is too deep');
    expect(r.error?.errno).toBe('E2BIG');
  });
});
