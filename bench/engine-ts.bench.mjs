// ts engine: M instructions/s on the three CPU-bound anchors of /work/shared/bench (arith, csum, bsearch),
// unchecked (verified) and checked mode. Needs `npx tsc -b packages/vm` (and the wasm core build when it exists).
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { linkProgram, loadObject } from '../packages/object/dist/index.js';
import { createTsEngine } from '../packages/vm/dist/engine-ts/index.js';

/** The real wasm core when it is built, else the ts engine's memory-only test core (enough for these programs). */
async function makeCore() {
  try {
    const m = await import('../packages/vm-wasm/dist/index.js');
    if (typeof m.instantiateCore === 'function') return { core: await m.instantiateCore(), kind: 'wasm core' };
  } catch {
    /* not built */
  }
  const { FakeCore } = await import('../packages/vm/dist/engine-ts/fake-core.js');
  return { core: new FakeCore(), kind: 'memory-only test core' };
}

const runs = JSON.parse(readFileSync(new URL('../fixtures/kernel-runs.json', import.meta.url), 'utf8')).runs;
const PROGS = ['arith', 'csum', 'bsearch'];
export const measured = [];
let coreKind = '';

export default async function () {
  const { core, kind } = await makeCore();
  coreKind = kind;
  const engine = createTsEngine();
  // xdp_md { u32 data; u32 data_end; ... } and the kernel recording's 1500-byte packet.
  const rec = runs.find((r) => r.object === 'csum' && r.sequence.length === 1);
  const pkt = Uint8Array.from(rec.data.match(/../g).map((h) => parseInt(h, 16)));
  const pktAddr = core.staticAlloc(pkt.length, 8);
  core.u8.set(pkt, pktAddr);
  core.regionAdd(pktAddr, pkt.length, 3);
  const ctx = core.staticAlloc(24, 8);
  core.view.setUint32(ctx, pktAddr, true);
  core.view.setUint32(ctx + 4, pktAddr + pkt.length, true);
  core.regionAdd(ctx, 24, 1);

  const bench = new Bench({ name: `ts engine (${kind})`, time: 1500, warmupTime: 300 });
  for (const name of PROGS) {
    const { spec } = loadObject(new Uint8Array(readFileSync(new URL(`../fixtures/obj/${name}.bpf.o`, import.meta.url))), { name });
    const linked = linkProgram(spec, spec.programs[0].name, { kfuncBtfId: () => 0 });
    const textAddr = core.staticAlloc(linked.bytes.length, 8);
    core.u8.set(linked.bytes, textAddr);
    const prog = engine.prepare(core, { name, text: linked.bytes, textAddr, slots: linked.slotCount });
    const expect = runs.find((r) => r.object === name && r.sequence.length === 1).results[0].retval;
    for (const checked of [false, true]) {
      const req = { r1: BigInt(ctx), checked, budget: 10_000_000n };
      const first = prog.run(req);
      const retval = Number(BigInt.asIntN(32, first.r0));
      if (retval !== expect) throw new Error(`${name}: retval ${retval}, the kernel gives ${expect}`);
      const label = `${name}${checked ? ' (checked)' : ''}`;
      measured.push({ label, insns: first.insns });
      bench.add(label, () => {
        prog.run(req);
      });
    }
  }
  return bench;
}

export async function after(bench) {
  console.log(`\nM instructions/s (instructions per run / median time per run; ${coreKind}):`);
  for (const t of bench.tasks) {
    const m = measured.find((x) => x.label === t.name);
    if (!m || !t.result) continue;
    const medMs = t.result.latency?.p50 ?? t.result.median ?? 0;
    console.log(`  ${m.label.padEnd(20)} ${String(m.insns).padStart(8)} insns  ${medMs.toFixed(3)} ms  ${(m.insns / medMs / 1000).toFixed(1)} M insn/s`);
  }
}
