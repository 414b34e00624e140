/** `loadObjectSpec`: ELF bytes → `ObjectSpec`, the way libbpf's `bpf_object__open` reads an object. */
import { BtfError, parseBtf, parseBtfExt, type Btf, type BtfExt } from '@bpfkit/btf';
import { ObjectError } from './errors.js';
import { SHF_EXECINSTR, SHT_NOBITS, SHT_PROGBITS, SHT_SYMTAB } from './elf/constants.js';
import { parseElf } from './elf/parse.js';
import type { ElfSection } from './elf/types.js';
import { planBtfFixups, type BtfFixups } from './btf-fixup.js';
import { collectExterns, kconfigSize } from './externs.js';
import { makeInternalMap } from './data-maps.js';
import { collectBtfMaps } from './maps-btf.js';
import { collectMapRelos } from './map-relos.js';
import { attachExtInfo, collectFunctions, programKind, type RawFunction } from './programs.js';
import { collectProgRelos } from './relocs.js';
import type { FunctionSpec, MapSpec, ObjectSpec, ProgramSpec, RelocationSpec } from './spec.js';

export interface LoadOptions {
  /** Object name (libbpf: file name up to the first dot); prefixes `.data`/`.bss`/`.rodata`/`.kconfig` map names. */
  readonly name?: string;
}

export interface LoadedObject {
  readonly spec: ObjectSpec;
  /** The BTF fixups a loader applies before `BPF_BTF_LOAD` (see `kernelBtfBytes`). */
  readonly btfFixups?: BtfFixups;
}

type DataKind = 'data' | 'rodata' | 'bss';

function wrapBtf<T>(section: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BtfError) {
      const loc = {
        section,
        ...(e.offset !== undefined ? { offset: e.offset, offsetIn: 'section' as const } : {}),
        ...(e.typeId !== undefined ? { btfTypeId: e.typeId } : {}),
      };
      throw new ObjectError('BAD_BTF', `Error loading ELF section ${section}: ${e.message}`, loc, { cause: e });
    }
    throw e;
  }
}

