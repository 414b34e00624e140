/**
 * Differential test against the running kernel: every blob is loaded with
 * BPF_BTF_LOAD (testing/btf-load.py) and `validateBtfBytes` must agree on accept /
 * reject, the errno and the exact last log line. Runs only where python3 can load BTF
 * (root, or CAP_BPF); elsewhere the unit tests in validate.test.ts stand alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BtfBuilder } from './testing/builder.js';
import { fixture } from './testing/fixtures.js';
import { mutateBytes, mutateWords, rng } from './testing/mutate.js';
import { validateBtfBytes } from './validate.js';

const LOADER = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'btf-load.py');
const ERRNO: Record<number, string> = { 1: 'EPERM', 7: 'E2BIG', 14: 'EFAULT', 17: 'EEXIST', 22: 'EINVAL', 40: 'ELOOP', 524: 'ENOTSUPP' };

interface KernelResult { path: string; ok: boolean; errno: number; last: string }

function kernelLoad(blobs: Uint8Array[]): KernelResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'btf-kernel-'));
  try {
    const files = blobs.map((b, i) => {
      const f = join(dir, `${i}.btf`);
      writeFileSync(f, b);
      return f;
    });
    return JSON.parse(execFileSync('python3', [LOADER, ...files], { maxBuffer: 1 << 28, encoding: 'utf8' })) as KernelResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A kernel-loadable blob exercising every kind the resolver handles. */
function loadable(): Uint8Array {
  const b = new BtfBuilder();
  const int = b.int('int', 4, { signed: true });
  const u8 = b.int('unsigned char', 1);
  const idx = b.int('__ARRAY_SIZE_TYPE__', 4);
  const p = b.ptr(int);
  const arr = b.array(u8, idx, 16);
  const pf = b.ptr(b.fwd('later'));
  const s = b.struct('s', 40, [{ name: 'a', type: int, offset: 0 }, { name: 'b', type: int, bitsOffset: 32, bitfieldSize: 3 }, { name: 'c', type: arr, offset: 8 }, { name: 'p', type: p, offset: 24 }, { name: 'f', type: pf, offset: 32 }]);
  b.struct('u', 8, [{ name: 'x', type: int, offset: 0 }, { name: 'y', type: b.ptr(s), offset: 0 }], true);
  const e = b.enum('e', [{ name: 'A', value: 1 }, { name: 'B', value: -1 }], 4, true);
  b.add({ kind: 'ENUM64', name: 'e64', values: [{ name: 'Z', value: 1n << 40n }] });
  const c = b.const(b.volatile(b.typedef('myint', int)));
  const r = b.add({ kind: 'RESTRICT', type: b.ptr(b.typeTag('user', int)) });
  const fn = b.func('fn', b.funcProto(int, [{ name: 'a', type: c }, { name: 'b', type: r }, { type: 0 }]), 1);
  const fl = b.float('double', 8);
  const g = b.variable('g', s, 1);
  const h = b.variable('h', fl, 0);
  b.datasec('.data', 56, [{ type: g, offset: 0, size: 40 }, { type: h, offset: 48, size: 8 }]);
  b.declTag('tag1', s, 1);
  b.declTag('tag2', fn, 0);
  b.declTag('tag3', g, -1);
  b.struct('later', 8, [{ name: 'q', type: e, offset: 0 }, { name: 'w', type: fl, offset: 0 }], true);
  return b.build();
}

function canLoad(): boolean {
  try {
    return kernelLoad([loadable()])[0]?.ok === true;
  } catch {
    return false;
  }
}

function compare(blobs: Uint8Array[]): string[] {
  const res = kernelLoad(blobs);
  const mismatches: string[] = [];
  res.forEach((k, i) => {
    const v = validateBtfBytes(blobs[i]!);
    const kErr = ERRNO[k.errno] ?? String(k.errno);
    const same = v.ok === k.ok && (k.ok || (v.error?.line === k.last && v.error?.errno === kErr));
    if (!same) mismatches.push(`#${i}: kernel ${k.ok ? 'OK' : `${kErr} ${JSON.stringify(k.last)}`} / ours ${v.ok ? 'OK' : `${v.error?.errno} ${JSON.stringify(v.error?.line)}`}`);
  });
  return mismatches;
}

describe.runIf(canLoad())('validateBtfBytes agrees with the running kernel', () => {
  it('on byte mutants of clang objects', () => {
    const blobs: Uint8Array[] = [];
    for (const [n, name] of ['kinds.bpfel.btf', 'graph.btf', 'core.btf'].entries()) {
      const src = fixture(name);
      const r = rng(1000 + n);
      blobs.push(src);
      for (let i = 0; i < 150; i++) blobs.push(mutateBytes(src, r));
    }
    expect(compare(blobs)).toEqual([]);
  }, 120_000);

  it('on type-word mutants of a loadable blob (resolution stage)', () => {
    const src = loadable();
    const typeLen = new DataView(src.buffer).getUint32(12, true);
    const r = rng(4242);
    const blobs = [src];
    for (let i = 0; i < 500; i++) blobs.push(mutateWords(src, 24, 24 + typeLen, r));
    expect(compare(blobs)).toEqual([]);
  }, 120_000);
});
