import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadObjectSpec, ObjectError, parseElf } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const LE = new Uint8Array(readFileSync(join(here, '__fixtures__/kitchen.bpf.o')));
const elf = parseElf(LE);
const symtab = elf.sections[elf.symtabIndex];
const symIdx = (name: string) => elf.symbols.find((s) => s.name === name)!.index;
const rel = (name: string) => elf.relSections.find((r) => r.section.name === name)!;

function patched(f: (dv: DataView) => void): Uint8Array {
  const c = new Uint8Array(LE);
  f(new DataView(c.buffer));
  return c;
}
/** Sets the symbol of relocation `i` of REL section `sec`. */
const setRelSym = (sec: string, i: number, sym: number) => (dv: DataView) => dv.setUint32(rel(sec).section.offset + i * 16 + 12, sym, true);

function loadError(bytes: Uint8Array): ObjectError {
  try {
    loadObjectSpec(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ObjectError);
    return e as ObjectError;
  }
  throw new Error('expected an ObjectError');
}

describe('relocation interpretation errors (libbpf wording)', () => {
  it('a relocation on an instruction that is neither call nor ld_imm64', () => {
    // .relxdp #0 targets xprog2's call at section slot 3; point it at slot 2 (xprog2's first insn)
    const e = loadError(patched((dv) => dv.setBigUint64(rel('.relxdp').section.offset, 0x10n, true)));
    expect(e.code).toBe('BAD_RELOCATION');
    expect(e.message).toMatch(/^prog 'xprog2': invalid relo against '\.text' for insns\[0\]\.code 0x[0-9a-f]+/);
    expect(e.location).toMatchObject({ program: 'xprog2', insn: 0, section: 'xdp' });
  });

  it('a relocation at an offset that is not a multiple of 8', () => {
    const e = loadError(patched((dv) => dv.setBigUint64(rel('.relxdp').section.offset, 0x1cn, true)));
    expect(e.message).toMatch(/^sec '\.relxdp': invalid offset 0x1c for relo #0/);
  });

  it('a symbol in section 0: forgot to initialize global var', () => {
    const e = loadError(patched((dv) => dv.setUint16(symtab.offset + symIdx('gdata') * 24 + 6, 0, true)));
    // gdata is referenced first by prog1 insn 16
    expect(e.message).toContain(`prog 'prog1': invalid relo against 'gdata' in special section 0x0; forgot to initialize global var?..`);
  });

  it('an ld_imm64 against a symbol in a non-map, non-data section', () => {
    const e = loadError(patched(setRelSym('.reltp/syscalls/sys_enter_write', 0, symIdx('LICENSE'))));
    expect(e.message).toContain(`prog 'prog1': bad map relo against 'LICENSE' in section 'license'`);
  });

  it('a call relocation against something outside .text', () => {
    const e = loadError(patched(setRelSym('.reltp/syscalls/sys_enter_write', 13, symIdx('hmap'))));
    expect(e.message).toContain(`prog 'prog1': bad call relo against 'hmap' in section '.maps'`);
    expect(e.location.insn).toBe(60);
  });

  it('an extern that has no BTF', () => {
    // rename the kfunc's symbol to another string in .strtab ("prog1")
    const nameOff = elf.symbols[symIdx('prog1')].nameOff;
    const e = loadError(patched((dv) => dv.setUint32(symtab.offset + symIdx('bpf_rcu_read_lock') * 24, nameOff, true)));
    expect(e.code).toBe('BAD_EXTERN');
    expect(e.message).toContain(`failed to find BTF for extern 'prog1'`);
  });

  it('a static entry program', () => {
    const off = symtab.offset + symIdx('xprog') * 24 + 4;
    const e = loadError(patched((dv) => dv.setUint8(off, (0 << 4) | 2)));
    expect(e.message).toContain(`sec 'xdp': program 'xprog' is static and not supported`);
  });
});

describe('BTF problems', () => {
  it('a corrupt .BTF is an ObjectError naming the section, with the BTF error as cause', () => {
    const btf = elf.sections.find((s) => s.name === '.BTF')!;
    const e = loadError(patched((dv) => dv.setUint16(btf.offset, 0x1234, true)));
    expect(e.code).toBe('BAD_BTF');
    expect(e.location.section).toBe('.BTF');
    expect(e.message).toContain('Error loading ELF section .BTF');
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  it('a corrupt .BTF.ext is an ObjectError naming the section', () => {
    const ext = elf.sections.find((s) => s.name === '.BTF.ext')!;
    const e = loadError(patched((dv) => dv.setUint8(ext.offset + 2, 9)));
    expect(e.code).toBe('BAD_BTF');
    expect(e.location.section).toBe('.BTF.ext');
    expect(e.message).toContain('Unsupported BTF.ext version:9');
  });
});

describe('object-level rejections', () => {
  const shoff = Number(new DataView(LE.buffer, LE.byteOffset).getBigUint64(40, true));
  const sh = (i: number, field: number) => shoff + i * 64 + field;
  it('legacy `maps` section', () => {
    const maps = elf.sections.find((s) => s.name === '.maps')!;
    // point the section name one byte further: ".maps" -> "maps"
    const e = loadError(patched((dv) => dv.setUint32(sh(maps.index, 0), maps.nameOff + 1, true)));
    expect(e.message).toContain(`legacy map definitions in 'maps' section are not supported by libbpf v1.0+`);
    expect(e.location.sectionIndex).toBe(maps.index);
  });
  it('stripped object without .symtab', () => {
    // turn SYMTAB into PROGBITS
    const e = loadError(patched((dv) => dv.setUint32(sh(elf.symtabIndex, 4), 1, true)));
    // REL sections now link to a non-symbol-table section: rejected by the ELF layer
    expect(e.code).toBe('BAD_SECTION');
    expect(e.message).toMatch(/is not the symbol table/);
  });
});
