/**
 * Per-dump state shared by the ordering and emitting passes, mirroring libbpf's
 * `struct btf_dump` (per-type aux state in typed arrays, the two name namespaces,
 * the output buffer). Types are read from the struct-of-arrays `BtfTable`.
 */
import type { BtfTable } from '../btf.js';
import { BtfCDumpError } from './errors.js';
import { OutBuf } from './out-buf.js';
import { staticInfo, type StaticInfo } from './static-info.js';

/** Topological ordering state (`enum btf_dump_type_order_state`). */
export const NOT_ORDERED = 0;
export const ORDERING = 1;
export const ORDERED = 2;

/** Emission state (`enum btf_dump_type_emit_state`). */
export const NOT_EMITTED = 0;
export const EMITTING = 1;
export const EMITTED = 2;

const OUTPUT_LIMIT_BASE = 1 << 20;
const OUTPUT_LIMIT_PER_TYPE = 256;
/** vmlinux renders to ~22 bytes per type: start the buffer there. */
const OUTPUT_GUESS_PER_TYPE = 24;

/**
 * The declarator stack shared by all (nested) `emitTypeDecl` calls of a dump: each
 * call pushes its chain above the current top and pops back to where it started.
 */
export class DeclStack {
  private items = new Int32Array(256);
  top = 0;

  push(id: number): void {
    if (this.top === this.items.length) {
      const next = new Int32Array(this.items.length * 2);
      next.set(this.items);
      this.items = next;
    }
    this.items[this.top++] = id;
  }

  pop(): number {
    return this.items[--this.top]!;
  }

  peek(): number {
    return this.items[this.top - 1]!;
  }
}

export class DumpContext {
  readonly decls = new DeclStack();
  readonly table: BtfTable;
  /** Record words; the record of id `i` starts at `rec[i]`. */
  readonly words: Uint32Array;
  readonly rec: Uint32Array;
  /** Numeric kind per id (see kinds.ts). */
  readonly kinds: Uint8Array;
  readonly count: number;
  /** String bytes at global offsets. */
  readonly str: Uint8Array;
  readonly ptrSize: number;
  /** Output text. */
  readonly out: OutBuf;
  readonly orderState: Uint8Array;
  readonly emitState: Uint8Array;
  /** 1 once a forward declaration (or typedef standing in for one) was printed. */
  readonly fwdEmitted: Uint8Array;
  /** 1 when some other type refers to this one (decides top-level anonymous enums). */
  readonly referenced: Uint8Array;
  /** 1 once the type's unique (possibly `___N`-suffixed) name was assigned. */
  readonly nameResolved: Uint8Array;
  /** `___N` suffix when the type's name is a duplicate; undefined = original name. */
  readonly nameSuffix: (string | undefined)[];
  /** struct/union/enum/fwd (and int) names: occurrences so far, by name key (StaticInfo.nameKey). */
  readonly typeNames: Int32Array;
  /** typedef names and enumerators: occurrences so far, by name key (StaticInfo.nameKey). */
  readonly identNames: Int32Array;
  /** Per-BTF facts shared by all dumps of the same table. */
  readonly info: StaticInfo;
  /** Ids queued by the ordering pass of the current request. */
  readonly queue: Int32Array;
  /** Number of valid entries in `queue`. */
  queueLen = 0;
  /** Memoised `btf__align_of` (shared per BTF, see static-info.ts). */
  readonly alignCache: Int32Array;

  constructor(table: BtfTable) {
    const n = table.count;
    if (n === 0 || table.kinds[0] !== 0) throw new BtfCDumpError('BAD_TYPE', 'types[0] must be VOID', 0);
    this.table = table;
    this.words = table.words;
    this.rec = table.rec;
    this.kinds = table.kinds;
    this.count = n;
    this.str = table.str;
    // Real BTF renders to far less than this (vmlinux: ~22 bytes per type); mutated BTF
    // with shared anonymous subtrees can grow exponentially.
    const limit = OUTPUT_LIMIT_BASE + OUTPUT_LIMIT_PER_TYPE * n;
    this.out = new OutBuf(limit, () => {
      throw new BtfCDumpError('TOO_LARGE', `C output would exceed ${limit} bytes`, 0);
    }, table.str, OUTPUT_GUESS_PER_TYPE * n);
    const info = staticInfo(table);
    this.info = info;
    this.referenced = info.referenced;
    this.ptrSize = info.ptrSize;
    this.alignCache = info.alignCache;
    this.typeNames = new Int32Array(info.maxKeys);
    this.identNames = new Int32Array(info.maxKeys);
    this.orderState = new Uint8Array(n);
    this.emitState = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.nameResolved = new Uint8Array(n);
    this.nameSuffix = new Array<string | undefined>(n);
    this.queue = new Int32Array(n);
    // VOID is always ordered and emitted.
    this.orderState[0] = ORDERED;
    this.emitState[0] = EMITTED;
  }

  /** Checks that `id` exists (typed error for dangling references). */
  check(id: number): void {
    if (id >= this.count || id < 0) throw new BtfCDumpError('BAD_TYPE', `reference to missing type id ${id}`, id);
  }

  nameOff(id: number): number {
    return this.words[this.rec[id]!]!;
  }

  info0(id: number): number {
    return this.words[this.rec[id]! + 1]!;
  }

  vlen(id: number): number {
    return this.words[this.rec[id]! + 1]! & 0xffff;
  }

  kindFlag(id: number): boolean {
    return this.words[this.rec[id]! + 1]! >>> 31 === 1;
  }

  /** size or type field of the record. */
  sizeOrType(id: number): number {
    return this.words[this.rec[id]! + 2]!;
  }

  /** True when the string at `off` is empty (or out of range). */
  emptyStr(off: number): boolean {
    return off >= this.str.length || this.str[off] === 0;
  }

  /** The string at `off` decoded as UTF-8 (for messages and rare comparisons). */
  strAt(off: number): string {
    return this.info.strText(off);
  }
}
