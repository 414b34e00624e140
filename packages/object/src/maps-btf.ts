/** BTF-defined maps in `.maps` (libbpf `parse_btf_map_def`, `bpf_object__init_user_btf_maps`). */
import type { Btf, BtfComposite } from '@bpfkit/btf';
import { ObjectError } from './errors.js';
import type { ElfSection } from './elf/types.js';
import { resolveSize, skipModsAndTypedefs, typeById } from './btf-util.js';
import type { DatasecFixup } from './btf-fixup.js';
import { isMapInMap, mapTypeName, BPF_MAP_TYPE_PROG_ARRAY, LIBBPF_PIN_BY_NAME, LIBBPF_PIN_NONE } from './map-types.js';
import type { MapSpec } from './spec.js';

export interface MapDef {
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  numaNode: number;
  pinning: number;
  mapExtra: bigint;
  btfKeyTypeId: number;
  btfValueTypeId: number;
  inner?: MapDef & { name: string };
  hasValues: boolean;
}

const err = (msg: string, map: string, btfTypeId?: number): ObjectError =>
  new ObjectError('BAD_MAP', msg, { section: '.maps', map, ...(btfTypeId !== undefined ? { btfTypeId } : {}) });

/** libbpf `get_map_field_int`: `PTR → ARRAY(nelems = value)`. */
function fieldInt(btf: Btf, mapName: string, attr: string, typeId: number): number {
  const t = typeById(btf, typeId);
  const p = skipModsAndTypedefs(btf, typeId).type;
  if (!p || p.kind !== 'PTR') throw err(`map '${mapName}': attr '${attr}': expected PTR, got ${p?.kind ?? t?.kind ?? 'unknown'}.`, mapName, typeId);
  const arr = typeById(btf, p.type);
  if (!arr) throw err(`map '${mapName}': attr '${attr}': type [${p.type}] not found.`, mapName, p.type);
  if (arr.kind !== 'ARRAY') throw err(`map '${mapName}': attr '${attr}': expected ARRAY, got ${arr.kind}.`, mapName, p.type);
  return arr.nelems;
}

export function parseBtfMapDef(btf: Btf, mapName: string, def: BtfComposite, isInner: boolean): MapDef {
  const md: MapDef = {
    type: 0, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0, numaNode: 0, pinning: 0, mapExtra: 0n,
    btfKeyTypeId: 0, btfValueTypeId: 0, hasValues: false,
  };
  def.members.forEach((m, i) => {
    const name = m.name;
    if (!name) throw err(`map '${mapName}': invalid field #${i}.`, mapName, def.id);
    switch (name) {
      case 'type':
        md.type = fieldInt(btf, mapName, name, m.type);
        break;
      case 'max_entries':
        md.maxEntries = fieldInt(btf, mapName, name, m.type);
        break;
      case 'map_flags':
        md.flags = fieldInt(btf, mapName, name, m.type);
        break;
      case 'numa_node':
        md.numaNode = fieldInt(btf, mapName, name, m.type);
        break;
      case 'map_extra':
        md.mapExtra = BigInt(fieldInt(btf, mapName, name, m.type));
        break;
      case 'key_size':
      case 'value_size': {
        const sz = fieldInt(btf, mapName, name, m.type);
        const isKey = name === 'key_size';
        const cur = isKey ? md.keySize : md.valueSize;
        if (cur && cur !== sz) throw err(`map '${mapName}': conflicting ${isKey ? 'key' : 'value'} size ${cur} != ${sz}.`, mapName);
        if (isKey) md.keySize = sz;
        else md.valueSize = sz;
        break;
      }
      case 'key':
      case 'value': {
        const isKey = name === 'key';
        const t = typeById(btf, m.type);
        if (!t) throw err(`map '${mapName}': ${name} type [${m.type}] not found.`, mapName, m.type);
        if (t.kind !== 'PTR') throw err(`map '${mapName}': ${name} spec is not PTR: ${t.kind}.`, mapName, m.type);
        const sz = resolveSize(btf, t.type);
        if (sz < 0) throw err(`map '${mapName}': can't determine ${name} size for type [${t.type}]: ${sz}.`, mapName, t.type);
        const cur = isKey ? md.keySize : md.valueSize;
        if (cur && cur !== sz) throw err(`map '${mapName}': conflicting ${name} size ${cur} != ${sz}.`, mapName);
        if (isKey) {
          md.keySize = sz;
          md.btfKeyTypeId = t.type;
        } else {
          md.valueSize = sz;
          md.btfValueTypeId = t.type;
        }
        break;
      }
      case 'values': {
        const isMim = isMapInMap(md.type);
        const isProgArr = md.type === BPF_MAP_TYPE_PROG_ARRAY;
        const desc = 'values';
        if (isInner) throw err(`map '${mapName}': multi-level inner maps not supported.`, mapName);
        if (i !== def.members.length - 1) throw err(`map '${mapName}': '${name}' member should be last.`, mapName);
        if (!isMim && !isProgArr) throw err(`map '${mapName}': should be map-in-map or prog-array.`, mapName);
        if (md.valueSize && md.valueSize !== 4) throw err(`map '${mapName}': conflicting value size ${md.valueSize} != 4.`, mapName);
        md.valueSize = 4;
        const arr = typeById(btf, m.type);
        if (!arr) throw err(`map '${mapName}': ${desc} type [${m.type}] not found.`, mapName, m.type);
        if (arr.kind !== 'ARRAY' || arr.nelems !== 0) throw err(`map '${mapName}': ${desc} spec is not a zero-sized array.`, mapName, m.type);
        const ptr = skipModsAndTypedefs(btf, arr.type).type;
        if (!ptr || ptr.kind !== 'PTR') throw err(`map '${mapName}': ${desc} elem type [${arr.type}] is not a pointer.`, mapName, arr.type);
        md.hasValues = true;
        if (isProgArr) break;
        const inner = skipModsAndTypedefs(btf, ptr.type).type;
        if (!inner) throw err(`map '${mapName}': ${desc} type [${ptr.type}] not found.`, mapName, ptr.type);
        if (inner.kind !== 'STRUCT') throw err(`map '${mapName}': ${desc} def is of unexpected kind ${inner.kind}.`, mapName, inner.id);
        const innerName = `${mapName}.inner`;
        md.inner = { ...parseBtfMapDef(btf, innerName, inner, true), name: innerName };
        break;
      }
      case 'pinning': {
        if (isInner) throw err(`map '${mapName}': inner def can't be pinned.`, mapName);
        const v = fieldInt(btf, mapName, name, m.type);
        if (v !== LIBBPF_PIN_NONE && v !== LIBBPF_PIN_BY_NAME) throw err(`map '${mapName}': invalid pinning value ${v}.`, mapName);
        md.pinning = v;
        break;
      }
      default:
        throw err(`map '${mapName}': unknown field '${name}'.`, mapName);
    }
  });
  if (md.type === 0) throw err(`map '${mapName}': map type isn't specified.`, mapName);
  return md;
}

