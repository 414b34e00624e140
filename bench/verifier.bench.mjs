// Verifier: warm in-process verification of the fixture programs (µs per processed instruction) and of
// the recorded corpus, next to the kernel's own verification time from the oracle recordings.
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { parseBtf } from '../packages/btf/dist/index.js';
import { kernelBtfBytes, loadObject } from '../packages/object/dist/index.js';
import { linux618 } from '../packages/platform/dist/index.js';
import { objectProgramInput, verify } from '../packages/verifier/dist/index.js';
import { caseInput } from '../packages/verifier/dist/testing/case-input.js';
import { loadAllCases, loadRecording } from '../packages/verifier/dist/testing/cases.js';

const inputs = [];
for (const name of ['plain', 'subprogs', 'bsearch', 'csum']) {
  const bytes = new Uint8Array(readFileSync(new URL(`../fixtures/obj/${name}.bpf.o`, import.meta.url)));
  const { spec, btfFixups } = loadObject(bytes, { name });
  const kbtf = spec.btf && btfFixups ? parseBtf(kernelBtfBytes(spec.btf, btfFixups)) : spec.btf;
  for (const p of spec.programs) inputs.push({ label: `${name}/${p.name}`, input: objectProgramInput(spec, p.name, linux618, kbtf).input });
}
const cases = loadAllCases();
const rec = loadRecording();
const gaps = JSON.parse(readFileSync(new URL('../packages/verifier/cases/known-gaps.json', import.meta.url), 'utf8'));
const small = cases.filter((c) => rec.cases[c.name] && rec.cases[c.name].processed < 100_000 && !(c.name in gaps));
const kernelUs = small.reduce((a, c) => a + rec.cases[c.name].verificationUs, 0);

export default async function () {
  const bench = new Bench({ name: 'verifier (warm, in-process)', time: 500, iterations: 5, warmupTime: 100, warmupIterations: 1 });
  for (const { label, input } of inputs) bench.add(`verify ${label}`, () => verify(input, { logLevel: 0 }));
  bench.add(`verify ${small.length} corpus cases (kernel total: ${kernelUs} µs)`, () => {
    for (const c of small) verify(caseInput(c), { logLevel: 1 });
  });
  return bench;
}

export async function after(bench) {
  console.log('\nµs per processed instruction (median time / processed count):');
  for (const t of bench.tasks) {
    const item = inputs.find((i) => `verify ${i.label}` === t.name);
    if (!item || !t.result) continue;
    const r = verify(item.input, { logLevel: 0 });
    const medUs = (t.result.latency?.p50 ?? t.result.median ?? 0) * 1000;
    console.log(`  ${item.label}: ${r.stats.insnsProcessed} insns, ${(medUs / r.stats.insnsProcessed).toFixed(2)} µs/insn`);
  }
}
