/**
 * The deterministic blob sets behind the recorded kernel oracle
 * (`__fixtures__/btf-oracle.json`): byte mutants of the clang fixtures and type-word
 * mutants of one kernel-loadable blob. `scripts/record-btf-oracle.mjs` loads these into
 * the running kernel; `validate-kernel.test.ts` regenerates them and checks each against
 * the recording. Changing a seed, count or generator invalidates the recording (the test
 * compares sha256 per blob) and means re-running the recorder.
 */
import { BtfBuilder } from './builder.js';
import { fixture } from './fixtures.js';
import { mutateBytes, mutateWords, rng } from './mutate.js';

export interface OracleBlobSet {
  readonly name: string;
  readonly blobs: Uint8Array[];
}

/** The kernel's errno numbers (x86-64/arm64) as the validator names them. */
export const ERRNO_NAMES: Readonly<Record<number, string>> = { 1: 'EPERM', 7: 'E2BIG', 14: 'EFAULT', 17: 'EEXIST', 22: 'EINVAL', 40: 'ELOOP', 524: 'ENOTSUPP' };

/** A kernel-loadable blob exercising every kind the resolver handles. */
export function loadableBlob(): Uint8Array {
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

/** Each clang fixture followed by 150 byte mutants of it (seeds 1000, 1001, 1002). */
function clangByteMutants(readFixture: (name: string) => Uint8Array): Uint8Array[] {
  const blobs: Uint8Array[] = [];
  for (const [n, name] of ['kinds.bpfel.btf', 'graph.btf', 'core.btf'].entries()) {
    const src = readFixture(name);
    const r = rng(1000 + n);
    blobs.push(src);
    for (let i = 0; i < 150; i++) blobs.push(mutateBytes(src, r));
  }
  return blobs;
}

/** The loadable blob followed by 500 mutants of its type section words (seed 4242). */
function loadableWordMutants(): Uint8Array[] {
  const src = loadableBlob();
  const typeLen = new DataView(src.buffer, src.byteOffset).getUint32(12, true);
  const r = rng(4242);
  const blobs = [src];
  for (let i = 0; i < 500; i++) blobs.push(mutateWords(src, 24, 24 + typeLen, r));
  return blobs;
}

/**
 * Every set, in recording order. `readFixture` reads a file of `src/__fixtures__` (the
 * recorder runs from `dist/`, where the default's relative path does not lead there).
 */
export function oracleBlobSets(readFixture: (name: string) => Uint8Array = fixture): OracleBlobSet[] {
  return [
    { name: 'clang byte mutants', blobs: clangByteMutants(readFixture) },
    { name: 'loadable type-word mutants', blobs: loadableWordMutants() },
  ];
}
