/**
 * Our own BPF fixtures (fixtures/obj, built by clang-19) against the kernel's
 * verdicts recorded in fixtures/kernel-verdicts.json (Linux 6.18): verdict, and
 * for rejected programs (the graph_*_fail fixtures) the first error line. Programs that use the graph kfuncs need the graph-collections
 * rules (a later issue); until then they are listed with what we say in
 * cases/fixture-gaps.json, under the same ratchet as the corpus test.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseBtf } from '@bpfkit/btf';
import { kernelBtfBytes, loadObject } from '@bpfkit/object';
import { linux618 } from '@bpfkit/platform';
import { objectProgramInput } from './object-input.js';
import { CASES_DIR } from './testing/cases.js';
import { verify } from './verify.js';

const ROOT = new URL('../../../', import.meta.url);
const GAPS_FILE = join(CASES_DIR, 'fixture-gaps.json');

interface KernelProgram {
  name: string;
  accepted: boolean;
  lastLogLine: string;
  /** Rejected programs: the first error line (fixtures/kcheck-report.mjs, same rule as the cases' extractError). */
  firstErrorLine?: string;
}
const verdicts = JSON.parse(readFileSync(new URL('fixtures/kernel-verdicts.json', ROOT), 'utf8')) as {
  objects: { name: string; object: string; programs: KernelProgram[] }[];
};

function processedOf(line: string): number | undefined {
  const m = /^processed (\d+) insns/.exec(line);
  return m ? Number(m[1]) : undefined;
}

describe('fixture objects against the kernel', () => {
  const rows: { key: string; agree: boolean; ours: string; kernel: string; processed?: [number, number] }[] = [];
  for (const o of verdicts.objects) {
    const bytes = new Uint8Array(readFileSync(new URL(o.object, ROOT)));
    const { spec, btfFixups } = loadObject(bytes, { name: o.name });
    const kernelBtf = spec.btf && btfFixups ? parseBtf(kernelBtfBytes(spec.btf, btfFixups)) : spec.btf;
    for (const p of o.programs) {
      const { input } = objectProgramInput(spec, p.name, linux618, kernelBtf);
      const r = verify(input, { logLevel: 0 });
      const ours = r.accepted ? 'accept' : `reject: ${r.error!.message}`;
      const kernel = p.accepted ? 'accept' : `reject: ${p.firstErrorLine ?? p.lastLogLine}`;
      const kp = processedOf(p.lastLogLine);
      rows.push({ key: `${o.name}/${p.name}`, agree: ours === kernel, ours, kernel, ...(r.accepted && kp ? { processed: [r.stats.insnsProcessed, kp] as [number, number] } : {}) });
    }
  }
  const farApart = (r: (typeof rows)[number]) => !!r.processed && Math.max(r.processed[0] / r.processed[1], r.processed[1] / r.processed[0]) > 2;
  const disagreeing = Object.fromEntries([
    ...rows.filter((r) => !r.agree).map((r) => [r.key, { ours: r.ours, kernel: r.kernel }]),
    ...rows.filter(farApart).map((r) => [`processed:${r.key}`, { ours: r.processed![0], kernel: r.processed![1] }]),
  ]);
  if (process.env.UPDATE_GAPS === '1') writeFileSync(GAPS_FILE, JSON.stringify(disagreeing, null, 2) + '\n');
  const known: Record<string, unknown> = existsSync(GAPS_FILE) ? JSON.parse(readFileSync(GAPS_FILE, 'utf8')) : {};

  test(`verdicts agree with Linux 6.18 (${rows.filter((r) => r.agree).length}/${rows.length} programs)`, () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(Object.keys(disagreeing).filter((k) => !(k in known))).toEqual([]);
    expect(Object.keys(known).filter((k) => !(k in disagreeing)), 'these agree now: update cases/fixture-gaps.json').toEqual([]);
  });

  test('accepted programs take as many processed instructions as in Linux, within 2x (or are listed)', () => {
    const withCounts = rows.filter((r) => r.processed);
    expect(withCounts.length).toBeGreaterThan(5);
    const far = withCounts.filter(farApart).map((r) => `processed:${r.key}`);
    expect(far.filter((k) => !(k in known))).toEqual([]);
  });
});
