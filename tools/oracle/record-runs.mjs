#!/usr/bin/env node
// Records BPF_PROG_TEST_RUN return values of the accepted fixture programs into
// fixtures/kernel-runs.json (needs root, gcc, libbpf-dev; never attaches anything).
// Sequences per object: each program alone, each program three times in a row, and
// all programs in order (twice), each sequence in one fresh load (state carries over
// within a sequence). Packets: tc/socket programs get 64 bytes, xdp programs 1500
// bytes (pattern (i * 7 + 3) & 0xff), syscall programs the 64 bytes as their ctx.
//   node tools/oracle/record-runs.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'krun-'));
const krun = join(tmp, 'krun');
execFileSync('gcc', ['-O2', '-Wall', '-o', krun, join(root, 'tools/oracle/krun.c'), '-lbpf']);

const packet = (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff)).toString('hex');
const index = JSON.parse(readFileSync(join(root, 'fixtures/index.json'), 'utf8'));
const verdicts = JSON.parse(readFileSync(join(root, 'fixtures/kernel-verdicts.json'), 'utf8'));
const accepted = new Set();
for (const o of verdicts.objects) for (const p of o.programs) if (p.accepted) accepted.add(`${o.name}/${p.name}`);

const runs = [];
for (const obj of index) {
  const progs = obj.programs.filter((p) => accepted.has(`${obj.name}/${p.name}`));
  if (progs.length === 0) continue;
  const isXdp = progs.some((p) => p.section.replace(/^\?/, '').startsWith('xdp'));
  const data = packet(isXdp ? 1500 : 64);
  const seqs = [];
  for (const p of progs) seqs.push([p.name], [p.name, p.name, p.name]);
  if (progs.length > 1) seqs.push(progs.map((p) => p.name), [...progs, ...progs].map((p) => p.name));
  for (const seq of seqs) {
    const out = JSON.parse(execFileSync(krun, [join(root, obj.object), data, ...seq], { encoding: 'utf8' }));
    if (!out.ok) throw new Error(`${obj.name}: ${out.error}`);
    runs.push({ object: obj.name, sequence: seq, data, results: out.results.map(({ prog, retval, errno }) => ({ prog, retval, errno })) });
  }
}
const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
writeFileSync(join(root, 'fixtures/kernel-runs.json'), JSON.stringify({ kernel, method: 'tools/oracle/krun.c: one load per sequence, BPF_PROG_TEST_RUN repeat=1 per program in order', runs }, null, 1) + '\n');
console.log(`${runs.length} sequences, ${runs.reduce((n, r) => n + r.results.length, 0)} runs recorded`);
