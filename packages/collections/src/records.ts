/**
 * Special-field records in the byte format of docs/runtime-contract.md ("Records"):
 * the host encodes them (`planRecords` + `encodeRecords`), the AssemblyScript side
 * (`assembly/record.ts`) reads them; `decodeRecord` reads one back from a memory image.
 *
 * Records reference each other (a list head names its element type's record, a local
 * kptr its pointee's record), so encoding is two-pass: plan (which records, how big),
 * let the caller place them, then encode with the addresses.
 */
import {
  BPF_KPTR_PERCPU, BPF_KPTR_REF, BPF_KPTR_UNREF, BPF_LIST_HEAD, BPF_LIST_NODE, BPF_RB_NODE, BPF_RB_ROOT,
  BPF_REFCOUNT, BPF_RES_SPIN_LOCK, BPF_SPIN_LOCK, LOCAL_OBJECT_FIELD_MASK, findSpecialFields,
  type Btf, type BtfField, type BtfRecord, type BtfStructMeta,
} from '@bpfkit/btf';
import { CollectionsError } from './errors.js';

/** Field kinds of the encoded record. */
export const FieldKind = {
  SPIN_LOCK: 1,
  LIST_HEAD: 2,
  LIST_NODE: 3,
  RB_ROOT: 4,
  RB_NODE: 5,
  REFCOUNT: 6,
  KPTR_UNREF: 7,
  KPTR_REF: 8,
  KPTR_PERCPU: 9,
} as const;
export type FieldKindValue = (typeof FieldKind)[keyof typeof FieldKind];
export const FIELD_KIND_NAMES: Readonly<Record<number, string>> = {
  1: 'bpf_spin_lock', 2: 'bpf_list_head', 3: 'bpf_list_node', 4: 'bpf_rb_root', 5: 'bpf_rb_node',
  6: 'bpf_refcount', 7: 'kptr_untrusted', 8: 'kptr', 9: 'percpu_kptr',
};
/** Sizes of the special fields (contract "Layouts"). */
export const FIELD_SIZES: Readonly<Record<number, number>> = { 1: 4, 2: 16, 3: 24, 4: 16, 5: 32, 6: 4, 7: 8, 8: 8, 9: 8 };
/** `spinLockOff` / `refcountOff` when absent. */
export const NO_OFFSET = 0xffffffff;
export const RECORD_HEADER_SIZE = 16;
export const RECORD_FIELD_SIZE = 16;

const BTF_TO_KIND: ReadonlyMap<number, FieldKindValue> = new Map<number, FieldKindValue>([
  [BPF_SPIN_LOCK, FieldKind.SPIN_LOCK],
  // bpf_res_spin_lock plays the lock's role for the drains (a record holds one or the other).
  [BPF_RES_SPIN_LOCK, FieldKind.SPIN_LOCK],
  [BPF_LIST_HEAD, FieldKind.LIST_HEAD],
  [BPF_LIST_NODE, FieldKind.LIST_NODE],
  [BPF_RB_ROOT, FieldKind.RB_ROOT],
  [BPF_RB_NODE, FieldKind.RB_NODE],
  [BPF_REFCOUNT, FieldKind.REFCOUNT],
  [BPF_KPTR_UNREF, FieldKind.KPTR_UNREF],
  [BPF_KPTR_REF, FieldKind.KPTR_REF],
  [BPF_KPTR_PERCPU, FieldKind.KPTR_PERCPU],
]);

/** One record the caller wants encoded. */
export interface RecordRequest {
  /** The caller's name for it (map name, `type:12`, a DATASEC name, ...); unique. */
  readonly key: string;
  /** Size of the struct / value the record describes. */
  readonly size: number;
  /** Its special fields (`findSpecialFields`, a struct meta, a map's record); null = none. */
  readonly record: BtfRecord | null;
  /** BTF type id when the record is a struct type's: shared with references to that type. */
  readonly typeId?: number;
}

