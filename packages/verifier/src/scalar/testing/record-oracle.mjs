#!/usr/bin/env node
// Records the running kernel's scalar tracking for random straight-line programs (differential oracle for
// src/scalar). Needs root, a BPF-capable kernel and tools/oracle/bpf-oracle (`make -C tools/oracle`).
//
//   cd /work/main && node packages/verifier/src/scalar/testing/record-oracle.mjs [COUNT] [SEED]
//
// Program shape: r6..r9 = bpf_get_prandom_u32() (unknown scalars), then random ALU/ALU64 ops and
// conditional jumps on r6..r9 whose target is the final `r0 = 0; exit`. The log (level 2) gives the
// state of every touched register after each insn and the jump-target state on `from J to T:` lines.
// Writes src/scalar/__fixtures__/scalar-oracle.json; the test replays the ops through src/scalar and
// compares texts. Never attaches or runs anything.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../../..');
const COUNT = Number(process.argv[2] ?? 300);
let seed = Number(process.argv[3] ?? 1) >>> 0;
const PROLOGUE = 8;

function rnd() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (n) => Math.floor(rnd() * n);

function imm() {
  switch (int(6)) {
    case 0: return int(16);
    case 1: return -int(16) - 1;
    case 2: return (1 << int(31)) + pick([-1, 0, 1]);
    case 3: return int(256);
    case 4: return (int(0x10000) << 16) | int(0x10000);
    default: return pick([0xff, 0xffff, 0x7fffffff, -0x80000000, -256, 0xf0, 0xff00, 3, 7, 10, 100]);
  }
}

const ALU = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0];
const JMP = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
const REGS = [6, 7, 8, 9];

function genOp() {
  const dst = pick(REGS);
  if (rnd() < 0.25) {
    const cls = rnd() < 0.5 ? 0x05 : 0x06;
    const x = rnd() < 0.4;
    return { k: 'jmp', code: pick(JMP) | cls | (x ? 8 : 0), dst, src: x ? pick(REGS) : 0, off: 0, imm: x ? 0 : imm() };
  }
  // bias towards ops that shape ranges
  const op = rnd() < 0.3 ? pick([0x50, 0x70, 0xc0, 0x60]) : pick(ALU);
  const cls = rnd() < 0.6 ? 0x07 : 0x04;
  let x = rnd() < 0.35;
  let off = 0;
  let im = x ? 0 : imm();
  let src = x ? pick(REGS) : 0;
  if (op === 0x80) { x = false; src = 0; im = 0; }
  if (op === 0xd0) {
    im = pick([16, 32, 64]);
    src = 0;
    return { k: 'alu', code: op | cls | (cls === 0x04 && rnd() < 0.5 ? 8 : 0), dst, src, off: 0, imm: im };
  }
  if (op === 0x60 || op === 0x70 || op === 0xc0) {
    if (!x) im = int(cls === 0x07 ? 64 : 32);
  }
  if (op === 0x30 || op === 0x90) {
    if (!x && im === 0) im = 3;
    off = rnd() < 0.3 ? 1 : 0;
  }
  if (op === 0xb0) {
    if (!x) return { k: 'alu', code: op | cls, dst, src: 0, off: 0, imm: im };
    off = cls === 0x07 ? pick([0, 8, 16, 32]) : pick([0, 8, 16]);
  }
  return { k: 'alu', code: op | cls | (x ? 8 : 0), dst, src, off, imm: im };
}

function enc(code, dst, src, off, imm) {
  const b = Buffer.alloc(8);
  b[0] = code;
  b[1] = dst | (src << 4);
  b.writeInt16LE(off, 2);
  b.writeInt32LE(imm | 0, 4);
  return b.toString('hex');
}

function program(ops) {
  let hex = '';
  for (const r of REGS) hex += enc(0x85, 0, 0, 0, 7) + enc(0xbf, r, 0, 0, 0);
  const exitAt = PROLOGUE + ops.length;
  ops.forEach((o, i) => {
    const off = o.k === 'jmp' ? exitAt - (PROLOGUE + i) - 1 : o.off;
    hex += enc(o.code, o.dst, o.src, off, o.imm);
  });
  return hex + enc(0xb7, 0, 0, 0, 0) + enc(0x95, 0, 0, 0, 0);
}

const clean = (t) => t.replace(/^P/, '').replace(/id=\d+(?:[+-]\d+)?,?/, '').replace(/,\)$/, ')');
function items(s) {
  const out = {};
  for (const it of s.trim().split(/ (?=R\d+=)/)) {
    const m = /^R(\d+)=(.*)$/.exec(it);
    if (m) out[m[1]] = clean(m[2]);
  }
  return out;
}

function parse(log) {
  const after = {};
  const taken = {};
  for (const line of log.split('\n')) {
    let m = /^from (\d+) to (\d+): (.*)$/.exec(line);
    if (m) { taken[m[1]] = items(m[3]); continue; }
    m = /^(\d+): \([0-9a-f]{2}\) .*?(?: +; (R.*))?$/.exec(line);
    if (m) { after[m[1]] = { ...(after[m[1]] ?? {}), ...(m[2] ? items(m[2]) : {}) }; continue; }
    m = /^(\d+): (R\d.*)$/.exec(line);
    if (m && after[m[1]]) after[m[1]] = { ...after[m[1]], ...items(m[2]) };
  }
  return { after, taken };
}

const oracle = join(root, 'tools/oracle/bpf-oracle');
const progs = [];
for (let n = 0; n < COUNT; n++) progs.push(Array.from({ length: 6 + int(20) }, genOp));
const input = progs.map((ops) => `type=6 log_level=2 insns=${program(ops)}`).join('\n') + '\n';
const res = spawnSync(oracle, [], { input, maxBuffer: 1 << 30 });
if (res.status !== 0) throw new Error(`bpf-oracle failed: ${res.stderr}`);
const lines = res.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
const cases = [];
lines.forEach((r, i) => {
  if (!r.accepted || r.logTruncated) return;
  const { after, taken } = parse(r.log);
  const steps = progs[i].map((o, j) => {
    const idx = String(PROLOGUE + j);
    return { ...o, seen: idx in after, after: after[idx] ?? {}, taken: taken[idx] ?? null };
  });
  cases.push({ steps });
});
const rejected = lines.filter((r) => !r.accepted).map((r) => r.log.split('\n').filter(Boolean).slice(-3, -2)[0]);
const out = { kernel: spawnSync('uname', ['-r']).stdout.toString().trim(), generator: 'record-oracle.mjs', cases };
writeFileSync(join(here, '../__fixtures__/scalar-oracle.json'), JSON.stringify(out) + '\n');
console.log(`recorded ${cases.length} programs (${lines.length - cases.length} rejected/truncated)`);
if (rejected.length) console.log('sample rejections:', [...new Set(rejected)].slice(0, 5));
