/**
 * The recorded kernel corpus (cases/*.txt, verdicts in cases/kernel.json): our
 * verdict and first error line against Linux 6.18's. Cases we do not agree on
 * yet are listed, with what we say, in cases/known-gaps.json; the test fails
 * when a case disagrees that is not listed (a regression) and when a listed
 * case now agrees (update the list: `UPDATE_GAPS=1 npx vitest run --project verifier src/corpus.test.ts`).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { caseOutcome, kernelOutcome, ourOutcome, type Outcome } from './testing/outcome.js';
import { CASES_DIR, loadAllCases, loadConformanceRecording, loadRecording } from './testing/cases.js';
import { decode, hexToBytes } from '@bpfkit/isa';

const cases = loadAllCases();
const recording = loadRecording();
const GAPS_FILE = join(CASES_DIR, 'known-gaps.json');

function run(name: string): Outcome {
  return caseOutcome(cases.find((x) => x.name === name)!, recording.cases[name]!);
}

const CONFORMANCE = new URL('../../../../shared/conformance/assembled.jsonl', import.meta.url);

/** The 313 conformance programs loaded as XDP programs, against the kernel's verdicts. */
function conformanceOutcomes(): [string, Outcome][] {
  const rec = loadConformanceRecording();
  const lines = readFileSync(CONFORMANCE, 'utf8').split('\n').filter(Boolean);
  return lines.map((l) => {
    const t = JSON.parse(l) as { test: string; bytecode: string };
    const k = rec.tests[t.test]!;
    const kernel = kernelOutcome(k);
    const ours = ourOutcome({ insns: decode(hexToBytes(t.bytecode)), progType: 'xdp' });
    return [`conformance/${t.test}`, { agree: ours === kernel, ours, kernel }];
  });
}

describe('kernel corpus', () => {
  const outcomes = new Map([
    ...cases.filter((c) => recording.cases[c.name]).map((c) => [c.name, run(c.name)] as [string, Outcome]),
    ...conformanceOutcomes(),
  ]);
  const disagreeing = Object.fromEntries([...outcomes].filter(([, o]) => !o.agree).map(([n, o]) => [n, { ours: o.ours, kernel: o.kernel }]));
  if (process.env.UPDATE_GAPS === '1') writeFileSync(GAPS_FILE, JSON.stringify(disagreeing, null, 2) + '\n');
  const known: Record<string, unknown> = existsSync(GAPS_FILE) ? JSON.parse(readFileSync(GAPS_FILE, 'utf8')) : {};

  test('every case has a recording', () => {
    for (const c of cases) expect(recording.cases[c.name], c.name).toBeDefined();
  });

  test(`agreement with Linux 6.18 (${outcomes.size - Object.keys(disagreeing).length}/${outcomes.size} cases)`, () => {
    const regressions = Object.keys(disagreeing).filter((n) => !(n in known));
    const fixed = Object.keys(known).filter((n) => outcomes.has(n) && !(n in disagreeing));
    expect(regressions.map((n) => ({ case: n, ...disagreeing[n] }))).toEqual([]);
    expect(fixed, 'these cases agree now: remove them from cases/known-gaps.json').toEqual([]);
  });
});
