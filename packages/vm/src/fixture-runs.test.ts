/**
 * Every recorded BPF_PROG_TEST_RUN sequence of fixtures/kernel-runs.json (Linux 6.18: one load per
 * sequence, the programs run in order with the same packet) replayed on both engines, unverified
 * (checked mode) and verified: each run's retval must be the kernel's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadObjectSpec, type ObjectSpec } from '@bpfkit/object';
import { loadInstance } from './instance.js';
import { RunError } from './errors.js';

interface KernelRun {
  object: string;
  sequence: string[];
  data: string;
  results: { prog: string; retval: number; errno: number }[];
}

const ROOT = new URL('../../../', import.meta.url);
const runs: KernelRun[] = JSON.parse(readFileSync(new URL('fixtures/kernel-runs.json', ROOT), 'utf8')).runs;
/** Known gaps of the verified replay, each with its reason (the checked replay has none). */
const ratchet: { verified: Record<string, string> } = JSON.parse(readFileSync(new URL('./fixture-runs.ratchet.json', import.meta.url), 'utf8'));
const objects = new Map<string, ObjectSpec>();
/** One spec per object, so verdicts are cached across the sequences (the instances are fresh). */
const specOf = (name: string): ObjectSpec => {
  let s = objects.get(name);
  if (!s) objects.set(name, (s = loadObjectSpec(new Uint8Array(readFileSync(new URL(`fixtures/obj/${name}.bpf.o`, ROOT))), { name })));
  return s;
};

/** Replays one sequence; returns the retvals (or the fault message in place of a retval). */
export async function replay(r: KernelRun, engine: 'wasm' | 'ts', verify: boolean): Promise<(number | string)[]> {
  const inst = await loadInstance(specOf(r.object), { engine, verify });
  const data = Uint8Array.from(Buffer.from(r.data, 'hex'));
  const out: (number | string)[] = [];
  for (const prog of r.sequence) {
    try {
      out.push(inst.run(prog, { data }).retval);
    } catch (e) {
      if (!(e instanceof RunError)) throw e;
      out.push(e.message);
      break;
    }
  }
  return out;
}

describe('fixture programs agree with Linux 6.18 (BPF_PROG_TEST_RUN)', () => {
  test('the recording has the sequences and every object is committed', () => {
    expect(runs.length).toBeGreaterThanOrEqual(98);
    for (const r of runs) {
      expect(r.results.map((x) => x.prog)).toEqual(r.sequence);
      expect(r.results.every((x) => x.errno === 0)).toBe(true);
      expect(specOf(r.object).programs.map((p) => p.name)).toEqual(expect.arrayContaining(r.sequence));
    }
  });

  test('every ratchet entry names a recorded object and gives a reason', () => {
    for (const [o, why] of Object.entries(ratchet.verified)) {
      expect(runs.some((r) => r.object === o)).toBe(true);
      expect(why.length).toBeGreaterThan(40);
    }
  });

  for (const engine of ['wasm', 'ts'] as const) {
    for (const verify of [false, true]) {
      test(`${engine} engine, ${verify ? 'verified (unchecked)' : 'checked'}: every sequence`, async () => {
        const bad: string[] = [];
        for (const r of runs) {
          if (verify && ratchet.verified[r.object]) continue;
          const got = await replay(r, engine, verify);
          const want = r.results.map((x) => x.retval);
          if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${r.object} [${r.sequence.join(', ')}]: got ${JSON.stringify(got)}, kernel ${JSON.stringify(want)}`);
        }
        expect(bad).toEqual([]);
      }, 120_000);
    }
  }
});
