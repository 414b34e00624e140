/**
 * Size and alignment rules as libbpf computes them (`btf__resolve_size`,
 * `btf__align_of`, `btf_is_struct_packed`, `determine_ptr_size`), on the record table.
 */
import type { BtfTable } from '../btf.js';

const LONG_ALIASES = new Set([
  'long', 'long int', 'int long', 'unsigned long', 'long unsigned', 'unsigned long int',
  'unsigned int long', 'long unsigned int', 'long int unsigned', 'int unsigned long', 'int long unsigned',
]);

/** Pointer size guessed from the first 4/8-byte INT named like `long`; 8 when there is none. */
export function pointerSize(table: BtfTable, strs: { strText(off: number): string }): number {
  const { words, rec, kinds, count } = table;
  for (let i = 1; i < count; i++) {
    if (kinds[i] !== 1 /* INT */) continue;
    const r = rec[i]!;
    const size = words[r + 2]!;
    if (size !== 4 && size !== 8) continue;
    const off = words[r]!;
    if (off !== 0 && LONG_ALIASES.has(strs.strText(off))) return size;
  }
  return 8;
}

const MAX_RESOLVE_DEPTH = 32;

/** `btf__resolve_size`: byte size through typedefs/modifiers/arrays; -1 when it has none. */
export function resolveSize(table: BtfTable, ptrSize: number, id: number): number {
  const { words, rec, kinds, count } = table;
  let nelems = 1;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH && id !== 0; depth++) {
    if (id >= count) return -1;
    const r = rec[id]!;
    switch (kinds[id]) {
      case 1 /* INT */:
      case 4 /* STRUCT */:
      case 5 /* UNION */:
      case 6 /* ENUM */:
      case 19 /* ENUM64 */:
      case 15 /* DATASEC */:
      case 16 /* FLOAT */: {
        const size = words[r + 2]!;
        if (nelems && size > 0xffffffff / nelems) return -1;
        return nelems * size;
      }
      case 2 /* PTR */:
        return nelems * ptrSize;
      case 8 /* TYPEDEF */:
      case 9 /* VOLATILE */:
      case 10 /* CONST */:
      case 11 /* RESTRICT */:
      case 14 /* VAR */:
      case 17 /* DECL_TAG */:
      case 18 /* TYPE_TAG */:
        id = words[r + 2]!;
        break;
      case 3 /* ARRAY */: {
        const ne = words[r + 5]!;
        if (nelems && ne > 0xffffffff / nelems) return -1;
        nelems *= ne;
        id = words[r + 3]!;
        break;
      }
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
export function alignOf(table: BtfTable, ptrSize: number, cache: Int32Array, id: number): number {
  const cached = cache[id];
  if (cached !== 0 && cached !== undefined) return cached - 1;
  const a = computeAlign(table, ptrSize, cache, id);
  cache[id] = a + 1;
  return a;
}

function computeAlign(table: BtfTable, ptrSize: number, cache: Int32Array, id: number): number {
  if (id >= table.count) return 0;
  const words = table.words;
  const r = table.rec[id]!;
  switch (table.kinds[id]) {
    case 1 /* INT */:
    case 6 /* ENUM */:
    case 19 /* ENUM64 */:
    case 16 /* FLOAT */:
      return Math.min(ptrSize, words[r + 2]!);
    case 2 /* PTR */:
      return ptrSize;
    case 8 /* TYPEDEF */:
    case 9 /* VOLATILE */:
    case 10 /* CONST */:
    case 11 /* RESTRICT */:
    case 18 /* TYPE_TAG */:
      return alignOf(table, ptrSize, cache, words[r + 2]!);
    case 3 /* ARRAY */:
      return alignOf(table, ptrSize, cache, words[r + 3]!);
    case 4 /* STRUCT */:
    case 5 /* UNION */: {
      const info = words[r + 1]!;
      const vlen = info & 0xffff;
      const kflag = info >>> 31 === 1;
      let maxAlign = 1;
      for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
        const align = alignOf(table, ptrSize, cache, words[q + 1]!);
        if (align <= 0) return align;
        if (align > maxAlign) maxAlign = align;
        const off = words[q + 2]!;
        const bitfieldSize = kflag ? off >>> 24 : 0;
        const bitsOffset = kflag ? off & 0xffffff : off;
        if (bitfieldSize === 0 && bitsOffset % (8 * align) !== 0) return 1;
      }
      if (words[r + 2]! % maxAlign !== 0) return 1;
      return maxAlign;
    }
    default:
      return 0;
  }
}

/** `btf_is_struct_packed`: some non-bitfield member misaligned, or size not a multiple of the max alignment. */
export function isStructPacked(table: BtfTable, ptrSize: number, cache: Int32Array, id: number): boolean {
  const words = table.words;
  const r = table.rec[id]!;
  const info = words[r + 1]!;
  const vlen = info & 0xffff;
  const kflag = info >>> 31 === 1;
  let maxAlign = 1;
  for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
    const align = alignOf(table, ptrSize, cache, words[q + 1]!);
    const off = words[q + 2]!;
    const bitfieldSize = kflag ? off >>> 24 : 0;
    const bitsOffset = kflag ? off & 0xffffff : off;
    if (align && bitfieldSize === 0 && bitsOffset % (8 * align) !== 0) return true;
    if (align > maxAlign) maxAlign = align;
  }
  return words[r + 2]! % maxAlign !== 0;
}
