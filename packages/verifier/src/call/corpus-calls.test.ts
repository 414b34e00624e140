/**
 * Call-related corpus files (calls.txt, helpers.txt, exit.txt) against Linux 6.18:
 * the recorded verdict and first error line from cases/kernel.json when the case
 * is recorded; otherwise the case author's expectation (verdict + first-line
 * substring), except where a live oracle run showed the kernel says otherwise.
 */
import { describe, expect, test } from 'vitest';
import { caseInput } from '../testing/case-input.js';
import { loadAllCases, loadRecording } from '../testing/cases.js';
import { verify } from '../verify.js';

const FILES = new Set(['calls.txt', 'helpers.txt', 'exit.txt']);
/** Cases whose `expect:` line disagrees with the kernel (checked with tools/oracle/bpf-oracle on 6.18). */
const KERNEL_SAYS: Record<string, string> = {
  'helper tail call with an array map': 'expected prog array map for tail call',
};

const cases = loadAllCases().filter((c) => FILES.has(c.file));
const recording = loadRecording();

describe('call corpus agreement with Linux 6.18', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = verify(caseInput(c), { logLevel: 1 });
    const ours = r.accepted ? null : r.error!.message;
    const rec = recording.cases[c.name];
    if (rec) {
      expect(ours).toBe(rec.accepted ? null : rec.firstLine);
      return;
    }
    const kernelLine = KERNEL_SAYS[c.name];
    if (kernelLine !== undefined) {
      expect(ours).toBe(kernelLine);
      return;
    }
    expect(c.expect, 'case has an expectation').toBeDefined();
    expect(r.accepted).toBe(c.expect!.accepted);
    if (c.expect!.error) expect(ours).toContain(c.expect!.error);
  });
});
