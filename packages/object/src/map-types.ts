import { MAP_TYPE_NAMES } from '@bpfkit/isa';
/** `enum bpf_map_type` names, index = value. */
export const MAP_TYPES = MAP_TYPE_NAMES;

export const BPF_MAP_TYPE_ARRAY = 2;
export const BPF_MAP_TYPE_PROG_ARRAY = 3;
export const BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
export const BPF_MAP_TYPE_HASH_OF_MAPS = 13;

export const BPF_F_RDONLY_PROG = 0x80;
export const BPF_F_MMAPABLE = 0x400;

export const LIBBPF_PIN_NONE = 0;
export const LIBBPF_PIN_BY_NAME = 1;

export const mapTypeName = (t: number): string => MAP_TYPES[t] ?? `unknown map type ${t}`;
export const isMapInMap = (t: number): boolean => t === BPF_MAP_TYPE_ARRAY_OF_MAPS || t === BPF_MAP_TYPE_HASH_OF_MAPS;
