// VM: M instructions/s of each engine on the three anchor programs of ../shared/bench (arith, csum with a
// 1500-byte packet, bsearch), verified (unchecked) and checked; and rbtree add+remove ops/s through the graph
// kfuncs (graph_bench rb_cycle: nr = 4096 bpf_obj_new + bpf_rbtree_add, then first + remove + drop, 2·nr ops).
// Anchors (same bytecode, these machines): uBPF C interpreter ≈ 175 M insn/s; goals: wasm ≥ 350, ts ≥ 50;
// rbtree ≥ 5 M ops/s on wasm (Linux 6.18 kfuncs: 2.3 M ops/s).
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { loadInstance } from '../packages/vm/dist/index.js';

const obj = (name) => new Uint8Array(readFileSync(new URL(`../fixtures/obj/${name}.bpf.o`, import.meta.url)));
const packet = Uint8Array.from({ length: 1500 }, (_, i) => (i * 7 + 3) & 0xff);
const tasks = new Map(); // task name → per-run units (insns or ops) and the unit label

export default async function () {
  const bench = new Bench({ name: 'vm engines', time: 1000, warmupTime: 200, iterations: 5 });
  for (const engine of ['wasm', 'ts']) {
    for (const checked of [false, true]) {
      for (const name of ['arith', 'csum', 'bsearch']) {
        const inst = await loadInstance(obj(name), { engine, name, checked });
        const probe = inst.run(name, { data: packet });
        const label = `${engine} ${checked ? 'checked' : 'verified'} ${name} (${probe.insns} insns, r0 ${probe.retval})`;
        tasks.set(label, { units: probe.insns, unit: 'M insn/s' });
        bench.add(label, () => inst.run(name, { data: packet }));
      }
    }
    for (const checked of [false, true]) {
      const inst = await loadInstance(obj('graph_bench'), { engine, name: 'graph_bench', checked });
      const nr = inst.variable('nr');
      const label = `${engine} ${checked ? 'checked' : 'verified'} rbtree add+remove (rb_cycle, 2×${nr} ops)`;
      try {
        inst.run('rb_cycle', { data: packet.subarray(0, 64) });
      } catch (e) {
        process.stderr.write(`${label}: ${e.message}\n`);
        continue;
      }
      tasks.set(label, { units: 2 * nr, unit: 'M ops/s' });
      bench.add(label, () => inst.run('rb_cycle', { data: packet.subarray(0, 64) }));
    }
  }
  return bench;
}

export function after(bench) {
  const rows = bench.tasks.map((t) => {
    const info = tasks.get(t.name);
    const ms = t.result?.latency?.p50 ?? t.result?.latency?.mean;
    return { task: t.name, 'median ms/run': ms?.toFixed(3), rate: ms ? `${((info.units / (ms / 1000)) / 1e6).toFixed(1)} ${info.unit}` : 'n/a' };
  });
  console.table(rows);
}