/** A field of a planned record; `auxEntry` = index of the referenced record (or -1). */
export interface PlannedField {
  readonly kind: FieldKindValue;
  readonly offset: number;
  readonly auxEntry: number;
  readonly aux2: number;
}

export interface PlannedRecord {
  readonly key: string;
  readonly typeId: number | undefined;
  readonly size: number;
  readonly spinLockOff: number;
  readonly refcountOff: number;
  readonly fields: readonly PlannedField[];
  /** Encoded size in bytes (16 + 16 per field; a multiple of 8). */
  readonly byteLength: number;
}

export interface RecordPlan {
  /** Requested records first (in request order), then the records they reference. */
  readonly entries: readonly PlannedRecord[];
  /** Index of a requested record by key (or `type:ID` for referenced ones), -1 if absent. */
  indexOf(key: string): number;
  /** Index of the record of a BTF struct type, -1 if absent. */
  indexOfType(typeId: number): number;
  /** Bytes needed to place every record back to back (8-byte aligned). */
  readonly totalSize: number;
}

export interface PlanOptions {
  /** Struct metas of the program BTF (`parseStructMetas`): records of element and pointee types. */
  readonly metas?: ReadonlyMap<number, BtfStructMeta>;
}

/**
 * Plan the records for `requests` and everything they reference: the element type of each
 * list head / rb root, and the pointee of each local `kptr` / `percpu_kptr` (an empty
 * record when the pointee type has no special fields, so it is still freed on drop).
 */
export function planRecords(btf: Btf, requests: readonly RecordRequest[], opts: PlanOptions = {}): RecordPlan {
  const entries: PlannedRecord[] = [];
  const byKey = new Map<string, number>();
  const byType = new Map<number, number>();
  const pending: { index: number; record: BtfRecord | null; where: string }[] = [];

  const add = (key: string, typeId: number | undefined, size: number, record: BtfRecord | null): number => {
    if (byKey.has(key)) throw new CollectionsError('BAD_RECORD', `duplicate record key '${key}'`, { what: key });
    if (!Number.isInteger(size) || size < 0 || size > 0xffffffff) {
      throw new CollectionsError('BAD_RECORD', `size ${size} is not a u32`, { what: key });
    }
    const index = entries.length;
    // placeholder; fields resolved below (they may reference records planned later)
    entries.push({ key, typeId, size, spinLockOff: NO_OFFSET, refcountOff: NO_OFFSET, fields: [], byteLength: RECORD_HEADER_SIZE });
    byKey.set(key, index);
    if (typeId !== undefined) byType.set(typeId, index);
    pending.push({ index, record, where: key });
    return index;
  };

  const typeRecord = (typeId: number, fromRoot: BtfRecord | null | undefined): number => {
    const have = byType.get(typeId);
    if (have !== undefined) return have;
    const t = btf.types[typeId];
    if (!t || (t.kind !== 'STRUCT' && t.kind !== 'UNION')) {
      throw new CollectionsError('BAD_RECORD', `referenced type ${typeId} is not a struct`, { what: `type:${typeId}` });
    }
    const record = fromRoot !== undefined ? fromRoot
      : opts.metas ? (opts.metas.get(typeId)?.record ?? null)
        : findSpecialFields(btf, typeId, { mask: LOCAL_OBJECT_FIELD_MASK, valueSize: t.size });
    return add(`type:${typeId}`, typeId, t.size, record);
  };

  for (const r of requests) {
    if (r.typeId !== undefined && byType.has(r.typeId)) {
      throw new CollectionsError('BAD_RECORD', `type ${r.typeId} requested twice`, { what: r.key });
    }
    add(r.key, r.typeId, r.size, r.record);
  }

  while (pending.length > 0) {
    const { index, record, where } = pending.shift()!;
    const entry = entries[index]!;
    const fields: PlannedField[] = [];
    let spinLockOff = NO_OFFSET;
    let refcountOff = NO_OFFSET;
    for (const f of record?.fields ?? []) {
      const kind = BTF_TO_KIND.get(f.type);
      if (kind === undefined) continue; // timers, workqueues, uptrs, task work: no runtime meaning here
      checkField(f, entry.size, where);
      let auxEntry = -1;
      let aux2 = 0;
      if (kind === FieldKind.SPIN_LOCK) spinLockOff = f.offset;
      if (kind === FieldKind.REFCOUNT) refcountOff = f.offset;
      if (kind === FieldKind.LIST_HEAD || kind === FieldKind.RB_ROOT) {
        const gr = f.graphRoot;
        if (!gr) throw new CollectionsError('BAD_RECORD', `${f.typeName} at offset ${f.offset} has no graph root info`, { what: where });
        auxEntry = typeRecord(gr.valueBtfId, gr.valueRec);
        aux2 = gr.nodeOffset;
      } else if ((kind === FieldKind.KPTR_REF || kind === FieldKind.KPTR_PERCPU) && f.kptr?.local) {
        auxEntry = typeRecord(f.kptr.typeId, undefined);
      }
      fields.push({ kind, offset: f.offset, auxEntry, aux2 });
    }
    fields.sort((a, b) => a.offset - b.offset);
    entries[index] = {
      ...entry, spinLockOff, refcountOff, fields, byteLength: RECORD_HEADER_SIZE + RECORD_FIELD_SIZE * fields.length,
    };
  }

  let totalSize = 0;
  for (const e of entries) totalSize += e.byteLength;
  return {
    entries,
    indexOf: (key) => byKey.get(key) ?? -1,
    indexOfType: (typeId) => byType.get(typeId) ?? -1,
    totalSize,
  };
}

