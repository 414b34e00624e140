// rbtree add + first/remove/drop through the kfuncs on the wasm engine (like /work/shared/bench/graph_bench.bpf.c):
// N nodes with xorshift64 keys, one spin-lock section per operation. Run after `npm run build`.
// Usage: node scripts/graph-speed.mjs [N=4096] [rounds=40]
import { assemble, encode } from '../../isa/dist/index.js';
import { instantiateCoreSync, FUNC_BASE } from '../dist/index.js';

const N = Number(process.argv[2] ?? 4096);
const core = instantiateCoreSync({ heapCap: 256 << 20 });
const rec = (size, fields) => {
  const r = core.staticAlloc(16 + 16 * fields.length, 8);
  const v = core.view;
  v.setUint32(r, size, true); v.setUint32(r + 4, 0xffffffff, true); v.setUint32(r + 8, 0xffffffff, true); v.setUint32(r + 12, fields.length, true);
  fields.forEach(([k, off], i) => { v.setUint32(r + 16 + 16 * i, k, true); v.setUint32(r + 20 + 16 * i, off, true); });
  return r;
};
const nodeRec = rec(40, [[5, 8]]);
const types = core.staticAlloc(16, 8);
core.view.setUint32(types + 8, 40, true); core.view.setUint32(types + 12, nodeRec, true);
core.setTypeTable(types, 2);
const root = core.staticAlloc(24, 8);
core.regionAdd(root, 24, 3);
const src = `
    r6 = 0
    r7 = 0x9E3779B97F4A7C15 ll
  add_loop:
    r1 = r7
    r1 <<= 13
    r7 ^= r1
    r1 = r7
    r1 >>= 7
    r7 ^= r1
    r1 = r7
    r1 <<= 17
    r7 ^= r1
    r1 = 1
    r2 = 0
    call kfunc#1
    if r0 == 0 goto fail
    *(u64 *)(r0 +0) = r7
    r8 = r0
    r1 = ${root} ll
    call bpf_spin_lock
    r1 = ${root + 8} ll
    r2 = r8
    r2 += 8
    r3 = subprog[less]
    r4 = 0
    r5 = 0
    call kfunc#12
    r1 = ${root} ll
    call bpf_spin_unlock
    r6 += 1
    if r6 < ${N} goto add_loop
    r0 = 0
    exit
  fail:
    r0 = -1
    exit
  less:
    r1 = *(u64 *)(r1 -8)
    r2 = *(u64 *)(r2 -8)
    r0 = 1
    if r1 < r2 goto less_out
    r0 = 0
  less_out:
    exit
  drain:
    r6 = 0
  pop_loop:
    r1 = ${root} ll
    call bpf_spin_lock
    r1 = ${root + 8} ll
    call kfunc#14
    if r0 == 0 goto done
    r1 = ${root + 8} ll
    r2 = r0
    call kfunc#13
    r8 = r0
    r1 = ${root} ll
    call bpf_spin_unlock
    r1 = r8
    r1 += -8
    r2 = 0
    call kfunc#3
    r6 += 1
    goto pop_loop
  done:
    r1 = ${root} ll
    call bpf_spin_unlock
    r0 = r6
    exit`;
const insns = assemble(src);
// relocate subprog[...] and find the drain entry
let slot = 0; let drainPc = -1;
const lines = src.split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith(':'));
const out = [];
for (const i of insns) {
  if (i.code === 0x18 && i.src === 4) {
    const v = FUNC_BASE + BigInt(slot + 1 + i.imm);
    out.push({ ...i, src: 0, imm: Number(BigInt.asIntN(32, v & 0xffffffffn)), imm2: Number(BigInt.asIntN(32, v >> 32n)) });
  } else out.push(i);
  slot += i.code === 0x18 ? 2 : 1;
}
void lines;
const bytes = encode(out);
// the drain entry: the slot after the less subprogram's exit = index of "r6 = 0" that follows "drain:"
const all = assemble(src.slice(0, src.indexOf('  drain:')));
drainPc = all.reduce((n, i) => n + (i.code === 0x18 ? 2 : 1), 0);
const text = core.staticAlloc(bytes.length, 8);
core.u8.set(bytes, text);
const slots = bytes.length / 8;
const rounds = Number(process.argv[3] ?? 40);
// per-round CPU time; the machine is shared, so the best round is the stable figure (median printed too)
const adds = [], drains = [];
for (let r = 0; r < rounds + 3; r++) {
  let c0 = process.cpuUsage();
  if (core.run(text, slots, 0, 0n, false, 0n) !== 0) throw new Error(JSON.stringify(core.fault()));
  let c = process.cpuUsage(c0);
  if (r >= 3) adds.push((c.user + c.system) * 1000 / N);
  c0 = process.cpuUsage();
  if (core.run(text, slots, drainPc, 0n, false, 0n) !== 0 || core.r0() !== BigInt(N)) throw new Error(`drain: ${JSON.stringify(core.fault())} r0=${core.r0()}`);
  c = process.cpuUsage(c0);
  if (r >= 3) drains.push((c.user + c.system) * 1000 / N);
  core.endRun();
}
const best = (a) => Math.min(...a);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [label, f] of [['best', best], ['median', median]]) {
  const add = f(adds), drain = f(drains);
  console.log(`rbtree N=${N} (${label} of ${rounds}): add ${add.toFixed(0)} ns/op, first+remove+drop ${drain.toFixed(0)} ns/op, cycle ${((add + drain) / 2).toFixed(0)} ns/op = ${(2000 / (add + drain)).toFixed(2)} M ops/s`);
}
if (core.liveObjects() !== 0) throw new Error(`live objects after the drains: ${core.liveObjects()}`);
