/**
 * Special-field records (docs/runtime-contract.md "Records") for every type the core needs:
 * map values (and global data sections: their DATASEC) and local struct types (`bpf_obj_new`
 * objects, list/tree elements, kptr pointees). Records point at each other (a list head's
 * element record), so they are laid out as one block and encoded once its address is known.
 */
import {
  BtfError, BtfRecordError, LOCAL_OBJECT_FIELD_MASK, MAP_VALUE_FIELD_MASK, findSpecialFields, skipModsAndTypedefs,
  type Btf, type BtfRecord,
} from '@bpfkit/btf';
import {
  CollectionsError, FieldKind, FIELD_KIND_NAMES, NO_OFFSET, encodeRecordsAt, planRecords,
  type PlannedRecord, type RecordPlan, type RecordRequest,
} from '@bpfkit/collections';
import { LoadError } from './errors.js';

// The records themselves are @bpfkit/collections' (planRecords / encodeRecordsAt, the canonical encoder of the
// contract format); this file only decides which records an instance needs and names them for the loader.

/** Contract field kinds (= @bpfkit/collections `FieldKind`). */
export const RecordKind = FieldKind;
export const KIND_NAMES = FIELD_KIND_NAMES;

export interface RecordField {
  readonly kind: number;
  readonly off: number;
  /** Roots: element struct id; kptrs: pointee struct id (local). */
  readonly typeId?: number;
  /** Roots: node offset in the element. */
  readonly nodeOff?: number;
}

/** A record as the loader and the inspectors see it. */
export interface RecordDesc {
  readonly size: number;
  readonly spinLockOff: number;
  readonly refcountOff: number;
  readonly fields: readonly RecordField[];
  /** BTF type the record describes (struct or DATASEC), 0 when none. */
  readonly btfId: number;
}

export const NONE = NO_OFFSET;

function wrap<T>(what: string, f: () => T, loc: { map?: string } = {}): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BtfRecordError || e instanceof BtfError || e instanceof CollectionsError) {
      throw new LoadError('BAD_BTF', `${what}: ${e.message}`, loc, { cause: e });
    }
    throw e;
  }
}

const STRUCT_KEY = /^t(\d+)$/;

/**
 * The set of records of one instance. Keys: `t<id>` for local struct types, any other string for
 * map values. Struct records are created on demand (and for every element/pointee referenced).
 */
export class RecordSet {
  private readonly requests: RecordRequest[] = [];
  /** Map values: key → BTF type (struct or DATASEC) the record describes. */
  private readonly valueTypes = new Map<string, number>();
  private readonly sources = new Map<string, BtfRecord | null>();
  private planned: RecordPlan | undefined;
  private addrs: number[] | undefined;

  constructor(readonly btf: Btf | undefined) {}

  private request(r: RecordRequest): void {
    this.requests.push(r);
    this.sources.set(r.key, r.record);
    this.planned = undefined;
    this.addrs = undefined;
  }

  private get plan(): RecordPlan {
    if (!this.planned) {
      const btf = this.btf;
      this.planned = btf ? wrap('records', () => planRecords(btf, this.requests))
        : { entries: [], indexOf: () => -1, indexOfType: () => -1, totalSize: 0 };
    }
    return this.planned;
  }

  private index(key: string): number {
    const m = STRUCT_KEY.exec(key);
    return m ? this.plan.indexOfType(Number(m[1])) : this.plan.indexOf(key);
  }

  /** Record of a local struct/union type (allocated objects); always exists (maybe with no fields). */
  structRecord(typeId: number): string {
    const key = `t${typeId}`;
    if (this.sources.has(key)) return key;
    const btf = this.btf;
    if (!btf) throw new LoadError('BAD_BTF', `type ${typeId}: the object has no BTF`);
    const t = btf.type(typeId);
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') throw new LoadError('BAD_BTF', `type ${typeId} is not a struct`);
    const record = wrap(`struct ${t.name || `[${typeId}]`}`, () => findSpecialFields(btf, typeId, { mask: LOCAL_OBJECT_FIELD_MASK, valueSize: t.size }));
    if (this.index(key) >= 0) { // planned already as an element/pointee of another record
      this.sources.set(key, record);
      return key;
    }
    this.request({ key, size: t.size, record, typeId });
    wrap(`struct ${t.name || `[${typeId}]`}`, () => this.plan);
    return key;
  }

