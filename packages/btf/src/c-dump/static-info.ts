/**
 * Facts about a BTF that do not change between dumps (referenced flags, pointer size,
 * alignments, string decoding), computed once per `BtfTable` and cached; the tables
 * are immutable, so the cache stays valid.
 */
import type { BtfTable } from '../btf.js';
import { pointerSize } from './layout.js';
import { markReferenced } from './referenced.js';

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export class StaticInfo {
  readonly referenced: Uint8Array;
  readonly ptrSize: number;
  /** Memoised `btf__align_of` (value + 1; 0 = not computed yet). */
  readonly alignCache: Int32Array;
  private readonly str: Uint8Array;
  /** The string section as latin1 text (one char per byte), decoded on first use. */
  private text: string | undefined;

  constructor(table: BtfTable) {
    const n = table.count;
    this.str = table.str;
    this.referenced = new Uint8Array(n);
    markReferenced(table, this.referenced);
    this.alignCache = new Int32Array(n);
    this.ptrSize = pointerSize(table, this);
  }

  /** The NUL-terminated string at `off`, one char per byte ('' when out of range). */
  strKey(off: number): string {
    const s = (this.text ??= latin1.decode(this.str));
    if (off >= s.length) return '';
    let end = s.indexOf('\0', off);
    if (end < 0) end = s.length;
    return s.slice(off, end);
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
