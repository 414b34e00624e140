/**
 * Agreement with the recorded Linux 6.18 verdicts on the memory-access corpus
 * files (stack, ctx, pkt, map): verdict and first error line.
 */
import { describe, expect, test } from 'vitest';
import { caseOutcome } from '../testing/outcome.js';
import { loadAllCases, loadRecording } from '../testing/cases.js';

const FILES = ['stack.txt', 'ctx.txt', 'pkt.txt', 'map.txt'];
const cases = loadAllCases().filter((c) => FILES.includes(c.file));
const recording = loadRecording();

interface Row {
  file: string;
  name: string;
  agree: boolean;
  ours: string;
  kernel: string;
}

function runAll(): Row[] {
  return cases
    .filter((c) => recording.cases[c.name])
    .map((c) => {
      return { file: c.file, name: c.name, ...caseOutcome(c, recording.cases[c.name]!) };
    });
}

describe('memory corpus agreement', () => {
  const rows = runAll();
  test('report', () => {
    for (const f of FILES) {
      const rs = rows.filter((r) => r.file === f);
      const ok = rs.filter((r) => r.agree).length;
      console.log(`${f}: ${ok}/${rs.length} agree`);
    }
    for (const r of rows.filter((x) => !x.agree)) console.log(`  DIFF ${r.file} ${r.name}\n    ours:   ${r.ours}\n    kernel: ${r.kernel}`);
    expect(rows.length).toBeGreaterThan(150);
    expect(rows.filter((r) => !r.agree).map((r) => `${r.name}: ${r.ours}`)).toEqual([]);
  });
});