  /** Record of a map value (`typeId` a struct or DATASEC); undefined when it has no special fields. */
  valueRecord(key: string, typeId: number, valueSize: number, mapName: string): string | undefined {
    const btf = this.btf;
    if (!btf || !typeId) return undefined;
    const t = btf.type(skipModsAndTypedefs(btf, typeId));
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION' && t.kind !== 'DATASEC') return undefined;
    const record = wrap(`map '${mapName}' value`, () => findSpecialFields(btf, t.id, { mask: MAP_VALUE_FIELD_MASK, valueSize }), { map: mapName });
    if (!record) return undefined;
    this.request({ key, size: valueSize, record });
    const plan = wrap(`map '${mapName}' value`, () => this.plan, { map: mapName });
    if (plan.entries[plan.indexOf(key)]!.fields.length === 0) { // only fields with no runtime meaning (timers, ...)
      this.requests.pop();
      this.sources.delete(key);
      this.planned = undefined;
      return undefined;
    }
    this.valueTypes.set(key, t.id);
    return key;
  }

  desc(key: string): RecordDesc | undefined {
    const i = this.index(key);
    if (i < 0) return undefined;
    const plan = this.plan;
    const e: PlannedRecord = plan.entries[i]!;
    const source = this.source(key, e);
    const fields = e.fields.map((f): RecordField => {
      if (f.kind === FieldKind.LIST_HEAD || f.kind === FieldKind.RB_ROOT) {
        return { kind: f.kind, off: f.offset, typeId: plan.entries[f.auxEntry]!.typeId!, nodeOff: f.aux2 };
      }
      if (f.auxEntry >= 0) return { kind: f.kind, off: f.offset, typeId: plan.entries[f.auxEntry]!.typeId! };
      // untrusted local kptrs carry no record (nothing to free) but the inspectors decode their pointee
      const kptr = f.kind === FieldKind.KPTR_UNREF ? source?.fields.find((b) => b.offset === f.offset)?.kptr : undefined;
      return kptr?.local ? { kind: f.kind, off: f.offset, typeId: kptr.typeId } : { kind: f.kind, off: f.offset };
    });
    return { size: e.size, spinLockOff: e.spinLockOff, refcountOff: e.refcountOff, fields, btfId: e.typeId ?? this.valueTypes.get(key) ?? 0 };
  }

  /** The BTF record an entry was planned from (struct records planned as references are looked up again). */
  private source(key: string, e: PlannedRecord): BtfRecord | null | undefined {
    if (this.sources.has(key)) return this.sources.get(key);
    if (e.typeId === undefined || !this.btf) return undefined;
    const r = findSpecialFields(this.btf, e.typeId, { mask: LOCAL_OBJECT_FIELD_MASK, valueSize: e.size });
    this.sources.set(key, r);
    return r;
  }

  /** Bytes of all records, laid out from `base`; `addrOf` is valid afterwards. */
  encode(base: number): Uint8Array {
    const { bytes, addresses } = wrap('records', () => encodeRecordsAt(this.plan, base));
    this.addrs = addresses;
    if (bytes.byteLength >= 8) return bytes;
    const out = new Uint8Array(8);
    out.set(bytes);
    return out;
  }

  /** Encoded size in bytes. */
  get byteLength(): number {
    return Math.max(this.plan.totalSize, 8);
  }

  addrOf(key: string | undefined): number {
    if (key === undefined) return 0;
    const i = this.index(key);
    const a = i >= 0 ? this.addrs?.[i] : undefined;
    if (a === undefined) throw new Error(`record ${key} not laid out`);
    return a;
  }

  /** Key of the record at an address (for the inspectors). */
  keyAt(addr: number): string | undefined {
    const i = this.addrs?.indexOf(addr) ?? -1;
    if (i < 0) return undefined;
    const e = this.plan.entries[i]!;
    return e.typeId !== undefined ? `t${e.typeId}` : e.key;
  }
}
