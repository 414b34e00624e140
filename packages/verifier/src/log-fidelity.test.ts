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
import { constScalar, formatReg, ptrReg, stackPtr } from './reg.js';
import { scalarFromRange } from './scalar/index.js';
import { T } from './types.js';
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

describe('register text (kernel print_reg_state)', () => {
  const text = (r: ReturnType<typeof ptrReg>, curFrame = 0) => formatReg(r, { curFrame });

  test('packet pointers always print their range', () => {
    const p = ptrReg(T.PTR_TO_PACKET);
    expect(text(p)).toBe('pkt(r=0)');
    p.range = 14;
    p.off = 4;
    expect(text(p)).toBe('pkt(off=4,r=14)');
    expect(text(ptrReg(T.PTR_TO_PACKET_END))).toBe('pkt_end()');
  });

  test('fixed offsets are signed numbers: decimal in [-32768, 32767], else hex', () => {
    const c = ptrReg(T.PTR_TO_CTX);
    c.off = 32767;
    expect(text(c)).toBe('ctx(off=32767)');
    c.off = 65534;
    expect(text(c)).toBe('ctx(off=0xfffe)');
  });

  test('stack pointers with a known offset print fp<off> (own frame) or fp[N]<off>, whatever their id', () => {
    const s = stackPtr(0, -8);
    s.id = 3;
    expect(text(s)).toBe('fp-8');
    expect(text(s, 1)).toBe('fp[0]-8');
    const v = stackPtr(0, -16);
    v.s = scalarFromRange(0n, 8n);
    expect(text(v)).toMatch(/^fp\(off=-16,smin=smin32=0,smax=umax=smax32=umax32=8,var_off=\(0x0; 0xf\)\)$/);
    expect(text(v, 1)).toMatch(/^fp\[0\]\(off=-16,/);
  });

  test('only scalars carry the precision mark', () => {
    const c = ptrReg(T.PTR_TO_CTX);
    c.precise = true;
    expect(text(c)).toBe('ctx()');
    const k = constScalar(5n);
    k.precise = true;
    expect(text(k)).toBe('P5');
  });
});
