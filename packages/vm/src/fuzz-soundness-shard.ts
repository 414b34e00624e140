/**
 * Soundness fuzzing in CI: one shard of 8 (2,500 generated programs each, 20,000 in all; generator and
 * harness: scripts/fuzz-soundness.mjs), one test file per shard so vitest runs them in parallel. Every
 * program the verifier accepts runs on both engines in checked mode: no fault, no lock left held, nothing
 * leaked after draining the maps, engines agree.
 */
import { expect, test } from 'vitest';
// @ts-expect-error plain ESM script without declarations
import { programShard } from '../../../scripts/fuzz-ci.mjs';

const SHARDS = 8;
const PER_SHARD = 2500;
const SEED = 0x50d0;

/** Register the test of shard `n` (1-based). */
export function soundnessShard(n: number): void {
  test(`2,500 generated programs (shard ${n}/${SHARDS}): accepted ones run clean on both engines`, async () => {
    const r = await programShard(SEED, (n - 1) * PER_SHARD, PER_SHARD);
    expect(r.findings).toEqual([]);
    expect(r.tally.crash).toBe(0);
    // the generator must produce both verdicts, or it tests little
    expect(r.tally.accepted).toBeGreaterThan(1200);
    expect(r.tally.rejected).toBeGreaterThan(50);
    expect(r.runs).toBe(r.tally.accepted);
  }, 240_000);
}