function checkField(f: BtfField, size: number, where: string): void {
  const fsz = FIELD_SIZES[BTF_TO_KIND.get(f.type)!]!;
  if (!Number.isInteger(f.offset) || f.offset < 0 || f.offset + fsz > size) {
    throw new CollectionsError('BAD_RECORD', `${f.typeName} at offset ${f.offset} does not fit in ${size} bytes`, { what: where });
  }
}

/** Addresses for placing every record of `plan` back to back from `base` (8-byte aligned). */
export function layoutRecords(plan: RecordPlan, base: number): number[] {
  if (base % 8 !== 0) throw new CollectionsError('BAD_ADDRESS', 'records must be 8-byte aligned', { addr: base });
  const out: number[] = [];
  let at = base;
  for (const e of plan.entries) {
    out.push(at);
    at += e.byteLength;
  }
  return out;
}

/** Encode every record of `plan`, entry i placed at `addresses[i]`. */
export function encodeRecords(plan: RecordPlan, addresses: readonly number[]): Uint8Array[] {
  if (addresses.length !== plan.entries.length) {
    throw new CollectionsError('BAD_RECORD', `${plan.entries.length} records but ${addresses.length} addresses`);
  }
  for (const [i, a] of addresses.entries()) {
    if (!Number.isInteger(a) || a <= 0 || a > 0xffffffff || a % 8 !== 0) {
      throw new CollectionsError('BAD_ADDRESS', `record '${plan.entries[i]!.key}' address is not a non-zero 8-aligned u32`, { addr: a });
    }
  }
  return plan.entries.map((e) => {
    const bytes = new Uint8Array(e.byteLength);
    const dv = new DataView(bytes.buffer);
    dv.setUint32(0, e.size, true);
    dv.setUint32(4, e.spinLockOff, true);
    dv.setUint32(8, e.refcountOff, true);
    dv.setUint32(12, e.fields.length, true);
    e.fields.forEach((f, i) => {
      const o = RECORD_HEADER_SIZE + RECORD_FIELD_SIZE * i;
      dv.setUint32(o, f.kind, true);
      dv.setUint32(o + 4, f.offset, true);
      dv.setUint32(o + 8, f.auxEntry < 0 ? 0 : addresses[f.auxEntry]!, true);
      dv.setUint32(o + 12, f.aux2, true);
    });
    return bytes;
  });
}

