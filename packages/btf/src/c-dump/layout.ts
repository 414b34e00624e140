/**
 * Size and alignment rules as libbpf computes them (`btf__resolve_size`,
 * `btf__align_of`, `btf_is_struct_packed`, `determine_ptr_size`).
 */
import type { BtfComposite, BtfType } from '../types.js';

const LONG_ALIASES = new Set([
  'long', 'long int', 'int long', 'unsigned long', 'long unsigned', 'unsigned long int',
  'unsigned int long', 'long unsigned int', 'long int unsigned', 'int unsigned long', 'int long unsigned',
]);

/** Pointer size guessed from the first 4/8-byte INT named like `long`; 8 when there is none. */
export function pointerSize(types: readonly BtfType[]): number {
  for (let i = 1; i < types.length; i++) {
    const t = types[i];
    if (t.kind !== 'INT' || (t.size !== 4 && t.size !== 8)) continue;
    if (LONG_ALIASES.has(t.name)) return t.size;
  }
  return 8;
}

const MAX_RESOLVE_DEPTH = 32;

/** `btf__resolve_size`: byte size through typedefs/modifiers/arrays; -1 when it has none. */
export function resolveSize(types: readonly BtfType[], ptrSize: number, id: number): number {
  let nelems = 1;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH && id !== 0; depth++) {
    const t = types[id];
    if (t === undefined) return -1;
    switch (t.kind) {
      case 'INT':
      case 'STRUCT':
      case 'UNION':
      case 'ENUM':
      case 'ENUM64':
      case 'DATASEC':
      case 'FLOAT': {
        const size = t.size;
        if (nelems && size > 0xffffffff / nelems) return -1;
        return nelems * size;
      }
      case 'PTR':
        return nelems * ptrSize;
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'VAR':
      case 'DECL_TAG':
      case 'TYPE_TAG':
        id = t.type;
        break;
      case 'ARRAY':
        if (nelems && t.nelems > 0xffffffff / nelems) return -1;
        nelems *= t.nelems;
        id = t.type;
        break;
      default:
        return -1;
    }
  }
  return -1;
}

/**
 * `btf__align_of` (libbpf 1.1): natural alignment; a struct whose member offsets or
 * size contradict natural alignment is taken to be packed (alignment 1). 0 = unknown.
 */
export function alignOf(types: readonly BtfType[], ptrSize: number, cache: Int32Array, id: number): number {
  const cached = cache[id];
  if (cached !== 0) return cached - 1;
  const a = computeAlign(types, ptrSize, cache, id);
  cache[id] = a + 1;
  return a;
}

function computeAlign(types: readonly BtfType[], ptrSize: number, cache: Int32Array, id: number): number {
  const t = types[id];
  if (t === undefined) return 0;
  switch (t.kind) {
    case 'INT':
    case 'ENUM':
    case 'ENUM64':
    case 'FLOAT':
      return Math.min(ptrSize, t.size);
    case 'PTR':
      return ptrSize;
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
    case 'ARRAY':
      return alignOf(types, ptrSize, cache, t.type);
    case 'STRUCT':
    case 'UNION': {
      const ms = t.members;
      let maxAlign = 1;
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i];
        const align = alignOf(types, ptrSize, cache, m.type);
        if (align <= 0) return align;
        if (align > maxAlign) maxAlign = align;
        if (m.bitfieldSize === 0 && m.bitsOffset % (8 * align) !== 0) return 1;
      }
      if (t.size % maxAlign !== 0) return 1;
      return maxAlign;
    }
    default:
      return 0;
  }
}

/** `btf_is_struct_packed`: some non-bitfield member misaligned, or size not a multiple of the max alignment. */
export function isStructPacked(types: readonly BtfType[], ptrSize: number, cache: Int32Array, t: BtfComposite): boolean {
  const ms = t.members;
  let maxAlign = 1;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    const align = alignOf(types, ptrSize, cache, m.type);
    if (align && m.bitfieldSize === 0 && m.bitsOffset % (8 * align) !== 0) return true;
    if (align > maxAlign) maxAlign = align;
  }
  return t.size % maxAlign !== 0;
}
