import { ObjectError } from '../errors.js';
import { readCString, type ByteReader } from './reader.js';
import { SHN_ABS, SHN_COMMON, SHN_LORESERVE, SHN_XINDEX, SHT_STRTAB, SYM_SIZE } from './constants.js';
import type { ElfSection, ElfSymbol } from './types.js';

/** Reads `.symtab`: every entry, with its name and a checked section index. */
export function readSymbols(r: ByteReader, sections: readonly ElfSection[], symtab: ElfSection): ElfSymbol[] {
  const secLoc = { section: symtab.name, sectionIndex: symtab.index };
  if (symtab.entsize !== SYM_SIZE) {
    throw new ObjectError('BAD_SECTION', `symbol table entry size ${symtab.entsize}, expected ${SYM_SIZE}`, secLoc);
  }
  if (symtab.size % SYM_SIZE !== 0) {
    throw new ObjectError('BAD_SECTION', `symbol table size ${symtab.size} is not a multiple of ${SYM_SIZE}`, secLoc);
  }
  if (symtab.link === 0 || symtab.link >= sections.length || sections[symtab.link].type !== SHT_STRTAB) {
    throw new ObjectError('BAD_SECTION', `symbol table sh_link ${symtab.link} does not name a string table`, secLoc);
  }
  const strtab = sections[symtab.link].data;
  const n = symtab.size / SYM_SIZE;
  const out: ElfSymbol[] = [];
  for (let i = 0; i < n; i++) {
    const off = symtab.offset + i * SYM_SIZE;
    const loc = { ...secLoc, symbolIndex: i, offset: i * SYM_SIZE, offsetIn: 'section' as const };
    const nameOff = r.u32(off, 'symbol', loc);
    const info = r.u8(off + 4, 'symbol', loc);
    const other = r.u8(off + 5, 'symbol', loc);
    const shndx = r.u16(off + 6, 'symbol', loc);
    const value = r.u64n(off + 8, 'st_value', loc);
    const size = r.u64n(off + 16, 'st_size', loc);
    const name = nameOff === 0 ? '' : readCString(strtab, nameOff, 'symbol name', loc);
    if (shndx === SHN_XINDEX) {
      throw new ObjectError('BAD_SYMBOL', `symbol '${name}' uses SHN_XINDEX, which BPF objects do not support`, { ...loc, symbol: name });
    }
    if (shndx >= sections.length && shndx < SHN_LORESERVE) {
      throw new ObjectError('BAD_SYMBOL', `symbol '${name}' has invalid section index ${shndx} (${sections.length} sections)`, {
        ...loc,
        symbol: name,
      });
    }
    if (shndx >= SHN_LORESERVE && shndx !== SHN_ABS && shndx !== SHN_COMMON) {
      throw new ObjectError('BAD_SYMBOL', `symbol '${name}' has unsupported reserved section index 0x${shndx.toString(16)}`, {
        ...loc,
        symbol: name,
      });
    }
    out.push({ index: i, name, nameOff, bind: info >> 4, type: info & 0xf, visibility: other & 3, other, shndx, value, size });
  }
  return out;
}
