#!/usr/bin/env node
// Records the kernel's rbtree behaviour for src/rbtree-kernel.test.ts:
//   node oracle/record.mjs   (root: needs clang-19, gcc, libbpf-dev and BPF_PROG_TEST_RUN)
// Builds rbshape.bpf.o and rbshape-run in a temp dir, runs a seeded random sequence of
// add / peek / remove_{first,root,left,right} and writes src/__fixtures__/rbtree-kernel-trace.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'rbshape-'));
try {
  const arch = execFileSync('uname', ['-m']).toString().trim();
  execFileSync('clang-19', ['-g', '-O2', '-target', 'bpf', `-I/usr/include/${arch}-linux-gnu`, '-I', join(repo, 'fixtures/include'),
    '-c', join(here, 'rbshape.bpf.c'), '-o', join(tmp, 'rbshape.bpf.o')]);
  execFileSync('gcc', ['-O2', '-Wall', '-o', join(tmp, 'rbshape-run'), join(here, 'rbshape-run.c'), '-lbpf']);

  // mulberry32, same as src/testing/prng.ts
  let s = 20261128;
  const rnd = () => { let t = (s = (s + 0x6d2b79f5) >>> 0); t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const int = (n) => Math.floor(rnd() * n);
  const ops = [];
  const addKey = (k) => { ops.push(`add ${k}`); };
  // phase 1: ascending and descending runs (rotation-heavy), with peeks
  for (let k = 100; k < 164; k++) { addKey(k); if (k % 4 === 0) ops.push('peek'); }
  for (let k = 99; k > 40; k--) { addKey(k); if (k % 5 === 0) ops.push('peek'); }
  // phase 2: random mix; sizes drift up and down
  const removes = ['remove_first', 'remove_root', 'remove_left', 'remove_right'];
  for (let i = 0; i < 5000; i++) {
    const growing = Math.floor(i / 700) % 2 === 0;
    const r = rnd();
    if (r < (growing ? 0.55 : 0.25)) {
      addKey(int(999)); // duplicates allowed: equal keys go right, and outputs are compared as keys
    } else if (r < 0.75) {
      ops.push(removes[int(4)]);
    } else {
      ops.push('peek');
    }
  }
  const out = execFileSync(join(tmp, 'rbshape-run'), [join(tmp, 'rbshape.bpf.o')], { input: ops.join('\n') + '\n', maxBuffer: 1 << 26 });
  const results = out.toString().trim().split('\n').map(Number);
  if (results.length !== ops.length) throw new Error(`${ops.length} ops but ${results.length} results`);
  const file = join(here, '..', 'src', '__fixtures__', 'rbtree-kernel-trace.json');
  writeFileSync(file, JSON.stringify({
    kernel: release(),
    program: 'packages/collections/oracle/rbshape.bpf.c',
    note: 'one BPF_PROG_TEST_RUN per op; peek = root*1e6 + left*1e3 + right, remove_* = removed key; 999 = none',
    ops, results,
  }) + '\n');
  console.log(`${ops.length} ops recorded on Linux ${release()} -> ${file}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
