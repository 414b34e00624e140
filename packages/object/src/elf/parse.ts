import { ObjectError } from '../errors.js';
import { SHT_REL, SHT_RELA, SHT_SYMTAB } from './constants.js';
import { readHeader } from './header.js';
import { readRelSection } from './relocations.js';
import { readSections } from './sections.js';
import { readSymbols } from './symbols.js';
import type { ElfFile, ElfRelSection, ElfSymbol } from './types.js';

/**
 * Parses an ELF64 `EM_BPF` relocatable object (either byte order). Every structural problem
 * is an `ObjectError`; all loops are bounded by the table sizes, which are checked against the file.
 */
export function parseElf(bytes: Uint8Array): ElfFile {
  const { header, reader } = readHeader(bytes);
  const sections = readSections(reader, header);
  let symtabIndex = 0;
  for (const s of sections) {
    if (s.type === SHT_SYMTAB) {
      if (symtabIndex !== 0) {
        throw new ObjectError('BAD_SECTION', 'elf: multiple symbol tables', { section: s.name, sectionIndex: s.index });
      }
      symtabIndex = s.index;
    }
  }
  const symbols: ElfSymbol[] = symtabIndex ? readSymbols(reader, sections, sections[symtabIndex]) : [];
  const relSections: ElfRelSection[] = [];
  for (const s of sections) {
    if (s.type === SHT_RELA) {
      throw new ObjectError('BAD_SECTION', 'RELA relocation sections are not supported in BPF objects', { section: s.name, sectionIndex: s.index });
    }
    if (s.type === SHT_REL) relSections.push(readRelSection(reader, sections, s, symtabIndex, symbols.length));
  }
  return { header, sections, symtabIndex, symbols, relSections };
}
