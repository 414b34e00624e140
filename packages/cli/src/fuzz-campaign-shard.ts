/**
 * Parser fuzzing in CI: one shard of 4 (5,000 mutated ELF / BTF / BTF.ext inputs each, 20,000 in all;
 * mutators in scripts/fuzz-parsers.mjs), one test file per shard so vitest runs them in parallel. Only
 * typed errors with a location are allowed, in bounded time.
 */
import { expect, test } from 'vitest';
// @ts-expect-error plain ESM script without declarations
import { parserShard } from '../../../scripts/fuzz-ci.mjs';

const SHARDS = 4;
const PER_SHARD = 5000;
const SEED = 0xfa50;

/** Register the test of shard `n` (1-based). */
export function parserFuzzShard(n: number): void {
  test(`5,000 mutated inputs (shard ${n}/${SHARDS}): parsed, or a typed error with a location`, async () => {
    const r = await parserShard(SEED, (n - 1) * PER_SHARD, PER_SHARD);
    expect(r.findings).toEqual([]);
    expect(r.tally.noloc + r.tally.untyped).toBe(0);
    expect(r.tally.ok).toBeGreaterThan(500);
    expect(r.tally.typed).toBeGreaterThan(500);
    // a hang bound, generous for a loaded CI machine (the campaign flags > 1 s)
    expect(r.maxMs).toBeLessThan(5000);
  }, 240_000);
}
