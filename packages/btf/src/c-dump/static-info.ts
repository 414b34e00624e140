/**
 * Facts about a BTF that do not change between dumps (referenced flags, pointer size,
 * alignments, string decoding), computed once per `BtfTable` and cached; the tables
 * are immutable, so the cache stays valid.
 */
import type { BtfTable } from '../btf.js';
import { pointerSize } from './layout.js';
import { markReferenced } from './referenced.js';

const utf8 = new TextDecoder('utf-8');

export class StaticInfo {
  readonly referenced: Uint8Array;
  readonly ptrSize: number;
  /** Memoised `btf__align_of` (value + 1; 0 = not computed yet). */
  readonly alignCache: Int32Array;
  /** Upper bound on the number of distinct name keys (types + enumerators). */
  readonly maxKeys: number;
  private readonly str: Uint8Array;
  /** Open-addressing hash of name contents: slot -> canonical offset + 1 (0 = empty). */
  private readonly slots: Int32Array;
  /** slot -> key id. */
  private readonly slotKey: Int32Array;
  private keyCount = 0;

  constructor(table: BtfTable) {
    const n = table.count;
    this.str = table.str;
    this.referenced = new Uint8Array(n);
    const enumerators = markReferenced(table, this.referenced);
    this.alignCache = new Int32Array(n);
    this.ptrSize = pointerSize(table, this);
    this.maxKeys = n + enumerators + 1;
    let cap = 16;
    while (cap < this.maxKeys * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.slotKey = new Int32Array(cap);
  }

  /**
   * Key (0 .. maxKeys-1) of the NUL-terminated name at `off`: equal bytes, equal key,
   * whatever the offset (string sections need not be deduplicated).
   */
  nameKey(off: number): number {
    const str = this.str;
    const n = str.length;
    let end = off;
    let h = 0x811c9dc5 | 0;
    while (end < n && str[end] !== 0) {
      h = Math.imul(h ^ str[end]!, 0x01000193);
      end++;
    }
    const len = end - off;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = slots[i]! - 1;
      if (c < 0) {
        slots[i] = off + 1;
        const key = this.keyCount++;
        this.slotKey[i] = key;
        return key;
      }
      if (c === off) return this.slotKey[i]!;
      let j = 0;
      while (j < len && c + j < n && str[c + j] === str[off + j]) j++;
      if (j === len && (c + len >= n || str[c + len] === 0)) return this.slotKey[i]!;
    }
  }

  /** The string at `off` decoded as UTF-8 ('' when out of range). */
  strText(off: number): string {
    const b = this.str;
    if (off >= b.length) return '';
    let end = b.indexOf(0, off);
    if (end < 0) end = b.length;
    return utf8.decode(b.subarray(off, end));
  }
}

const cache = new WeakMap<BtfTable, StaticInfo>();

export function staticInfo(table: BtfTable): StaticInfo {
  let info = cache.get(table);
  if (info === undefined) {
    info = new StaticInfo(table);
    cache.set(table, info);
  }
  return info;
}
