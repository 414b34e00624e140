/**
 * Facts about a BTF that do not change between dumps (kinds, referenced flags,
 * pointer size, alignments, interned name keys), computed once per `types` array and
 * cached; the type records are immutable, so the cache stays valid.
 */
import type { BtfType } from '../types.js';
import { kindTable } from './kinds.js';
import { pointerSize } from './layout.js';
import { markReferenced } from './referenced.js';

export interface StaticInfo {
  readonly kinds: Uint8Array;
  readonly referenced: Uint8Array;
  readonly ptrSize: number;
  /** Memoised `btf__align_of` (value + 1; 0 = not computed yet). */
  readonly alignCache: Int32Array;
  /** Interned key of each type's name (index into `keyNames`). */
  readonly nameKey: Int32Array;
  /** Enumerator name keys of type id: enumKeys[enumStart[id] + i]. */
  readonly enumStart: Int32Array;
  readonly enumKeys: Int32Array;
  /** Number of distinct names. */
  readonly keyCount: number;
}

const cache = new WeakMap<readonly BtfType[], StaticInfo>();

export function staticInfo(types: readonly BtfType[]): StaticInfo {
  let info = cache.get(types);
  if (info === undefined) {
    info = compute(types);
    cache.set(types, info);
  }
  return info;
}

function compute(types: readonly BtfType[]): StaticInfo {
  const n = types.length;
  const referenced = new Uint8Array(n);
  markReferenced(types, referenced);
  const keys = new Map<string, number>();
  const intern = (s: string): number => {
    let k = keys.get(s);
    if (k === undefined) {
      k = keys.size;
      keys.set(s, k);
    }
    return k;
  };
  const nameKey = new Int32Array(n);
  const enumStart = new Int32Array(n);
  const enumKeys: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = types[i];
    nameKey[i] = intern(t.name);
    if (t.kind === 'ENUM' || t.kind === 'ENUM64') {
      enumStart[i] = enumKeys.length;
      for (const v of t.values) enumKeys.push(intern(v.name));
    }
  }
  return {
    kinds: kindTable(types),
    referenced,
    ptrSize: pointerSize(types),
    alignCache: new Int32Array(n),
    nameKey,
    enumStart,
    enumKeys: Int32Array.from(enumKeys),
    keyCount: keys.size,
  };
}
