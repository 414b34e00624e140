#!/usr/bin/env node
// Records the kernel's return values for a seeded random sequence of scheduler events on
// sched.bpf.o (BPF_PROG_TEST_RUN through tools/oracle/krun.c, one load, in order) into
// kernel-runs.json. Needs root, gcc and libbpf-dev; tests only read the JSON.
//   node packages/cli/demo/record-kernel.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const krun = join(mkdtempSync(join(tmpdir(), 'krun-')), 'krun');
execFileSync('gcc', ['-O2', '-Wall', '-o', krun, join(here, '../../../tools/oracle/krun.c'), '-lbpf']);

let s = 0x9e3779b9;
const rnd = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), s);
const args = (deadline, pid, cpu) => {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(BigInt(deadline), 0);
  b.writeUInt32LE(pid, 8);
  b.writeUInt32LE(cpu, 12);
  return b.toString('hex');
};
const events = [];
for (let i = 0; i < 250; i++) {
  const r = rnd() % 100;
  if (r < 45) events.push({ prog: 'sched_enqueue', args: args(rnd() % 10000, i + 1, 0) });
  else if (r < 80) events.push({ prog: 'sched_dispatch', args: args(0, 0, rnd() % 4) });
  else events.push({ prog: 'sched_reap', args: args(0, 0, 0) });
}
const out = JSON.parse(execFileSync(krun, [join(here, 'sched.bpf.o'), '00', ...events.map((e) => `${e.prog}@${e.args}`)], { encoding: 'utf8' }));
if (!out.ok) throw new Error(out.error);
const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
writeFileSync(join(here, 'kernel-runs.json'), JSON.stringify({
  kernel,
  method: 'tools/oracle/krun.c: one load of sched.bpf.o, BPF_PROG_TEST_RUN per event in order, args as the syscall ctx',
  events: events.map((e, i) => ({ ...e, retval: out.results[i].retval })),
}, null, 1) + '\n');
console.log(`${events.length} events recorded`);
