/**
 * Bounded campaigns for CI (issue 7): the vitest files packages/vm/src/fuzz-soundness-*.test.ts and
 * packages/cli/src/fuzz-campaign-*.test.ts each run one shard so vitest can spread them over workers.
 */
import { caseSeed, Harness, heapCapFor, soundnessCase, disasm } from './fuzz-soundness.mjs';

/** Small programs (one snippet, little filler) keep verification cheap enough for CI. */
export const CI_PROGRAM_OPTS = { maxSnippets: 1, fillerMax: 3, fillerRate: 0.4 };

export async function programShard(seed, from, count, opts = CI_PROGRAM_OPTS) {
  const harness = new Harness();
  const tally = { accepted: 0, rejected: 0, crash: 0 };
  const findings = [];
  for (let i = from; i < from + count; i++) {
    const cs = caseSeed(seed, i);
    const r = await soundnessCase(harness, cs, opts);
    tally[r.verdict]++;
    if (r.problems.length && findings.length < 5) findings.push({ case: i, heapCap: heapCapFor(cs), problems: r.problems, program: disasm(r.insns).join('\n') });
  }
  return { tally, findings, runs: harness.runs };
}

export async function parserShard(seed, from, count) {
  const { parserCase } = await import('./fuzz-parsers.mjs');
  const tally = { ok: 0, typed: 0, noloc: 0, untyped: 0 };
  const findings = [];
  let maxMs = 0;
  for (let i = from; i < from + count; i++) {
    const r = parserCase(caseSeed(seed, i));
    tally[r.outcome]++;
    maxMs = Math.max(maxMs, r.ms);
    if ((r.outcome === 'untyped' || r.outcome === 'noloc') && findings.length < 5) findings.push({ case: i, target: r.target, mutation: r.mutation, detail: r.detail });
  }
  return { tally, findings, maxMs };
}
