/**
 * Per-dump state shared by the ordering and emitting passes, mirroring libbpf's
 * `struct btf_dump` (per-type aux state in typed arrays, the two name namespaces,
 * the output buffer).
 */
import type { BtfType } from '../types.js';
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

export class DumpContext {
  readonly types: readonly BtfType[];
  readonly ptrSize: number;
  /** Output text. */
  readonly out: OutBuf;
  /** Numeric kind per id (see kinds.ts). */
  readonly kinds: Uint8Array;
  readonly orderState: Uint8Array;
  readonly emitState: Uint8Array;
  /** 1 once a forward declaration (or typedef standing in for one) was printed. */
  readonly fwdEmitted: Uint8Array;
  /** 1 when some other type refers to this one (decides top-level anonymous enums). */
  readonly referenced: Uint8Array;
  /** 1 once the type's unique (possibly `___N`-suffixed) name was assigned. */
  readonly nameResolved: Uint8Array;
  /** Suffixed name when the type's name is a duplicate; undefined = original name. */
  readonly cachedNames: (string | undefined)[];
  /** struct/union/enum/fwd (and int) names: occurrences so far, by name key. */
  readonly typeNames: Int32Array;
  /** typedef names and enumerators: occurrences so far, by name key. */
  readonly identNames: Int32Array;
  /** Per-BTF facts shared by all dumps of the same types array. */
  readonly info: StaticInfo;
  /** Ids queued by the ordering pass of the current request. */
  readonly queue: Int32Array;
  /** Number of valid entries in `queue`. */
  queueLen = 0;
  /** Memoised `btf__align_of` (shared per BTF, see static-info.ts). */
  readonly alignCache: Int32Array;

  constructor(types: readonly BtfType[]) {
    const n = types.length;
    if (n === 0 || types[0].kind !== 'VOID') throw new BtfCDumpError('BAD_TYPE', 'types[0] must be VOID', 0);
    this.types = types;
    // Real BTF renders to far less than this (vmlinux: ~22 bytes per type); mutated BTF
    // with shared anonymous subtrees can grow exponentially.
    const limit = OUTPUT_LIMIT_BASE + OUTPUT_LIMIT_PER_TYPE * n;
    this.out = new OutBuf(limit, () => {
      throw new BtfCDumpError('TOO_LARGE', `C output would exceed ${limit} bytes`, 0);
    });
    const info = staticInfo(types);
    this.info = info;
    this.kinds = info.kinds;
    this.referenced = info.referenced;
    this.ptrSize = info.ptrSize;
    this.alignCache = info.alignCache;
    this.typeNames = new Int32Array(info.keyCount);
    this.identNames = new Int32Array(info.keyCount);
    this.orderState = new Uint8Array(n);
    this.emitState = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.nameResolved = new Uint8Array(n);
    this.cachedNames = new Array<string | undefined>(n);
    this.queue = new Int32Array(n);
    // VOID is always ordered and emitted.
    this.orderState[0] = ORDERED;
    this.emitState[0] = EMITTED;
  }

  /** Type by id, with a typed error for dangling references. */
  type(id: number): BtfType {
    const t = this.types[id];
    if (t === undefined) throw new BtfCDumpError('BAD_TYPE', `reference to missing type id ${id}`, id);
    return t;
  }
}
