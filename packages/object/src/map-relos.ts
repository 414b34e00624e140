/** `.rel.maps`: initial `values` slots of map-in-map and prog-array maps (libbpf `bpf_object__collect_map_relos`). */
import type { Btf } from '@bpfkit/btf';
import { ObjectError } from './errors.js';
import type { ElfFile, ElfRelSection } from './elf/types.js';
import { skipModsAndTypedefs } from './btf-util.js';
import { BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_PROG_ARRAY, isMapInMap } from './map-types.js';
import type { MapSlotInit, MapSpec, ProgramSpec } from './spec.js';

export function collectMapRelos(
  elf: ElfFile,
  btf: Btf,
  rs: ElfRelSection,
  maps: MapSpec[],
  varSizes: ReadonlyMap<number, number>,
  programs: readonly ProgramSpec[],
): void {
  const slots = new Map<number, MapSlotInit[]>();
  rs.relocations.forEach((rel, i) => {
    const sym = elf.symbols[rel.symbol];
    const name = sym.name || '<?>';
    const loc = { section: rs.section.name, sectionIndex: rs.section.index, offset: i * 16, offsetIn: 'section' as const, symbol: name };
    const map = maps.find(
      (m) => m.libbpfType === 'user' && m.sectionOffset <= rel.offset && rel.offset + 8 <= m.sectionOffset + (varSizes.get(m.index) ?? 0),
    );
    if (!map) throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: cannot find map '${name}' at rel->r_offset ${rel.offset}`, loc);
    const mloc = { ...loc, map: map.name };
    let targetKind: 'map' | 'program';
    if (isMapInMap(map.type)) {
      if (sym.shndx !== map.sectionIndex) throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: '${name}' isn't a BTF-defined map`, mloc);
      if (map.type === BPF_MAP_TYPE_HASH_OF_MAPS && map.keySize !== 4) {
        throw new ObjectError('BAD_MAP', `map '${map.name}': should have key size 4.`, mloc);
      }
      if (!maps.some((m) => m.name === name)) throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: '${name}' isn't a valid map reference`, mloc);
      targetKind = 'map';
    } else if (map.type === BPF_MAP_TYPE_PROG_ARRAY) {
      const prog = programs.find((p) => p.name === name);
      if (!prog) throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: '${name}' isn't a valid program reference`, mloc);
      if (prog.sectionIndex !== sym.shndx || prog.offset !== sym.value) {
        throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: '${name}' isn't an entry-point program`, mloc);
      }
      targetKind = 'program';
    } else {
      throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: map '${map.name}' of type ${map.typeName} cannot have initial values`, mloc);
    }
    const def = skipModsAndTypedefs(btf, btf.types[map.btfVarId]?.kind === 'VAR' ? (btf.types[map.btfVarId] as { type: number }).type : 0).type;
    if (!def || def.kind !== 'STRUCT' || def.members.length === 0) throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: bad map definition`, mloc);
    const last = def.members[def.members.length - 1];
    if (last.name !== 'values') throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: last member of map '${map.name}' is not 'values'`, mloc);
    const moff = last.bitsOffset / 8;
    const rel0 = rel.offset - map.sectionOffset;
    if (rel0 < moff || (rel0 - moff) % 8 !== 0) throw new ObjectError('BAD_RELOCATION', `.maps relo #${i}: offset ${rel.offset} is not a 'values' slot`, mloc);
    const slot = (rel0 - moff) / 8;
    let list = slots.get(map.index);
    if (!list) slots.set(map.index, (list = []));
    list.push({ slot, target: name, targetKind });
  });
  for (const [idx, list] of slots) {
    list.sort((a, b) => a.slot - b.slot);
    maps[idx] = { ...maps[idx], initSlots: list };
  }
}
