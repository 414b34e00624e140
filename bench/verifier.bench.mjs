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
// graph-collection fixtures (local kptrs, lists, rbtrees, refcounts, stashing) and the kernel's own verification
// time for them (bench/graph-kernel-times.json: bpftool -d loadall on Linux 6.18, log level 1|2|4, median of 5)
const graphKernel = JSON.parse(readFileSync(new URL('./graph-kernel-times.json', import.meta.url), 'utf8')).programs;
const graphInputs = [];
for (const name of ['rbtree', 'refcount', 'list_global', 'list_global_data', 'list_map', 'list_nested', 'kptr_stash', 'map_in_map', 'graph_ok']) {
  const bytes = new Uint8Array(readFileSync(new URL(`../fixtures/obj/${name}.bpf.o`, import.meta.url)));
  const { spec, btfFixups } = loadObject(bytes, { name });
  const kbtf = spec.btf && btfFixups ? parseBtf(kernelBtfBytes(spec.btf, btfFixups)) : spec.btf;
  for (const p of spec.programs) {
    const label = `${name}/${p.name}`;
    if (graphKernel[label]) graphInputs.push({ label, input: objectProgramInput(spec, p.name, linux618, kbtf).input, kernelUs: graphKernel[label].verificationUs });
  }
}
const graphKernelUs = graphInputs.reduce((a, g) => a + g.kernelUs, 0);

const cases = loadAllCases();
const rec = loadRecording();
const gaps = JSON.parse(readFileSync(new URL('../packages/verifier/cases/known-gaps.json', import.meta.url), 'utf8'));
const small = cases.filter((c) => rec.cases[c.name] && rec.cases[c.name].processed < 100_000 && !(c.name in gaps));
const kernelUs = small.reduce((a, c) => a + rec.cases[c.name].verificationUs, 0);

export default async function () {
  const bench = new Bench({ name: 'verifier (warm, in-process)', time: 500, iterations: 5, warmupTime: 100, warmupIterations: 1 });
  for (const { label, input } of inputs) bench.add(`verify ${label}`, () => verify(input, { logLevel: 0 }));
  for (const { label, input, kernelUs } of graphInputs) bench.add(`verify graph ${label} (kernel: ${kernelUs} µs)`, () => verify(input, { logLevel: 0 }));
  bench.add(`verify ${graphInputs.length} graph fixture programs (kernel total: ${graphKernelUs} µs)`, () => {
    for (const g of graphInputs) verify(g.input, { logLevel: 0 });
  });
  bench.add(`verify ${small.length} corpus cases (kernel total: ${kernelUs} µs)`, () => {
    for (const c of small) verify(caseInput(c), { logLevel: 1 });
  });
  return bench;
}

export async function after(bench) {
  console.log('\ngraph fixtures, ours vs the kernel (median µs):');
  let ours = 0;
  for (const g of graphInputs) {
    const t = bench.tasks.find((x) => x.name.startsWith(`verify graph ${g.label} `));
    const us = (t?.result?.latency?.p50 ?? t?.result?.median ?? 0) * 1000;
    ours += us;
    console.log(`  ${g.label}: ours ${us.toFixed(0)} µs, kernel ${g.kernelUs} µs (${(us / g.kernelUs).toFixed(2)}x)`);
  }
  console.log(`  total: ours ${ours.toFixed(0)} µs, kernel ${graphKernelUs} µs`);
  console.log('\nµs per processed instruction (median time / processed count):');
  for (const t of bench.tasks) {
    const item = inputs.find((i) => `verify ${i.label}` === t.name);
    if (!item || !t.result) continue;
    const r = verify(item.input, { logLevel: 0 });
    const medUs = (t.result.latency?.p50 ?? t.result.median ?? 0) * 1000;
    console.log(`  ${item.label}: ${r.stats.insnsProcessed} insns, ${(medUs / r.stats.insnsProcessed).toFixed(2)} µs/insn`);
  }
}
