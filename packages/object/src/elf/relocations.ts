import { ObjectError } from '../errors.js';
import type { ByteReader } from './reader.js';
import { R_BPF_64_32, R_BPF_64_64, R_BPF_64_ABS32, R_BPF_64_ABS64, R_BPF_64_NODYLD32, REL_SIZE, SHT_NOBITS } from './constants.js';
import type { ElfRelSection, ElfRelocation, ElfSection } from './types.js';

/** Bytes a relocation of this type touches, starting at r_offset. */
function relocWidth(type: number): number {
  switch (type) {
    case R_BPF_64_64:
    case R_BPF_64_32:
    case R_BPF_64_ABS64:
      return 8;
    case R_BPF_64_ABS32:
    case R_BPF_64_NODYLD32:
      return 4;
    default:
      return 1;
  }
}

/** Reads one REL section, checking links, entry size, symbol indices and that each offset lies in its target section. */
export function readRelSection(
  r: ByteReader,
  sections: readonly ElfSection[],
  rel: ElfSection,
  symtabIndex: number,
  nsyms: number,
): ElfRelSection {
  const secLoc = { section: rel.name, sectionIndex: rel.index };
  if (rel.entsize !== REL_SIZE) throw new ObjectError('BAD_SECTION', `relocation entry size ${rel.entsize}, expected ${REL_SIZE}`, secLoc);
  if (rel.size % REL_SIZE !== 0) throw new ObjectError('BAD_SECTION', `relocation section size ${rel.size} is not a multiple of ${REL_SIZE}`, secLoc);
  if (symtabIndex === 0 || rel.link !== symtabIndex) {
    throw new ObjectError('BAD_SECTION', `relocation section sh_link ${rel.link} is not the symbol table (${symtabIndex})`, secLoc);
  }
  if (rel.info === 0 || rel.info >= sections.length) {
    throw new ObjectError('BAD_SECTION', `relocation section targets invalid section index ${rel.info}`, secLoc);
  }
  const target = sections[rel.info];
  const targetSize = target.type === SHT_NOBITS ? 0 : target.size;
  const n = rel.size / REL_SIZE;
  const out: ElfRelocation[] = [];
  for (let i = 0; i < n; i++) {
    const off = rel.offset + i * REL_SIZE;
    // section data is inside the file (checked by readSections), so these reads cannot fail
    const ro = r.u64parts(off, 'relocation', secLoc);
    const ri = r.u64parts(off + 8, 'relocation', secLoc);
    const loc = (): typeof secLoc & { offset: number; offsetIn: 'section' } => ({ ...secLoc, offset: i * REL_SIZE, offsetIn: 'section' });
    const symbol = ri.hi;
    const type = ri.lo;
    if (symbol >= nsyms) {
      throw new ObjectError('BAD_RELOCATION', `relocation #${i} references symbol ${symbol}, symbol table has ${nsyms}`, { ...loc(), symbolIndex: symbol });
    }
    const width = relocWidth(type);
    const roff = ro.hi * 0x100000000 + ro.lo;
    if (ro.hi !== 0 || roff + width > targetSize) {
      throw new ObjectError(
        'BAD_RELOCATION',
        `relocation #${i} offset 0x${ro.hi ? ro.hi.toString(16) + ro.lo.toString(16).padStart(8, '0') : ro.lo.toString(16)} outside target section '${target.name}' (size 0x${targetSize.toString(16)})`,
        loc(),
      );
    }
    out.push({ offset: roff, symbol, type });
  }
  return { section: rel, target: rel.info, relocations: out };
}
