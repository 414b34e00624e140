/**
 * Type queries: modifier/typedef resolution, sizes and alignment, member lookup,
 * find-by-name (lazy name index), declaration tags by target/component and type tags
 * in a pointer chain. Every walk is bounded (MAX_RESOLVE_DEPTH, as libbpf/kernel).
 */
import type { Btf } from './btf.js';
import { BtfError } from './errors.js';
import type { BtfDeclTag, BtfKindName, BtfMember, BtfType } from './types.js';

export const MAX_RESOLVE_DEPTH = 32;

const MODIFIERS = new Set<BtfKindName>(['VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG']);

function walk(btf: Btf, id: number, skip: (t: BtfType) => boolean): number {
  for (let depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
    const t = btf.type(id);
    if (!skip(t)) return id;
    id = (t as { type: number }).type;
  }
  throw new BtfError('RESOLVE_LOOP', `type [${id}]: modifier chain longer than ${MAX_RESOLVE_DEPTH} or cyclic`, { typeId: id });
}

/** Follow CONST/VOLATILE/RESTRICT/TYPE_TAG; returns the first other id. */
export function skipModifiers(btf: Btf, id: number): number {
  return walk(btf, id, (t) => MODIFIERS.has(t.kind));
}

/** Follow modifiers and TYPEDEFs; returns the first other id. */
export function skipModsAndTypedefs(btf: Btf, id: number): number {
  return walk(btf, id, (t) => MODIFIERS.has(t.kind) || t.kind === 'TYPEDEF');
}

/** Resolved type record (modifiers and typedefs skipped). */
export function resolveType(btf: Btf, id: number): BtfType {
  return btf.type(skipModsAndTypedefs(btf, id));
}

/**
 * libbpf's `btf__resolve_size` (pointers 8 bytes): the byte size, or a negative errno:
 * -7 (E2BIG) when the element count or size overflows u32, -22 (EINVAL) for a type
 * without size, a dangling id or a chain longer than MAX_RESOLVE_DEPTH. Follows
 * TYPEDEF, modifiers, VAR and DECL_TAG; ARRAYs multiply.
 */
export function resolveSize(btf: Btf, id: number): number {
  let nelems = 1;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    const t = btf.types[id];
    if (t === undefined) return -22;
    let size: number;
    switch (t.kind) {
      case 'INT': case 'ENUM': case 'ENUM64': case 'STRUCT': case 'UNION': case 'DATASEC': case 'FLOAT':
        size = t.size;
        break;
      case 'PTR':
        size = 8;
        break;
      case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG': case 'VAR': case 'DECL_TAG':
        id = t.type;
        continue;
      case 'ARRAY':
        if (nelems && t.nelems > 0xffffffff / nelems) return -7;
        nelems *= t.nelems;
        id = t.type;
        continue;
      default:
        return -22;
    }
    if (nelems && size > 0xffffffff / nelems) return -7;
    return nelems * size;
  }
  return -22;
}

/** Byte size like libbpf's `btf__resolve_size`, or undefined when the type has none. */
export function trySizeOf(btf: Btf, id: number): number | undefined {
  const size = resolveSize(btf, id);
  return size < 0 ? undefined : size;
}

/** Byte size of a type (arrays multiply, typedefs/modifiers resolve, PTR = 8). */
export function sizeOf(btf: Btf, id: number): number {
  const s = trySizeOf(btf, id);
  if (s === undefined) throw new BtfError('NO_SIZE', `type [${id}] has no size`, { typeId: id });
  return s;
}

/** Natural alignment like libbpf's `btf__align_of` (packed structs give 1). */
export function alignOf(btf: Btf, id: number, depth = 0): number {
  if (depth > MAX_RESOLVE_DEPTH) throw new BtfError('RESOLVE_LOOP', `type [${id}]: too deep`, { typeId: id });
  const t = btf.type(id);
  switch (t.kind) {
    case 'INT': case 'ENUM': case 'ENUM64': case 'FLOAT':
      return Math.min(8, t.size);
    case 'PTR':
      return 8;
    case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG': case 'ARRAY':
      return alignOf(btf, t.type, depth + 1);
    case 'STRUCT': case 'UNION': {
      let max = 1;
      for (const m of t.members) {
        const a = alignOf(btf, m.type, depth + 1);
        if (m.bitfieldSize === 0 && m.bitsOffset % (8 * a) !== 0) return 1; // packed
        max = Math.max(max, a);
      }
      if (t.size % max !== 0) return 1;
      return max;
    }
    default:
      throw new BtfError('NO_SIZE', `type [${id}] (${t.kind}) has no alignment`, { typeId: id });
  }
}

export interface MemberLocation {
  readonly member: BtfMember;
  /** Index in its own struct/union. */
  readonly index: number;
  /** Id of the struct/union that directly holds it. */
  readonly parentId: number;
  /** Bit offset from the start of the outer type (anonymous members flattened). */
  readonly bitsOffset: number;
}

