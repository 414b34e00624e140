/**
 * Program relocations in libbpf's interpretation (`bpf_object__collect_prog_relos` +
 * `bpf_program__record_reloc`), keeping its decision order and messages.
 */
import { ObjectError } from './errors.js';
import { SHN_LORESERVE, STB_GLOBAL, STB_LOCAL, STT_FUNC, STT_SECTION } from './elf/constants.js';
import type { ElfFile, ElfRelSection, ElfSymbol } from './elf/types.js';
import { symIsExtern } from './externs.js';
import type { RawFunction } from './programs.js';
import { BPF_CALL, BPF_LD_IMM64, BPF_PSEUDO_CALL, decodeSlots } from './slots.js';
import type { ExternSpec, MapSpec, RelocationSpec } from './spec.js';

export interface RelocContext {
  readonly elf: ElfFile;
  readonly textIndex: number;
  readonly mapsIndex: number;
  /** Global data sections by index (libbpf SEC_DATA / SEC_RODATA / SEC_BSS). */
  readonly dataSections: ReadonlyMap<number, 'data' | 'rodata' | 'bss'>;
  readonly maps: readonly MapSpec[];
  readonly externs: readonly ExternSpec[];
}

/** libbpf `sym_is_subprog`. */
function symIsSubprog(sym: ElfSymbol, textIndex: number): boolean {
  if (sym.shndx !== textIndex || textIndex === 0) return false;
  if (sym.bind === STB_LOCAL && sym.type === STT_SECTION) return true;
  return sym.bind === STB_GLOBAL && sym.type === STT_FUNC;
}

export function symbolDisplayName(elf: ElfFile, sym: ElfSymbol): string {
  if (sym.type === STT_SECTION && sym.nameOff === 0) return elf.sections[sym.shndx]?.name ?? '<?>';
  return sym.name || '<?>';
}

/** Interprets one `.rel<prog section>`; returns relocations per function name, in relocation order. */
export function collectProgRelos(ctx: RelocContext, rs: ElfRelSection, fns: readonly RawFunction[]): Map<RawFunction, RelocationSpec[]> {
  const { elf } = ctx;
  const target = elf.sections[rs.target];
  const slots = decodeSlots(target.data.subarray(0, target.data.byteLength - (target.data.byteLength % 8)), elf.header.littleEndian);
  const out = new Map<RawFunction, RelocationSpec[]>();
  rs.relocations.forEach((rel, i) => {
    const sym = elf.symbols[rel.symbol];
    const relLoc = { section: rs.section.name, sectionIndex: rs.section.index, offset: i * 16, offsetIn: 'section' as const };
    if (rel.offset % 8 !== 0 || rel.offset >= target.data.byteLength) {
      throw new ObjectError('BAD_RELOCATION', `sec '${rs.section.name}': invalid offset 0x${rel.offset.toString(16)} for relo #${i}`, relLoc);
    }
    const secInsn = rel.offset / 8;
    const symName = symbolDisplayName(elf, sym);
    const fn = fns.find((f) => secInsn >= f.sectionInsnOffset && secInsn < f.sectionInsnOffset + f.slotCount);
    if (!fn) return; // libbpf: "couldn't find program ... probably overridden weak function, skipping..."
    const insnIdx = secInsn - fn.sectionInsnOffset;
    const insn = slots[secInsn];
    const loc = { section: target.name, sectionIndex: target.index, program: fn.name, insn: insnIdx, symbol: symName, symbolIndex: sym.index };
    const fail = (msg: string): never => {
      throw new ObjectError('BAD_RELOCATION', `prog '${fn.name}': ${msg}`, loc);
    };
    const isCall = insn.code === BPF_CALL;
    const isLd = insn.code === BPF_LD_IMM64;
    if (!isCall && !isLd) fail(`invalid relo against '${symName}' for insns[${insnIdx}].code 0x${insn.code.toString(16)}`);
    if (isLd && secInsn + 1 >= slots.length) fail(`invalid relo against '${symName}' for insns[${insnIdx}].code 0x${insn.code.toString(16)}`);
    let r: RelocationSpec;
    if (symIsExtern(sym)) {
      const ext = ctx.externs.find((e) => e.symbolIndex === sym.index);
      if (!ext) fail(`extern relo failed to find extern for '${symName}' (${sym.index})`);
      r = { kind: isCall ? 'extern_call' : 'extern_var', insn: insnIdx, symbol: symName, externIndex: ext!.index };
    } else if (isCall) {
      if (insn.src !== BPF_PSEUDO_CALL) fail('incorrect bpf_call opcode');
      if (!sym.shndx || sym.shndx !== ctx.textIndex) {
        fail(`bad call relo against '${symName}' in section '${elf.sections[sym.shndx]?.name ?? ''}'`);
      }
      if (sym.value % 8) fail(`bad call relo against '${symName}' at offset ${sym.value}`);
      r = { kind: 'call', insn: insnIdx, symbol: symName, symOff: sym.value };
    } else if (!sym.shndx || sym.shndx >= SHN_LORESERVE) {
      return fail(`invalid relo against '${symName}' in special section 0x${sym.shndx.toString(16)}; forgot to initialize global var?..`);
    } else if (symIsSubprog(sym, ctx.textIndex)) {
      if (sym.value % 8 || insn.imm % 8) fail(`bad subprog addr relo against '${symName}' at offset ${sym.value}+${insn.imm}`);
      r = { kind: 'subprog_addr', insn: insnIdx, symbol: symName, symOff: sym.value };
    } else {
      const secName = elf.sections[sym.shndx]?.name ?? '';
      const dataKind = ctx.dataSections.get(sym.shndx);
      if (dataKind === undefined) {
        // libbpf: LIBBPF_MAP_UNSPEC → must be the .maps section
        if (sym.shndx !== ctx.mapsIndex) fail(`bad map relo against '${symName}' in section '${secName}'`);
        const map = ctx.maps.find((m) => m.libbpfType === 'user' && m.sectionIndex === sym.shndx && m.sectionOffset === sym.value);
        if (!map) fail(`map relo failed to find map for section '${secName}', off ${sym.value}`);
        r = { kind: 'map', insn: insnIdx, symbol: symName, mapIndex: map!.index, map: map!.name };
      } else {
        const map = ctx.maps.find((m) => m.libbpfType === dataKind && m.sectionIndex === sym.shndx);
        if (!map) fail(`data relo failed to find map for section '${secName}'`);
        r = { kind: 'data', insn: insnIdx, symbol: symName, mapIndex: map!.index, map: map!.name, symOff: sym.value };
      }
    }
    let list = out.get(fn);
    if (!list) out.set(fn, (list = []));
    list.push(r);
  });
  return out;
}
