/**
 * Replays the soundness fuzzer's regression fixtures (packages/vm/src/__regressions__/soundness/*.json,
 * written by scripts/fuzz.mjs and by hand). Each has the program (hex), the verifier verdict it must
 * get, and for `status: "fixed"` fixtures a clean run on both engines in checked mode. `status: "open"`
 * fixtures are bugs in code this suite does not own: the test checks that they still reproduce
 * exactly as recorded (`faults`), so fixing one fails here until the fixture is flipped to "fixed".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM script without declarations
import { Harness, insnsFromHex, verdict } from '../../../scripts/fuzz-soundness.mjs';

interface Fixture {
  name: string;
  hex: string;
  verifier: 'accept' | 'reject';
  status: 'open' | 'fixed';
  heapCap?: number;
  faults?: { wasm: number; ts: number };
}

const DIR = new URL('./__regressions__/soundness/', import.meta.url);
const fixtures: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Fixture);

describe('soundness regression fixtures', () => {
  test('there are fixtures to replay', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  for (const fx of fixtures) {
    test(`${fx.name} (${fx.status})`, async () => {
      const insns = insnsFromHex(fx.hex);
      const v = verdict(insns);
      expect(v.crash).toBeUndefined();
      expect(v.accepted ? 'accept' : 'reject').toBe(fx.verifier);
      const { obs, problems } = await new Harness().checkFresh(insns, fx.heapCap ?? 0);
      const faults = { wasm: obs.wasm.fault?.code ?? 0, ts: obs.ts.fault?.code ?? 0 };
      if (fx.status === 'fixed') {
        if (fx.verifier === 'accept') expect(problems).toEqual([]);
        else {
          // rejected programs may fault, but both engines must fault alike (same code and instruction)
          expect(faults.wasm).toBe(faults.ts);
          expect(problems.filter((p: { kind: string }) => p.kind === 'disagree')).toEqual([]);
        }
      } else {
        expect(faults).toEqual(fx.faults);
      }
    });
  }
});

describe('the harness itself (bug 4 of docs/robustness.md)', () => {
  test('long-lived worlds keep equal static memory tops, so stored object addresses can be compared', async () => {
    // Before the fix the ts world lacked the bytes the wasm engine's pre-decoding takes: the tops
    // differed from the first program on, and a size class first used late got its slab elsewhere.
    // @ts-expect-error plain ESM script without declarations
    const { generateProgram, caseSeed } = await import('../../../scripts/fuzz-soundness.mjs');
    const h = new Harness({ reloadEvery: 1000 });
    let runs = 0;
    for (let i = 0; runs < 60; i++) {
      const { insns } = generateProgram(caseSeed(0x7e57, i), {});
      if (!verdict(insns).accepted) continue;
      const { problems } = await h.check(insns, 0);
      expect(problems).toEqual([]);
      runs++;
      const w = h.worldsByCap.get(0);
      expect(w.wasm.core.staticAlloc(0, 8)).toBe(w.ts.core.staticAlloc(0, 8));
    }
  }, 120_000);
});

describe('the minimizer', () => {
  test('shrink keeps what the predicate needs; minimize also keeps the verifier accepting', async () => {
    // @ts-expect-error plain ESM script without declarations
    const { generateProgram, caseSeed, shrink, minimize } = await import('../../../scripts/fuzz-soundness.mjs');
    let insns: { code: number; imm: number }[] = [];
    for (let i = 0; ; i++) {
      insns = generateProgram(caseSeed(0x5e1f, i), {}).insns;
      if (verdict(insns).accepted && insns.some((x) => x.code === 0x85 && x.imm === 93)) break;
    }
    const hasLock = async (c: { code: number; imm: number }[]) => c.some((x) => x.code === 0x85 && x.imm === 93);
    const small = await shrink(insns, hasLock);
    expect(small).toHaveLength(1); // just the bpf_spin_lock call
    expect(await hasLock(small)).toBe(true);
    const accepted = await minimize(insns, hasLock, 400);
    expect(accepted.length).toBeLessThan(insns.length);
    expect(verdict(accepted).accepted).toBe(true);
    expect(await hasLock(accepted)).toBe(true);
  }, 120_000);
});
