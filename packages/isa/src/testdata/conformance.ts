import { readFileSync } from 'node:fs';

export interface ConformanceProgram {
  test: string;
  bytecode: string;
}

/** The 313 pre-assembled bpf_conformance programs (shared, read-only). */
export const CONFORMANCE_PATH = '/work/shared/conformance/assembled.jsonl';

export function loadConformance(): ConformanceProgram[] {
  return readFileSync(CONFORMANCE_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ConformanceProgram);
}
