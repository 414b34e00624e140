// M insn/s of the wasm engine on the three anchor programs of /work/shared/bench (fixtures/obj/{arith,csum,bsearch}.bpf.o).
// Run after `npm run build`: node packages/vm-wasm/scripts/speed.mjs [--checked]
import { readFileSync } from 'node:fs';
import { loadObject } from '../../object/dist/index.js';
import { instantiateCoreSync } from '../dist/index.js';

const checked = process.argv.includes('--checked');
const core = instantiateCoreSync();
const fixtures = new URL('../../../fixtures/obj/', import.meta.url);

// xdp_md + a 1500-byte packet
const pkt = core.staticAlloc(1500, 8);
for (let i = 0; i < 1500; i++) core.u8[pkt + i] = (i * 7 + 3) & 0xff;
const ctx = core.staticAlloc(24, 8);
core.view.setUint32(ctx, pkt, true);
core.view.setUint32(ctx + 4, pkt + 1500, true);
core.regionAdd(pkt, 1500, 3);
core.regionAdd(ctx, 24, 1);

for (const name of ['arith', 'csum', 'bsearch']) {
  const spec = loadObject(readFileSync(new URL(`${name}.bpf.o`, fixtures)), { name }).spec;
  const prog = spec.programs[0];
  const text = core.staticAlloc(prog.bytes.length, 8);
  core.u8.set(prog.bytes, text);
  const slots = prog.bytes.length / 8;
  const once = () => {
    const f = core.run(text, slots, 0, BigInt(ctx), checked, 0n);
    core.endRun();
    if (f !== 0) throw new Error(`${name}: fault ${JSON.stringify(core.fault())}`);
  };
  for (let i = 0; i < 20; i++) once();
  const times = [];
  for (let i = 0; i < 100; i++) { const c0 = process.cpuUsage(); once(); const c = process.cpuUsage(c0); times.push((c.user + c.system) * 1000); }
  times.sort((a, b) => a - b);
  const best = times[0]; // CPU time of the best run: the machine is shared, the minimum is the least disturbed
  const med = times[times.length >> 1];
  const insns = Number(core.insns());
  console.log(`${name.padEnd(8)} r0=0x${core.r0().toString(16).padStart(8, '0')} insns=${insns} best ${(best / 1e6).toFixed(3)} ms = ${(insns / best * 1e3).toFixed(0)} M insn/s, median ${(insns / med * 1e3).toFixed(0)} M insn/s${checked ? ' (checked)' : ''}`);
}