/**
 * Find a member by name in a STRUCT/UNION (after skipping modifiers/typedefs),
 * descending into anonymous struct/union members as C does.
 */
export function findMember(btf: Btf, id: number, name: string, depth = 0): MemberLocation | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  const sid = skipModsAndTypedefs(btf, id);
  const t = btf.type(sid);
  if (t.kind !== 'STRUCT' && t.kind !== 'UNION') return undefined;
  for (let i = 0; i < t.members.length; i++) {
    const m = t.members[i]!;
    if (m.name === name) return { member: m, index: i, parentId: sid, bitsOffset: m.bitsOffset };
    if (m.name === '') {
      const inner = findMember(btf, m.type, name, depth + 1);
      if (inner) return { ...inner, bitsOffset: inner.bitsOffset + m.bitsOffset };
    }
  }
  return undefined;
}

/** Byte offset of a (possibly anonymous-nested) member; undefined when absent or a bitfield not on a byte. */
export function memberOffset(btf: Btf, id: number, name: string): number | undefined {
  const loc = findMember(btf, id, name);
  if (!loc || loc.bitsOffset % 8 !== 0) return undefined;
  return loc.bitsOffset / 8;
}

interface Indexes {
  byName: Map<string, number[]>;
  tagsByTarget: Map<number, number[]>;
}
const indexes = new WeakMap<Btf, Indexes>();

function index(btf: Btf): Indexes {
  let ix = indexes.get(btf);
  if (!ix) {
    const byName = new Map<string, number[]>();
    const tagsByTarget = new Map<number, number[]>();
    const types = btf.types;
    for (let id = 1; id < types.length; id++) {
      const t = types[id]!;
      if (t.name !== '') {
        const l = byName.get(t.name);
        if (l) l.push(id);
        else byName.set(t.name, [id]);
      }
      if (t.kind === 'DECL_TAG') {
        const l = tagsByTarget.get(t.type);
        if (l) l.push(id);
        else tagsByTarget.set(t.type, [id]);
      }
    }
    ix = { byName, tagsByTarget };
    indexes.set(btf, ix);
  }
  return ix;
}

/** All ids with this name (ascending), optionally of one kind. */
export function findAllByName(btf: Btf, name: string, kind?: BtfKindName): number[] {
  const ids = index(btf).byName.get(name) ?? [];
  return kind ? ids.filter((id) => btf.types[id]!.kind === kind) : ids.slice();
}

/** First id with this name (and kind, if given), like `btf__find_by_name_kind`; -1 when none. */
export function findByName(btf: Btf, name: string, kind?: BtfKindName): number {
  if (name === 'void' && (kind === undefined || kind === 'VOID')) return 0;
  const ids = index(btf).byName.get(name);
  if (!ids) return -1;
  if (!kind) return ids[0]!;
  for (const id of ids) if (btf.types[id]!.kind === kind) return id;
  return -1;
}

/**
 * DECL_TAGs targeting `targetId`; with `componentIdx` only those for that component
 * (-1 = the type itself). In id order.
 */
export function declTags(btf: Btf, targetId: number, componentIdx?: number): BtfDeclTag[] {
  const ids = index(btf).tagsByTarget.get(targetId) ?? [];
  const out: BtfDeclTag[] = [];
  for (const id of ids) {
    const t = btf.types[id] as BtfDeclTag;
    if (componentIdx === undefined || t.componentIdx === componentIdx) out.push(t);
  }
  return out;
}

/**
 * Type tags met on the way from a pointer (or the member type holding it) to its
 * pointee: starting at `id`, skips modifiers/typedefs to a PTR, then collects every
 * TYPE_TAG between the PTR and the first non-modifier. Returns [] when not a pointer.
 */
export function pointerTypeTags(btf: Btf, id: number): { tags: BtfType[]; ptrId: number; pointee: number } | undefined {
  const ptrId = skipModsAndTypedefs(btf, id);
  const p = btf.type(ptrId);
  if (p.kind !== 'PTR') return undefined;
  const tags: BtfType[] = [];
  let cur = p.type;
  for (let depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
    const t = btf.type(cur);
    if (t.kind === 'TYPE_TAG') tags.push(t);
    else if (!MODIFIERS.has(t.kind)) return { tags, ptrId, pointee: cur };
    cur = (t as { type: number }).type;
  }
  throw new BtfError('RESOLVE_LOOP', `type [${id}]: pointer chain too long or cyclic`, { typeId: id });
}

/** Human-readable name such as `struct foo`, `int`, `(anon)`. */
export function typeLabel(btf: Btf, id: number): string {
  const t = btf.type(id);
  switch (t.kind) {
    case 'VOID': return 'void';
    case 'STRUCT': return `struct ${t.name || '(anon)'}`;
    case 'UNION': return `union ${t.name || '(anon)'}`;
    case 'ENUM': case 'ENUM64': return `enum ${t.name || '(anon)'}`;
    case 'FWD': return `${t.kindFlag ? 'union' : 'struct'} ${t.name}`;
    default: return t.name || `(anon ${t.kind})`;
  }
}
