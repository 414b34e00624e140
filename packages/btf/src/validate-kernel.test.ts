/**
 * Differential test against the kernel's recorded verdicts: every blob of
 * testing/oracle-blobs.ts was loaded once with BPF_BTF_LOAD (scripts/record-btf-oracle.mjs,
 * Linux 6.18) into __fixtures__/btf-oracle.json. Here the same blobs are regenerated, each
 * must hash to what was recorded (a generator change fails loudly: re-record), and
 * `validateBtfBytes` must agree on accept / reject, the errno and the exact last log line.
 * No kernel, python or privileges needed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixtureText } from './testing/fixtures.js';
import { oracleBlobSets } from './testing/oracle-blobs.js';
import { validateBtfBytes } from './validate.js';

interface Verdict { sha256: string; ok: boolean; errno: string; last: string }
interface Oracle { kernel: string; date: string; count: number; sets: Record<string, Verdict[]> }

const oracle = JSON.parse(fixtureText('btf-oracle.json')) as Oracle;
const sets = oracleBlobSets();
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function describeVerdict(v: { ok: boolean; errno?: string; last?: string }): string {
  return v.ok ? 'OK' : `${v.errno} ${JSON.stringify(v.last)}`;
}

describe(`validateBtfBytes agrees with the recorded kernel verdicts (Linux ${oracle.kernel})`, () => {
  it('the recording covers exactly the regenerated blobs', () => {
    expect(Object.keys(oracle.sets)).toEqual(sets.map((s) => s.name));
    expect(oracle.count).toBe(sets.reduce((n, s) => n + s.blobs.length, 0));
    for (const { name, blobs } of sets) {
      const stale = blobs.flatMap((b, i) => (sha256(b) === oracle.sets[name]![i]?.sha256 ? [] : [`${name} #${i}`]));
      expect(stale, 'blobs differ from the recording: re-run scripts/record-btf-oracle.mjs').toEqual([]);
    }
  });

  it('the recording is a real mix of accepted and rejected blobs', () => {
    const all = Object.values(oracle.sets).flat();
    expect(all.filter((v) => v.ok).length).toBeGreaterThan(20);
    expect(new Set(all.filter((v) => !v.ok).map((v) => v.last)).size).toBeGreaterThan(30);
    // the first blob of the word-mutant set is the unmutated loadable one
    expect(oracle.sets['loadable type-word mutants']![0]!.ok).toBe(true);
  });

  it.each(sets.map((s) => [s.name, s.blobs] as const))('on %s', (name, blobs) => {
    const mismatches: string[] = [];
    blobs.forEach((blob, i) => {
      const k = oracle.sets[name]![i]!;
      const v = validateBtfBytes(blob);
      const same = v.ok === k.ok && (k.ok || (v.error?.errno === k.errno && v.error?.line === k.last));
      if (!same) mismatches.push(`#${i}: kernel ${describeVerdict(k)} / ours ${describeVerdict({ ok: v.ok, errno: v.error?.errno, last: v.error?.line })}`);
    });
    expect(mismatches).toEqual([]);
  }, 120_000);
});
