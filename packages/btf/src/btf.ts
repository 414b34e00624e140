import { BtfError } from './errors.js';
import type { StringTable } from './strings.js';
import type { BtfType } from './types.js';

/** The fields of the BTF header as read (offsets relative to the end of the header). */
export interface BtfHeader {
  readonly magic: number;
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly typeOff: number;
  readonly typeLen: number;
  readonly strOff: number;
  readonly strLen: number;
}

/**
 * Struct-of-arrays view of all type records (base included for split BTF): the type
 * section copied into host-order 32-bit words, so hot loops (dumps) read fields
 * without materializing one object per type. Record of id `i` starts at word
 * `rec[i]` and has the on-disk layout (name_off, info, size/type, kind data);
 * id 0 (void) is a zero record. `str` holds all string bytes at global offsets.
 */
export interface BtfTable {
  readonly words: Uint32Array;
  readonly rec: Uint32Array;
  readonly kinds: Uint8Array;
  readonly count: number;
  readonly str: Uint8Array;
}

/** Internal construction record; use `parseBtf` to get a `Btf`. */
export interface BtfInit {
  /** Builds the type records on first use of `types`. */
  readonly materialize: () => BtfType[];
  readonly table: BtfTable;
  readonly startId: number;
  readonly strings: StringTable;
  readonly bigEndian: boolean;
  readonly header: BtfHeader;
  readonly raw: Uint8Array;
  readonly typeOffsets: Uint32Array;
  readonly base: Btf | undefined;
}

/**
 * A parsed BTF blob. `types[id]` is the type with that id (`types[0]` is VOID); for split
 * BTF the base's types are included, so ids are global and `startId` is the first id
 * owned by this blob. The records are built lazily on first access of `types`.
 */
export class Btf {
  /** First type id defined by this blob: 1, or the base's `typeCount` for split BTF. */
  readonly startId: number;
  /** Own string section (split BTF: offsets below `strBase` live in the base). */
  readonly strings: StringTable;
  readonly bigEndian: boolean;
  readonly header: BtfHeader;
  /** The blob bytes as given to `parseBtf`. */
  readonly raw: Uint8Array;
  /**
   * Byte offset (from the start of `raw`) of each own type record, indexed by
   * `id - startId`.
   */
  readonly typeOffsets: Uint32Array;
  readonly base: Btf | undefined;
  /** Offset at which this blob's own strings start (base's total string length). */
  readonly strBase: number;
  /** @internal struct-of-arrays form of all types (see `BtfTable`). */
  readonly table: BtfTable;
  private dv: DataView | undefined;
  private materialized: BtfType[] | undefined;
  private materialize: (() => BtfType[]) | undefined;

  constructor(init: BtfInit) {
    this.materialize = init.materialize;
    this.table = init.table;
    this.startId = init.startId;
    this.strings = init.strings;
    this.bigEndian = init.bigEndian;
    this.header = init.header;
    this.raw = init.raw;
    this.typeOffsets = init.typeOffsets;
    this.base = init.base;
    this.strBase = init.base ? init.base.strEnd : 0;
  }

  get types(): readonly BtfType[] {
    let t = this.materialized;
    if (t === undefined) {
      t = this.materialize!();
      this.materialized = t;
      this.materialize = undefined;
    }
    return t;
  }

  /** Number of ids, including void and (for split BTF) the base's: ids are 0..typeCount-1. */
  get typeCount(): number {
    return this.table.count;
  }

  /** Total string space (base + own); valid offsets are below this. */
  get strEnd(): number {
    return this.strBase + this.strings.length;
  }

  /** True when `off` is a valid string offset for this BTF (including the base). */
  hasStr(off: number): boolean {
    if (off < this.strBase) return this.base !== undefined && this.base.hasStr(off);
    return this.strings.has(off - this.strBase);
  }

  /** The section bytes holding the string at `off` and its start index there (undefined when out of range). */
  strSpan(off: number): { readonly bytes: Uint8Array; readonly start: number } | undefined {
    if (off < this.strBase) return this.base?.strSpan(off);
    const rel = off - this.strBase;
    return rel >= 0 && rel < this.strings.length ? { bytes: this.strings.bytes, start: rel } : undefined;
  }

  /** The string at offset `off` (split BTF: offsets below the base's size resolve in the base). */
  str(off: number): string {
    if (off < this.strBase && this.base) return this.base.str(off);
    return this.strings.get(off - this.strBase);
  }

  /** The type with id `id`; throws `BtfError('BAD_TYPE_ID')` when out of range. */
  type(id: number): BtfType {
    const t = this.types[id];
    if (t === undefined) throw new BtfError('BAD_TYPE_ID', `type id ${id} out of range (count ${this.types.length})`, { typeId: id });
    return t;
  }

  /** Raw `info` word of an own type (reserved bits included), for validation. */
  rawInfo(id: number): number {
    const off = this.typeOffsets[id - this.startId];
    if (off === undefined || id < this.startId) throw new BtfError('BAD_TYPE_ID', `type id ${id} is not defined by this blob`, { typeId: id });
    this.dv ??= new DataView(this.raw.buffer, this.raw.byteOffset, this.raw.byteLength);
    return this.dv.getUint32(off + 4, !this.bigEndian);
  }
}
