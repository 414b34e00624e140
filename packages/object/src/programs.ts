/** Program and subprogram discovery (libbpf `bpf_object__add_programs`) and `.BTF.ext` slicing. */
import { ObjectError } from './errors.js';
import { STB_LOCAL, STB_WEAK, STT_FUNC } from './elf/constants.js';
import type { ElfFile, ElfSection } from './elf/types.js';
import type { BtfExt, BtfExtSection } from '@bpfkit/btf';
import { programKindForSection } from './sec-defs.js';
import { decode, IsaError, type Insn } from '@bpfkit/isa';
import { type CoreRelo, type FuncInfo, type FunctionSpec, type LineInfo } from './spec.js';

/** A function before relocations are attached. */
export type RawFunction = Omit<FunctionSpec, 'relocations'> & { isText: boolean };

export function collectFunctions(elf: ElfFile, sec: ElfSection, isText: boolean): RawFunction[] {
  const out: RawFunction[] = [];
  const size = sec.data.byteLength;
  for (const sym of elf.symbols) {
    if (sym.shndx !== sec.index || sym.type !== STT_FUNC) continue;
    const name = sym.name;
    const loc = { section: sec.name, sectionIndex: sec.index, symbol: name, symbolIndex: sym.index, offset: sym.value, offsetIn: 'section' as const };
    if (sym.value + sym.size > size || sym.value + sym.size < sym.value) {
      throw new ObjectError('BAD_PROGRAM', `sec '${sec.name}': program at offset ${sym.value} crosses section boundary`, loc);
    }
    if (!isText && sym.bind === STB_LOCAL) {
      throw new ObjectError('BAD_PROGRAM', `sec '${sec.name}': program '${name}' is static and not supported`, loc);
    }
    if (sym.value % 8 !== 0 || sym.size % 8 !== 0) {
      throw new ObjectError('BAD_PROGRAM', `sec '${sec.name}': corrupted program '${name}', offset ${sym.value}, size ${sym.size}`, loc);
    }
    const bytes = sec.data.subarray(sym.value, sym.value + sym.size);
    out.push({
      name,
      section: sec.name,
      sectionIndex: sec.index,
      offset: sym.value,
      size: sym.size,
      sectionInsnOffset: sym.value / 8,
      slotCount: sym.size / 8,
      global: sym.bind !== STB_LOCAL,
      weak: sym.bind === STB_WEAK,
      visibility: sym.visibility,
      bytes,
      insns: decodeInsns(bytes, elf.header.littleEndian, { section: sec.name, sectionIndex: sec.index, program: name }),
      funcInfo: [],
      lineInfo: [],
      coreRelos: [],
      isText,
    });
  }
  // libbpf sorts programs by (section index, offset)
  out.sort((a, b) => a.offset - b.offset);
  return out;
}

function decodeInsns(bytes: Uint8Array, le: boolean, loc: { section: string; sectionIndex: number; program: string }): Insn[] {
  try {
    return decode(bytes, { bigEndian: !le });
  } catch (e) {
    if (e instanceof IsaError) throw new ObjectError('BAD_PROGRAM', `prog '${loc.program}': ${e.message}`, loc, { cause: e });
    throw e;
  }
}

function inRange(insnOff: number, f: RawFunction): boolean {
  return insnOff >= f.offset && insnOff < f.offset + f.size;
}

/** All records of the blocks naming `section` (a section may appear in several blocks). */
function recordsFor<T>(blocks: readonly BtfExtSection<T>[], section: string): T[] {
  const out: T[] = [];
  for (const b of blocks) if (b.secName === section) out.push(...b.records);
  return out;
}

/** Attaches the `.BTF.ext` records that fall into each function's byte range, as function-relative slot indices. */
export function attachExtInfo(fns: RawFunction[], ext: BtfExt | undefined): RawFunction[] {
  if (!ext) return fns;
  return fns.map((f) => {
    const loc = { section: f.section, program: f.name };
    const check = (what: string, off: number) => {
      if (off % 8 !== 0) throw new ObjectError('BAD_BTF', `${what} insn_off ${off} is not a multiple of 8`, { ...loc, offset: off, offsetIn: 'section' });
    };
    const funcInfo: FuncInfo[] = recordsFor(ext.funcInfo, f.section)
      .filter((r) => inRange(r.insnOff, f))
      .map((r) => {
        check('func_info', r.insnOff);
        return { insn: (r.insnOff - f.offset) / 8, typeId: r.typeId };
      });
    const lineInfo: LineInfo[] = recordsFor(ext.lineInfo, f.section)
      .filter((r) => inRange(r.insnOff, f))
      .map((r) => {
        check('line_info', r.insnOff);
        const { insnOff, ...rest } = r;
        return { insn: (insnOff - f.offset) / 8, ...rest };
      });
    const coreRelos: CoreRelo[] = recordsFor(ext.coreRelos, f.section)
      .filter((r) => inRange(r.insnOff, f))
      .map((r) => {
        check('core_relo', r.insnOff);
        const { insnOff, ...rest } = r;
        return { insn: (insnOff - f.offset) / 8, ...rest };
      });
    return { ...f, funcInfo, lineInfo, coreRelos, ...(funcInfo.length && funcInfo[0].insn === 0 ? { btfFuncId: funcInfo[0].typeId } : {}) };
  });
}

export function programKind(section: string) {
  const secName = section.startsWith('?') ? section.slice(1) : section;
  return { secName, autoload: !section.startsWith('?'), kind: programKindForSection(secName) };
}
