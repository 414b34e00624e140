/** Small BTF queries the loader needs (typedef/modifier skipping, sizes, alignment). */
import type { Btf, BtfType } from '@bpfkit/btf';

const MAX_RESOLVE_DEPTH = 32;

export function typeById(btf: Btf, id: number): BtfType | undefined {
  return id >= 0 && id < btf.types.length ? btf.types[id] : undefined;
}

/** libbpf `skip_mods_and_typedefs`: follows TYPEDEF/VOLATILE/CONST/RESTRICT/TYPE_TAG. */
export function skipModsAndTypedefs(btf: Btf, id: number): { id: number; type: BtfType | undefined } {
  let t = typeById(btf, id);
  for (let depth = 0; t && depth < MAX_RESOLVE_DEPTH; depth++) {
    if (t.kind === 'TYPEDEF' || t.kind === 'VOLATILE' || t.kind === 'CONST' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG') {
      id = t.type;
      t = typeById(btf, id);
    } else break;
  }
  return { id, type: t };
}

/** libbpf `btf__resolve_size` (pointer size 8); returns a negative number when the size is undefined. */
export function resolveSize(btf: Btf, id: number): number {
  let nelems = 1;
  let t = typeById(btf, id);
  for (let depth = 0; t && depth < MAX_RESOLVE_DEPTH; depth++) {
    switch (t.kind) {
      case 'INT':
      case 'STRUCT':
      case 'UNION':
      case 'ENUM':
      case 'ENUM64':
      case 'DATASEC':
      case 'FLOAT':
        return nelems * t.size;
      case 'PTR':
        return nelems * 8;
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
      case 'VAR':
      case 'DECL_TAG' as string:
        t = typeById(btf, (t as { type: number }).type);
        break;
      case 'ARRAY':
        if (t.nelems && nelems > 0xffffffff / t.nelems) return -7; // -E2BIG
        nelems *= t.nelems;
        t = typeById(btf, t.type);
        break;
      default:
        return -22; // -EINVAL
    }
  }
  return -22;
}

/** Natural alignment (libbpf `btf__align_of`, simplified to what kconfig/data layouts need). */
export function alignOf(btf: Btf, id: number): number {
  const { type: t } = skipModsAndTypedefs(btf, id);
  if (!t) return 1;
  switch (t.kind) {
    case 'INT':
    case 'ENUM':
    case 'ENUM64':
    case 'FLOAT':
      return Math.min(8, Math.max(1, t.size));
    case 'PTR':
      return 8;
    case 'ARRAY':
      return alignOf(btf, t.type);
    case 'STRUCT':
    case 'UNION': {
      let a = 1;
      for (const m of t.members) a = Math.max(a, alignOf(btf, m.type));
      return a;
    }
    default:
      return 1;
  }
}

/** Finds the first type of one of `kinds` with this exact name. */
export function findByName(btf: Btf, name: string, kinds: readonly string[]): BtfType | undefined {
  for (let id = 1; id < btf.types.length; id++) {
    const t = btf.types[id];
    if (t.name === name && kinds.includes(t.kind)) return t;
  }
  return undefined;
}