function toSpec(md: MapDef, name: string, index: number, section: ElfSection, sectionOffset: number, btfVarId: number): MapSpec {
  return {
    index,
    name,
    libbpfType: 'user',
    section: section.name,
    sectionIndex: section.index,
    sectionOffset,
    type: md.type,
    typeName: mapTypeName(md.type),
    keySize: md.keySize,
    valueSize: md.valueSize,
    maxEntries: md.maxEntries,
    flags: md.flags,
    numaNode: md.numaNode,
    pinning: md.pinning,
    mapExtra: md.mapExtra,
    btfKeyTypeId: md.btfKeyTypeId,
    btfValueTypeId: md.btfValueTypeId,
    btfVarId,
    ...(md.inner ? { inner: toSpec(md.inner, md.inner.name, -1, section, sectionOffset, 0) } : {}),
    initSlots: [],
    frozen: false,
    mmapable: false,
  };
}

/** Reads every map of the `.maps` DATASEC (after offset fixup), in DATASEC (offset) order. */
export function collectBtfMaps(btf: Btf, section: ElfSection, datasec: DatasecFixup): MapSpec[] {
  const out: MapSpec[] = [];
  for (const vi of datasec.vars) {
    const v = typeById(btf, vi.type);
    if (!v || v.kind !== 'VAR') throw err(`map #${out.length}: unexpected var kind ${v?.kind ?? 'unknown'}.`, '', vi.type);
    const name = v.name;
    if (v.linkage !== 1 && v.linkage !== 0) throw err(`map '${name}': unsupported map linkage ${v.linkage}.`, name, v.id);
    const def = skipModsAndTypedefs(btf, v.type).type;
    if (!def || def.kind !== 'STRUCT') throw err(`map '${name}': unexpected def kind ${def?.kind ?? 'unknown'}.`, name, v.type);
    if (def.size > vi.size) throw err(`map '${name}': invalid def size.`, name, v.type);
    if (vi.offset + vi.size > section.data.byteLength) throw err(`map '${name}' BTF data is corrupted.`, name, v.id);
    out.push(toSpec(parseBtfMapDef(btf, name, def, false), name, out.length, section, vi.offset, v.id));
  }
  return out;
}
