/**
 * Parser fuzzing in CI, shard 1 of 4 (5,000 mutated ELF / BTF / BTF.ext inputs each, 20,000 in all;
 * mutators in scripts/fuzz-parsers.mjs). Only typed errors with a location are allowed, in bounded time.
 */
import { expect, test } from 'vitest';
// @ts-expect-error plain ESM script without declarations
import { parserShard } from '../../../scripts/fuzz-ci.mjs';

test('5,000 mutated inputs (shard 1/4): parsed, or a typed error with a location', async () => {
  const r = await parserShard(0xfa50, 0, 5000);
  expect(r.findings).toEqual([]);
  expect(r.tally.noloc + r.tally.untyped).toBe(0);
  expect(r.tally.ok).toBeGreaterThan(500);
  expect(r.tally.typed).toBeGreaterThan(500);
  // a hang bound, generous for a loaded CI machine (the campaign flags > 1 s)
  expect(r.maxMs).toBeLessThan(5000);
}, 240_000);
