import { ObjectError } from '../errors.js';
import { readCString, type ByteReader } from './reader.js';
import { SHDR_SIZE, SHT_NOBITS, SHT_NULL, SHT_STRTAB } from './constants.js';
import type { ElfHeader, ElfSection } from './types.js';

/** Reads every section header, checks data bounds, and resolves names. */
export function readSections(r: ByteReader, h: ElfHeader): ElfSection[] {
  const raw: Omit<ElfSection, 'name'>[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const base = h.shoff + i * SHDR_SIZE;
    const loc = { sectionIndex: i, offset: base, offsetIn: 'file' as const };
    const nameOff = r.u32(base, 'section header', loc);
    const type = r.u32(base + 4, 'section header', loc);
    const flags = Number(r.u64(base + 8, 'section header', loc) & 0xffffffffn);
    const addr = r.u64n(base + 16, 'sh_addr', loc);
    const offset = r.u64n(base + 24, 'sh_offset', loc);
    const size = r.u64n(base + 32, 'sh_size', loc);
    const link = r.u32(base + 40, 'section header', loc);
    const info = r.u32(base + 44, 'section header', loc);
    const addralign = r.u64n(base + 48, 'sh_addralign', loc);
    const entsize = r.u64n(base + 56, 'sh_entsize', loc);
    let data: Uint8Array = new Uint8Array(0);
    if (i > 0 && type !== SHT_NULL && type !== SHT_NOBITS) {
      if (offset > r.length || size > r.length - offset) {
        throw new ObjectError(
          'SECTION_BOUNDS',
          `section data out of file bounds: offset 0x${offset.toString(16)} size 0x${size.toString(16)}, file size 0x${r.length.toString(16)}`,
          { sectionIndex: i, offset: base + 24, offsetIn: 'file' },
        );
      }
      data = r.bytes.subarray(offset, offset + size);
    }
    raw.push({ index: i, nameOff, type, flags, addr, offset, size, link, info, addralign, entsize, data });
  }
  const strtab = raw[h.shstrndx];
  if (strtab.type !== SHT_STRTAB) {
    throw new ObjectError('BAD_SECTION', `section name table (index ${h.shstrndx}) is not a STRTAB (type ${strtab.type})`, {
      sectionIndex: h.shstrndx,
      offset: h.shoff + h.shstrndx * SHDR_SIZE + 4,
      offsetIn: 'file',
    });
  }
  return raw.map((s) => ({
    ...s,
    name:
      s.index === 0 && s.nameOff === 0
        ? ''
        : readCString(strtab.data, s.nameOff, 'section name', {
            sectionIndex: s.index,
            offset: h.shoff + s.index * SHDR_SIZE,
            offsetIn: 'file',
          }),
  }));
}
