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
  /** slot -> hash of the name. */
  private readonly slotHash: Int32Array;
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
    this.slotHash = new Int32Array(cap);
  }

  /**
   * Key (0 .. maxKeys-1) of the NUL-terminated name at `off`: equal bytes, equal key,
   * whatever the offset (string sections need not be deduplicated).
   */
  nameKey(off: number): number {
    const str = this.str;
    const n = str.length;
    if (off > n) off = n; // out of range: the empty name
    let end = off < n ? str.indexOf(0, off) : n;
    if (end < 0) end = n;
    const len = end - off;
    // Hash the length and a few sampled bytes (the NUL search is native; a byte loop in
    // cold code is not); full comparisons only run when the sampled hashes agree.
    let h = Math.imul(len + 1, 0x9e3779b1);
    if (len > 0) {
      h = Math.imul(h ^ str[off]!, 0x01000193);
      h = Math.imul(h ^ str[end - 1]!, 0x01000193);
      h = Math.imul(h ^ str[off + (len >>> 1)]!, 0x01000193);
      if (len > 3) {
        h = Math.imul(h ^ str[off + 1]!, 0x01000193);
        h = Math.imul(h ^ str[end - 2]!, 0x01000193);
        h = Math.imul(h ^ str[off + (len >>> 2)]!, 0x01000193);
        h = Math.imul(h ^ str[end - 1 - (len >>> 2)]!, 0x01000193);
      }
    }
    h ^= h >>> 15;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = slots[i]! - 1;
      if (c < 0) {
        slots[i] = off + 1;
        this.slotHash[i] = h;
        const key = this.keyCount++;
        this.slotKey[i] = key;
        return key;
      }
      if (c === off) return this.slotKey[i]!;
      if (this.slotHash[i] !== h) continue;
      let j = 0;
      while (j < len && str[c + j] === str[off + j]) j++;
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