/** Encode `plan` as one block placed at `base`: the bytes and each record's address. */
export function encodeRecordsAt(plan: RecordPlan, base: number): { bytes: Uint8Array; addresses: number[] } {
  const addresses = layoutRecords(plan, base);
  const parts = encodeRecords(plan, addresses);
  const bytes = new Uint8Array(plan.totalSize);
  parts.forEach((p, i) => bytes.set(p, addresses[i]! - base));
  return { bytes, addresses };
}

/** A record read back from a memory image. */
export interface DecodedField { readonly kind: FieldKindValue; readonly offset: number; readonly aux: number; readonly aux2: number }
export interface DecodedRecord {
  readonly addr: number;
  readonly size: number;
  /** undefined when absent. */
  readonly spinLockOff: number | undefined;
  readonly refcountOff: number | undefined;
  readonly fields: readonly DecodedField[];
}

/** Upper bound on fields in a decoded record (the kernel has at most 11 in a btf_record). */
export const MAX_DECODED_FIELDS = 64;

/** Read and check the record at `addr` in a memory image. */
export function decodeRecord(view: DataView, addr: number): DecodedRecord {
  checkRange(view, addr, RECORD_HEADER_SIZE, 'record header');
  if (addr % 8 !== 0) throw new CollectionsError('BAD_ADDRESS', 'record is not 8-byte aligned', { addr, what: 'record header' });
  const size = view.getUint32(addr, true);
  const sl = view.getUint32(addr + 4, true);
  const rc = view.getUint32(addr + 8, true);
  const n = view.getUint32(addr + 12, true);
  if (n > MAX_DECODED_FIELDS) throw new CollectionsError('BAD_RECORD', `${n} fields`, { addr, what: 'record header' });
  checkRange(view, addr + RECORD_HEADER_SIZE, n * RECORD_FIELD_SIZE, 'record fields');
  const fields: DecodedField[] = [];
  let prevEnd = 0;
  for (let i = 0; i < n; i++) {
    const o = addr + RECORD_HEADER_SIZE + RECORD_FIELD_SIZE * i;
    const kind = view.getUint32(o, true);
    const offset = view.getUint32(o + 4, true);
    const what = `record field ${i}`;
    const fsz = FIELD_SIZES[kind];
    if (fsz === undefined) throw new CollectionsError('BAD_RECORD', `unknown field kind ${kind}`, { addr: o, what });
    if (offset < prevEnd || offset + fsz > size) {
      throw new CollectionsError('BAD_RECORD', `${FIELD_KIND_NAMES[kind]} at offset ${offset} overlaps or exceeds the ${size}-byte struct`, { addr: o, what });
    }
    prevEnd = offset + fsz;
    fields.push({ kind: kind as FieldKindValue, offset, aux: view.getUint32(o + 8, true), aux2: view.getUint32(o + 12, true) });
  }
  const opt = (v: number, kind: number, what: string): number | undefined => {
    if (v === NO_OFFSET) return undefined;
    if (!fields.some((f) => f.kind === kind && f.offset === v)) {
      throw new CollectionsError('BAD_RECORD', `${what} ${v} names no such field`, { addr, what: 'record header' });
    }
    return v;
  };
  return { addr, size, spinLockOff: opt(sl, FieldKind.SPIN_LOCK, 'spinLockOff'), refcountOff: opt(rc, FieldKind.REFCOUNT, 'refcountOff'), fields };
}

export function checkRange(view: DataView, addr: number, len: number, what: string): void {
  if (!Number.isInteger(addr) || addr <= 0 || addr + len > view.byteLength) {
    throw new CollectionsError('BAD_ADDRESS', `${len} bytes outside the ${view.byteLength}-byte image`, { addr, what });
  }
}
