/**
 * Table-driven graph-collection cases (cases/graph/*.txt): assembler programs
 * that borrow BTF, maps and globals from a fixture object (`object:
 * graph_types`), with Linux 6.18's verdicts recorded in cases/graph/kernel.json
 * (`node tools/oracle/record.mjs --graph`). Our verdict and first error line
 * are compared with the kernel's; cases we do not agree on yet are listed, with
 * what we say, in cases/graph/known-gaps.json. The test fails when a case
 * disagrees that is not listed (a regression) and when a listed case now agrees
 * (update: `UPDATE_GAPS=1 npx vitest run --project verifier src/graph-cases.test.ts`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { caseOutcome, type Outcome } from './testing/outcome.js';
import { CASES_DIR, caseHash, loadAllCases, loadRecording } from './testing/cases.js';
import { caseResolver } from './testing/graph-object.js';

const GRAPH_DIR = join(CASES_DIR, 'graph');
const GAPS_FILE = join(GRAPH_DIR, 'known-gaps.json');
const cases = loadAllCases(GRAPH_DIR, caseResolver());
const recording = loadRecording(GRAPH_DIR);

describe('graph-collection cases', () => {
  test('at least 150 cases, all borrowing an object, each with a matching recording', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const c of cases) {
      expect(c.object, c.name).toBe('graph_types');
      const r = recording.cases[c.name];
      expect(r, `${c.name}: not recorded`).toBeDefined();
      expect(r!.hash, `${c.name}: edited after recording`).toBe(caseHash(c));
    }
    expect(Object.keys(recording.cases).filter((n) => !cases.some((c) => c.name === n)), 'recordings without a case').toEqual([]);
  });

  test('the expect: line of every case is what the kernel said', () => {
    for (const c of cases) {
      const r = recording.cases[c.name]!;
      expect(c.expect, c.name).toBeDefined();
      expect(r.accepted, c.name).toBe(c.expect!.accepted);
      if (!r.accepted) expect(r.firstLine ?? '', c.name).toContain(c.expect!.error ?? '\u0000');
    }
  });

  test('both verdicts and many distinct kernel messages are covered', () => {
    const rejected = cases.filter((c) => !recording.cases[c.name]!.accepted);
    expect(rejected.length).toBeGreaterThan(100);
    expect(cases.length - rejected.length).toBeGreaterThan(50);
    expect(new Set(rejected.map((c) => recording.cases[c.name]!.firstLine!.replace(/\d+/g, 'N'))).size).toBeGreaterThan(60);
  });

  const outcomes = new Map(cases.map((c) => [c.name, caseOutcome(c, recording.cases[c.name]!)] as [string, Outcome]));
  const disagreeing = Object.fromEntries([...outcomes].filter(([, o]) => !o.agree).map(([n, o]) => [n, { ours: o.ours, kernel: o.kernel }]));
  if (process.env.UPDATE_GAPS === '1') writeFileSync(GAPS_FILE, JSON.stringify(disagreeing, null, 2) + '\n');
  const known: Record<string, unknown> = existsSync(GAPS_FILE) ? JSON.parse(readFileSync(GAPS_FILE, 'utf8')) : {};

  test(`agreement with Linux 6.18 (${outcomes.size - Object.keys(disagreeing).length}/${outcomes.size} cases)`, () => {
    const regressions = Object.keys(disagreeing).filter((n) => !(n in known));
    const fixed = Object.keys(known).filter((n) => !(n in disagreeing));
    expect(regressions.map((n) => ({ case: n, ...disagreeing[n] }))).toEqual([]);
    expect(fixed, 'these cases agree now: remove them from cases/graph/known-gaps.json (UPDATE_GAPS=1)').toEqual([]);
  });
});
