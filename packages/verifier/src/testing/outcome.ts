/** Verdicts as comparable text: `accept`, `reject: <first line>`, or `internal: <message>` for our own bug. */
import { verify } from '../verify.js';
import type { VerifyInput } from '../types.js';
import { caseInput } from './case-input.js';
import type { CaseRecording, VerifierCase } from './cases.js';

export function kernelOutcome(k: Pick<CaseRecording, 'accepted' | 'firstLine'>): string {
  return k.accepted ? 'accept' : `reject: ${k.firstLine ?? ''}`;
}

export function ourOutcome(input: VerifyInput): string {
  try {
    const r = verify(input, { logLevel: 1 });
    return r.accepted ? 'accept' : `reject: ${r.error!.message}`;
  } catch (e) {
    return `internal: ${(e as Error).message}`;
  }
}

export interface Outcome {
  agree: boolean;
  ours: string;
  kernel: string;
}

export function caseOutcome(c: VerifierCase, k: CaseRecording): Outcome {
  const ours = ourOutcome(caseInput(c));
  const kernel = kernelOutcome(k);
  return { agree: ours === kernel, ours, kernel };
}
