/**
 * Log fidelity: our level-1 log (with stats) against the one Linux 6.18 wrote
 * for each recorded corpus case (cases/kernel.json `log`), line for line.
 * Cases whose log the kernel truncated (`logTruncated`) are skipped; logs the
 * recorder capped at 8 KB (it keeps the tail) are compared on that tail. Cases whose
 * logs still differ are listed in cases/log-gaps.json (with the first
 * differing line); the test fails when a case differs that is not listed (a
 * regression) and when a listed case now matches (update the list:
 * `UPDATE_GAPS=1 npx vitest run --project verifier src/log-fidelity.test.ts`).
 * `LOG_DIFFS=path` writes every difference (both logs) to a file for study.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { verify } from './verify.js';
import { caseInput } from './testing/case-input.js';
import { CASES_DIR, loadAllCases, loadRecording } from './testing/cases.js';

const GAPS_FILE = join(CASES_DIR, 'log-gaps.json');

/**
 * Normalisation applied to both logs:
 * - the `verification time N usec` line is wall-clock time;
 * - ld_imm64 of a map pointer prints the kernel's `struct bpf_map *` address
 *   (`r1 = 0xffff8a...`), which is a runtime value: replaced by `<map>`.
 * Nothing else is normalised.
 */
export function normaliseLog(log: string): string[] {
  // (the time line may be glued to a message the kernel prints without a newline)
  const lines = log.replace(/verification time \d+ usec\n/, '').split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/^(\d+: \(18\) r\d+ = )0xffff[0-9a-f]{12}\b/, '$1<map>'));
}

/** The recorder (tools/oracle/record.mjs) keeps the last LOG_CAP characters of longer logs. */
const LOG_CAP = 8192;

/** Our log cut like the recorder cuts the kernel's; the first (partial) line of a cut log is dropped on both sides. */
function sameCut(ours: string, kernel: string): [string, string] {
  if (kernel.length < LOG_CAP) return [ours, kernel];
  const tail = ours.length > LOG_CAP ? ours.slice(ours.length - LOG_CAP) : ours;
  const dropFirst = (s: string) => s.slice(s.indexOf('\n') + 1);
  return [dropFirst(tail), dropFirst(kernel)];
}

interface Diff {
  line: number;
  ours: string;
  kernel: string;
}

function firstDiff(ours: string[], kernel: string[]): Diff | null {
  const n = Math.max(ours.length, kernel.length);
  for (let i = 0; i < n; i++) {
    if (ours[i] !== kernel[i]) return { line: i + 1, ours: ours[i] ?? '<end>', kernel: kernel[i] ?? '<end>' };
  }
  return null;
}

describe('log fidelity against Linux 6.18', () => {
  const cases = loadAllCases();
  const recording = loadRecording();
  const compared = cases.filter((c) => {
    const r = recording.cases[c.name] as { logTruncated?: boolean } | undefined;
    return r !== undefined && !r.logTruncated;
  });
  const diffs = new Map<string, Diff>();
  const dump: string[] = [];
  for (const c of compared) {
    let text: string;
    try {
      text = verify(caseInput(c), { logLevel: 1, stats: true }).log;
    } catch (e) {
      text = `internal: ${(e as Error).message}`;
    }
    const [o, kl] = sameCut(text, recording.cases[c.name]!.log);
    const k = normaliseLog(kl);
    const ours = normaliseLog(o);
    const d = firstDiff(ours, k);
    if (d) {
      diffs.set(c.name, d);
      dump.push(`=== ${c.name} (line ${d.line})\n--- kernel\n${k.join('\n')}\n--- ours\n${ours.join('\n')}\n`);
    }
  }
  const differing = Object.fromEntries([...diffs].sort(([a], [b]) => (a < b ? -1 : 1)));
  if (process.env.UPDATE_GAPS === '1') writeFileSync(GAPS_FILE, JSON.stringify(differing, null, 2) + '\n');
  if (process.env.LOG_DIFFS) writeFileSync(process.env.LOG_DIFFS, dump.join('\n'));
  const known: Record<string, unknown> = existsSync(GAPS_FILE) ? JSON.parse(readFileSync(GAPS_FILE, 'utf8')) : {};

  test('most recorded logs are complete', () => {
    expect(compared.length).toBeGreaterThan(400);
  });

  test(`identical logs (${compared.length - diffs.size}/${compared.length} cases)`, () => {
    const regressions = [...diffs.keys()].filter((n) => !(n in known));
    const fixed = Object.keys(known).filter((n) => !diffs.has(n));
    expect(regressions.map((n) => ({ case: n, ...diffs.get(n) }))).toEqual([]);
    expect(fixed, 'these logs match now: remove them from cases/log-gaps.json').toEqual([]);
  });
});
