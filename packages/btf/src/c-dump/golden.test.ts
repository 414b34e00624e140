import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../parse.js';
import { dumpC } from './index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');

/** Contents of section `name` of a little-endian ELF64 file (enough for clang's BPF objects). */
function elfSection(file: Uint8Array, name: string): Uint8Array {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true);
  const shnum = dv.getUint16(0x3c, true);
  const shstrndx = dv.getUint16(0x3e, true);
  const hdr = (i: number) => shoff + i * shentsize;
  const strOff = Number(dv.getBigUint64(hdr(shstrndx) + 0x18, true));
  const dec = new TextDecoder();
  for (let i = 0; i < shnum; i++) {
    const nameOff = strOff + dv.getUint32(hdr(i), true);
    const end = file.indexOf(0, nameOff);
    if (dec.decode(file.subarray(nameOff, end)) !== name) continue;
    const off = Number(dv.getBigUint64(hdr(i) + 0x18, true));
    const size = Number(dv.getBigUint64(hdr(i) + 0x20, true));
    return file.subarray(off, off + size);
  }
  throw new Error(`no section ${name}`);
}

const goldens = readdirSync(FIXTURES).filter((f) => f.endsWith('.golden.h')).sort();

describe('dumpC matches bpftool 7.1 `format c` on committed objects', () => {
  it('has fixtures', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(5);
  });
  for (const golden of goldens) {
    const base = golden.slice(0, -'.golden.h'.length);
    it(`${base}.o`, () => {
      const obj = new Uint8Array(readFileSync(join(FIXTURES, `${base}.o`)));
      const btf = parseBtf(elfSection(obj, '.BTF'));
      const expected = readFileSync(join(FIXTURES, golden), 'utf8');
      expect(dumpC(btf)).toBe(expected);
    });
  }
});
