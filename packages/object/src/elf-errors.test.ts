import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElf } from './elf.js';
import { ObjectError, type ObjectErrorCode } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const LE = new Uint8Array(readFileSync(join(here, '__fixtures__/kitchen.bpf.o')));

function expectObjectError(fn: () => unknown, code: ObjectErrorCode): ObjectError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ObjectError);
    const oe = e as ObjectError;
    expect(oe.code).toBe(code);
    return oe;
  }
  throw new Error(`expected ObjectError ${code}`);
}

function patch(bytes: Uint8Array, f: (dv: DataView) => void): Uint8Array {
  const c = new Uint8Array(bytes);
  f(new DataView(c.buffer));
  return c;
}

const shoff = Number(new DataView(LE.buffer, LE.byteOffset).getBigUint64(40, true));
const sh = (i: number, field: number) => shoff + i * 64 + field;
const elf = parseElf(LE);
const idx = (name: string) => elf.sections.findIndex((s) => s.name === name);

describe('parseElf errors', () => {
  it('rejects garbage and empty input as NOT_ELF at offset 0', () => {
    expect(expectObjectError(() => parseElf(new Uint8Array(0)), 'NOT_ELF').location.offset).toBe(0);
    expectObjectError(() => parseElf(new TextEncoder().encode('hello world, not an object')), 'NOT_ELF');
  });

  it('rejects ELF32', () => {
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setUint8(4, 1))), 'ELF_CLASS');
    expect(e.message).toMatch(/ELF32/);
    expect(e.location.offset).toBe(4);
  });

  it('rejects a bad data encoding', () => {
    expectObjectError(() => parseElf(patch(LE, (d) => d.setUint8(5, 3))), 'ELF_DATA');
  });

  it('rejects a non-BPF machine (x86-64)', () => {
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setUint16(18, 62, true))), 'ELF_MACHINE');
    expect(e.location.offset).toBe(18);
  });

  it('rejects non-relocatable objects', () => {
    expectObjectError(() => parseElf(patch(LE, (d) => d.setUint16(16, 2, true))), 'ELF_TYPE');
  });

  it('rejects every truncation of the header', () => {
    for (const n of [5, 16, 20, 40, 63]) expectObjectError(() => parseElf(LE.subarray(0, n)), 'TRUNCATED');
  });

  it('rejects a truncated section header table', () => {
    const e = expectObjectError(() => parseElf(LE.subarray(0, shoff + 100)), 'TRUNCATED');
    expect(e.location.offset).toBe(shoff);
  });

  it('every truncation point of the whole file gives an ObjectError (no hang, no untyped throw)', () => {
    for (let n = 0; n < LE.byteLength; n += 97) {
      try {
        parseElf(LE.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(ObjectError);
      }
    }
  });

  it('rejects section data out of file bounds with the section index', () => {
    const i = idx('.text');
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setBigUint64(sh(i, 32), 0x100000n, true))), 'SECTION_BOUNDS');
    expect(e.location.sectionIndex).toBe(i);
  });

  it('rejects a bad section name offset', () => {
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setUint32(sh(2, 0), 0xffffff, true))), 'BAD_STRING');
    expect(e.location.sectionIndex).toBe(2);
  });

  it('rejects a symbol with a bad section index', () => {
    const st = elf.sections[elf.symtabIndex];
    const sym = elf.symbols.find((s) => s.name === 'prog1')!;
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setUint16(st.offset + sym.index * 24 + 6, 500, true))), 'BAD_SYMBOL');
    expect(e.location.symbolIndex).toBe(sym.index);
    expect(e.location.section).toBe('.symtab');
  });

  it('rejects a bad symbol name offset', () => {
    const st = elf.sections[elf.symtabIndex];
    const sym = elf.symbols.find((s) => s.name === 'prog1')!;
    expectObjectError(() => parseElf(patch(LE, (d) => d.setUint32(st.offset + sym.index * 24, 0x7fffffff, true))), 'BAD_STRING');
  });

  it('rejects a relocation outside its target section', () => {
    const rs = elf.relSections.find((r) => r.section.name === '.relxdp')!;
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setBigUint64(rs.section.offset, 0x1000n, true))), 'BAD_RELOCATION');
    expect(e.location.section).toBe('.relxdp');
    expect(e.location.offset).toBe(0);
  });

  it('rejects a relocation against a missing symbol', () => {
    const rs = elf.relSections.find((r) => r.section.name === '.relxdp')!;
    expectObjectError(() => parseElf(patch(LE, (d) => d.setUint32(rs.section.offset + 12, 9999, true))), 'BAD_RELOCATION');
  });

  it('rejects a REL section whose target index is invalid', () => {
    const i = idx('.relxdp');
    const e = expectObjectError(() => parseElf(patch(LE, (d) => d.setUint32(sh(i, 44), 999, true))), 'BAD_SECTION');
    expect(e.location.sectionIndex).toBe(i);
  });

  it('survives random byte flips with only ObjectErrors', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let t = 0; t < 300; t++) {
      const c = new Uint8Array(LE);
      for (let k = 0; k < 8; k++) c[Math.floor(rnd() * c.length)] = Math.floor(rnd() * 256);
      // also hit the header table specifically
      c[shoff + Math.floor(rnd() * (c.length - shoff))] ^= 0xff;
      try {
        parseElf(c);
      } catch (e) {
        expect(e).toBeInstanceOf(ObjectError);
      }
    }
  });
});
