/** Internal maps for global data (`.data*`, `.rodata*`, `.bss*`) and `.kconfig` (libbpf `bpf_object__init_internal_map`). */
import type { Btf } from '@bpfkit/btf';
import type { ElfSection } from './elf/types.js';
import { SHT_NOBITS } from './elf/constants.js';
import { ObjectError } from './errors.js';
import type { BtfFixups } from './btf-fixup.js';
import { BPF_F_MMAPABLE, BPF_F_RDONLY_PROG, BPF_MAP_TYPE_ARRAY, mapTypeName } from './map-types.js';
import type { DataVariable, LibbpfMapType, MapSpec } from './spec.js';

const BPF_OBJ_NAME_LEN = 16;

/** libbpf `internal_map_name`: `<obj prefix><.data>` for classic names, the section name for `.data.X`-style ones. */
export function internalMapName(objName: string, realName: string): string {
  const sfxLen = Math.max(7, realName.length);
  const custom = realName.indexOf('.', 1) >= 0;
  const pfxLen = custom ? 0 : Math.max(0, Math.min(BPF_OBJ_NAME_LEN - sfxLen - 1, objName.length));
  const name = (objName.slice(0, pfxLen) + realName.slice(0, sfxLen)).slice(0, BPF_OBJ_NAME_LEN - 1);
  return name.replace(/[^A-Za-z0-9_.]/g, '_');
}

function findDatasec(btf: Btf | undefined, name: string): number {
  if (!btf) return 0;
  for (let id = 1; id < btf.types.length; id++) {
    const t = btf.types[id];
    if (t.kind === 'DATASEC' && t.name === name) return id;
  }
  return 0;
}

function variables(btf: Btf | undefined, fx: BtfFixups | undefined, datasecId: number): DataVariable[] {
  if (!btf || !fx || !datasecId) return [];
  const ds = fx.datasecs.get(datasecId);
  if (!ds) return [];
  return ds.vars.map((v) => {
    const t = btf.types[v.type];
    const linkage = t?.kind === 'VAR' ? (fx.varLinkage.get(v.type) ?? t.linkage) : 1;
    return { name: t?.name ?? 'dummy_ksym', btfVarId: v.type, offset: v.offset, size: v.size, linkage: linkage === 0 ? 'static' : 'global' };
  });
}

/** Largest global data section we allocate (a NOBITS `.bss` may claim any size). */
export const MAX_DATA_SECTION_SIZE = 256 << 20;

export function makeInternalMap(
  index: number,
  objName: string,
  libbpfType: Exclude<LibbpfMapType, 'user'>,
  realName: string,
  section: ElfSection | undefined,
  size: number,
  btf: Btf | undefined,
  fx: BtfFixups | undefined,
  /** libbpf records the `.kconfig` map against the symbol table's section index. */
  sectionIndex = section?.index ?? 0,
): MapSpec {
  const datasecId = findDatasec(btf, realName);
  const vars = variables(btf, fx, datasecId);
  const rdonly = libbpfType === 'rodata' || libbpfType === 'kconfig';
  const mmapable = datasecId !== 0 && vars.some((v) => v.linkage !== 'static');
  if (size > MAX_DATA_SECTION_SIZE) {
    throw new ObjectError('BAD_SECTION', `global data section '${realName}' is ${size} bytes, more than the ${MAX_DATA_SECTION_SIZE} bytes bpfkit can map`, {
      section: realName,
      ...(section ? { sectionIndex: section.index } : {}),
    });
  }
  const initialData = new Uint8Array(size);
  if (section && section.type !== SHT_NOBITS) initialData.set(section.data.subarray(0, size));
  return {
    index,
    name: internalMapName(objName, realName),
    libbpfType,
    section: realName,
    sectionIndex,
    sectionOffset: 0,
    type: BPF_MAP_TYPE_ARRAY,
    typeName: mapTypeName(BPF_MAP_TYPE_ARRAY),
    keySize: 4,
    valueSize: size,
    maxEntries: 1,
    flags: (rdonly ? BPF_F_RDONLY_PROG : 0) | (mmapable ? BPF_F_MMAPABLE : 0),
    numaNode: 0,
    pinning: 0,
    mapExtra: 0n,
    btfKeyTypeId: 0,
    btfValueTypeId: datasecId,
    btfVarId: 0,
    initSlots: [],
    frozen: rdonly,
    mmapable,
    initialData,
    datasecId,
    variables: vars,
  };
}