/** Parses an object file into an `ObjectSpec`; throws `ObjectError` on anything libbpf would reject at open time. */
export function loadObject(bytes: Uint8Array, opts: LoadOptions = {}): LoadedObject {
  const elf = parseElf(bytes);
  if (elf.symtabIndex === 0) {
    throw new ObjectError('BAD_SECTION', `elf: couldn't find symbol table in ${opts.name ?? 'object'}, stripped object file?`, {});
  }
  const objName = opts.name ?? 'obj';
  let license = '';
  let kernelVersion: number | undefined;
  let textIndex = 0;
  let mapsIndex = 0;
  let btfSec: ElfSection | undefined;
  let btfExtSec: ElfSection | undefined;
  const execSections: ElfSection[] = [];
  const dataSections = new Map<number, DataKind>();
  for (const s of elf.sections) {
    if (s.index === 0) continue;
    const loc = { section: s.name, sectionIndex: s.index };
    const name = s.name;
    if (name.startsWith('.debug_') || name.startsWith('.rel.debug_') || name === '.llvm_addrsig') continue;
    if (name === 'license') {
      const nul = s.data.indexOf(0);
      license = new TextDecoder().decode(s.data.subarray(0, nul < 0 ? s.data.byteLength : nul)).slice(0, 127);
    } else if (name === 'version') {
      if (s.data.byteLength !== 4) throw new ObjectError('BAD_SECTION', `invalid kver section in ${objName}`, loc);
      kernelVersion = new DataView(s.data.buffer, s.data.byteOffset, 4).getUint32(0, elf.header.littleEndian);
    } else if (name === 'maps') {
      throw new ObjectError('BAD_SECTION', `elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+`, loc);
    } else if (name === '.maps') {
      mapsIndex = s.index;
    } else if (name === '.BTF') {
      btfSec = s;
    } else if (name === '.BTF.ext') {
      btfExtSec = s;
    } else if (s.type === SHT_SYMTAB) {
      continue;
    } else if (s.type === SHT_PROGBITS && s.data.byteLength > 0) {
      if (s.flags & SHF_EXECINSTR) {
        if (name === '.text') textIndex = s.index;
        execSections.push(s);
      } else if (name === '.data' || name.startsWith('.data.')) dataSections.set(s.index, 'data');
      else if (name === '.rodata' || name.startsWith('.rodata.')) dataSections.set(s.index, 'rodata');
    } else if (s.type === SHT_NOBITS && (name === '.bss' || name.startsWith('.bss.'))) {
      dataSections.set(s.index, 'bss');
    }
  }

  const btf: Btf | undefined = btfSec ? wrapBtf('.BTF', () => parseBtf(btfSec!.data)) : undefined;
  const btfExt: BtfExt | undefined = btf && btfExtSec ? wrapBtf('.BTF.ext', () => parseBtfExt(btfExtSec!.data, btf)) : undefined;

  // Functions per executable section.
  let fns: RawFunction[] = [];
  for (const s of execSections) {
    if (s.data.byteLength % 8 !== 0) {
      throw new ObjectError('BAD_PROGRAM', `sec '${s.name}': section size ${s.data.byteLength} is not a multiple of 8`, { section: s.name, sectionIndex: s.index });
    }
    fns.push(...collectFunctions(elf, s, s.index === textIndex));
  }
  fns = attachExtInfo(fns, btfExt);

  const externs = collectExterns(elf, btf);
  const subprogsRaw = fns.filter((f) => f.isText);
  const btfFixups = btf ? planBtfFixups(btf, elf, externs, subprogsRaw) : undefined;

  // Maps: BTF-defined, then global data (section order), then .kconfig.
  const maps: MapSpec[] = [];
  const varSizes = new Map<number, number>();
  if (mapsIndex) {
    if (!btf || !btfFixups) throw new ObjectError('BAD_MAP', 'BTF is required, but is missing or corrupted.', { section: '.maps', sectionIndex: mapsIndex });
    const dsId = btf.types.findIndex((t) => t.kind === 'DATASEC' && t.name === '.maps');
    if (dsId <= 0) throw new ObjectError('BAD_MAP', `DATASEC '.maps' not found.`, { section: '.maps', sectionIndex: mapsIndex });
    const ds = btfFixups.datasecs.get(dsId)!;
    for (const m of collectBtfMaps(btf, elf.sections[mapsIndex], ds)) {
      varSizes.set(m.index, ds.vars[m.index].size);
      maps.push(m);
    }
  }
  for (const [idx, kind] of [...dataSections].sort((a, b) => a[0] - b[0])) {
    const s = elf.sections[idx];
    const size = s.type === SHT_NOBITS ? s.size : s.data.byteLength;
    if (size === 0) continue;
    maps.push(makeInternalMap(maps.length, objName, kind, s.name, s, size, btf, btfFixups));
  }
  if (externs.some((e) => e.kind === 'kconfig')) {
    maps.push(makeInternalMap(maps.length, objName, 'kconfig', '.kconfig', undefined, kconfigSize(externs), btf, btfFixups, elf.symtabIndex));
  }

  // Program relocations.
  const relos = new Map<RawFunction, RelocationSpec[]>();
  const ctx = { elf, textIndex, mapsIndex, dataSections, maps, externs };
  for (const rs of elf.relSections) {
    const target = elf.sections[rs.target];
    if (!execSections.includes(target)) continue;
    const inSec = fns.filter((f) => f.sectionIndex === target.index);
    for (const [fn, list] of collectProgRelos(ctx, rs, inSec)) relos.set(fn, list);
  }

  const finish = (f: RawFunction): FunctionSpec => {
    const { isText: _isText, ...rest } = f;
    return { ...rest, relocations: relos.get(f) ?? [] };
  };
  const order = (a: FunctionSpec, b: FunctionSpec) => a.sectionIndex - b.sectionIndex || a.offset - b.offset;
  const programs: ProgramSpec[] = fns
    .filter((f) => !f.isText)
    .map((f) => ({ ...finish(f), ...programKind(f.section) }))
    .sort(order);
  const subprograms = fns.filter((f) => f.isText).map(finish).sort(order);

  const mapsRel = elf.relSections.find((r) => r.target === mapsIndex && mapsIndex !== 0);
  if (mapsRel && btf) collectMapRelos(elf, btf, mapsRel, maps, varSizes, programs);

  const spec: ObjectSpec = {
    name: objName,
    littleEndian: elf.header.littleEndian,
    license,
    ...(kernelVersion !== undefined ? { kernelVersion } : {}),
    programs,
    subprograms,
    maps,
    externs,
    ...(btf ? { btf } : {}),
    ...(btfExt ? { btfExt } : {}),
    elf,
  };
  return { spec, ...(btfFixups ? { btfFixups } : {}) };
}

/** Shorthand for `loadObject(bytes, opts).spec`. */
export function loadObjectSpec(bytes: Uint8Array, opts: LoadOptions = {}): ObjectSpec {
  return loadObject(bytes, opts).spec;
}
