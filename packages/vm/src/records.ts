/**
 * Special-field records (docs/runtime-contract.md "Records") for every type the core needs:
 * map values (and global data sections: their DATASEC) and local struct types (`bpf_obj_new`
 * objects, list/tree elements, kptr pointees). Records point at each other (a list head's
 * element record), so they are laid out as one block and encoded once its address is known.
 */
import {
  BPF_KPTR_PERCPU, BPF_KPTR_REF, BPF_KPTR_UNREF, BPF_LIST_HEAD, BPF_LIST_NODE, BPF_RB_NODE, BPF_RB_ROOT, BPF_REFCOUNT,
  BPF_SPIN_LOCK, BtfError, BtfRecordError, LOCAL_OBJECT_FIELD_MASK, MAP_VALUE_FIELD_MASK, findSpecialFields, skipModsAndTypedefs,
  type Btf, type BtfRecord,
} from '@bpfkit/btf';
import { LoadError } from './errors.js';

/** Contract field kinds. */
export const RecordKind = Object.freeze({
  SPIN_LOCK: 1, LIST_HEAD: 2, LIST_NODE: 3, RB_ROOT: 4, RB_NODE: 5, REFCOUNT: 6, KPTR_UNREF: 7, KPTR_REF: 8, KPTR_PERCPU: 9,
} as const);

const KIND_OF: Readonly<Record<number, number>> = {
  [BPF_SPIN_LOCK]: RecordKind.SPIN_LOCK, [BPF_LIST_HEAD]: RecordKind.LIST_HEAD, [BPF_LIST_NODE]: RecordKind.LIST_NODE,
  [BPF_RB_ROOT]: RecordKind.RB_ROOT, [BPF_RB_NODE]: RecordKind.RB_NODE, [BPF_REFCOUNT]: RecordKind.REFCOUNT,
  [BPF_KPTR_UNREF]: RecordKind.KPTR_UNREF, [BPF_KPTR_REF]: RecordKind.KPTR_REF, [BPF_KPTR_PERCPU]: RecordKind.KPTR_PERCPU,
};

export const KIND_NAMES: Readonly<Record<number, string>> = {
  1: 'bpf_spin_lock', 2: 'bpf_list_head', 3: 'bpf_list_node', 4: 'bpf_rb_root', 5: 'bpf_rb_node', 6: 'bpf_refcount',
  7: 'kptr_untrusted', 8: 'kptr', 9: 'percpu_kptr',
};

export interface RecordField {
  readonly kind: number;
  readonly off: number;
  /** Roots: element struct id; kptrs: pointee struct id (local). */
  readonly typeId?: number;
  /** Roots: node offset in the element. */
  readonly nodeOff?: number;
}

/** A record before encoding (addresses of other records are resolved at encode time). */
export interface RecordDesc {
  readonly size: number;
  readonly spinLockOff: number;
  readonly refcountOff: number;
  readonly fields: readonly RecordField[];
  /** BTF type the record describes (struct or DATASEC), 0 when none. */
  readonly btfId: number;
}

export const NONE = 0xffffffff;

function toDesc(rec: BtfRecord | null, size: number, btfId: number): RecordDesc {
  const fields: RecordField[] = [];
  let spin = NONE;
  let refc = NONE;
  for (const f of rec?.fields ?? []) {
    const kind = KIND_OF[f.type];
    if (kind === undefined) continue; // timers, workqueues, uptrs: no runtime meaning here
    if (kind === RecordKind.SPIN_LOCK) spin = f.offset;
    if (kind === RecordKind.REFCOUNT) refc = f.offset;
    if (f.graphRoot) fields.push({ kind, off: f.offset, typeId: f.graphRoot.valueBtfId, nodeOff: f.graphRoot.nodeOffset });
    else if (f.kptr) fields.push(f.kptr.local ? { kind, off: f.offset, typeId: f.kptr.typeId } : { kind, off: f.offset });
    else fields.push({ kind, off: f.offset });
  }
  fields.sort((a, b) => a.off - b.off);
  return { size, spinLockOff: spin, refcountOff: refc, fields, btfId };
}

function wrap<T>(what: string, f: () => T, loc: { map?: string } = {}): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BtfRecordError || e instanceof BtfError) {
      throw new LoadError('BAD_BTF', `${what}: ${e.message}`, loc, { cause: e });
    }
    throw e;
  }
}

/**
 * The set of records of one instance. Keys: `t<id>` for local struct types, any string for
 * map values. Struct records are created on demand (and for every element/pointee referenced).
 */
export class RecordSet {
  private readonly descs = new Map<string, RecordDesc>();
  private addrs: Map<string, number> | undefined;

  constructor(readonly btf: Btf | undefined) {}

  /** Record of a local struct/union type (allocated objects); always exists (maybe with no fields). */
  structRecord(typeId: number): string {
    const key = `t${typeId}`;
    if (this.descs.has(key)) return key;
    const btf = this.btf;
    if (!btf) throw new LoadError('BAD_BTF', `type ${typeId}: the object has no BTF`);
    const t = btf.type(typeId);
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') throw new LoadError('BAD_BTF', `type ${typeId} is not a struct`);
    const rec = wrap(`struct ${t.name || `[${typeId}]`}`, () => findSpecialFields(btf, typeId, { mask: LOCAL_OBJECT_FIELD_MASK, valueSize: t.size }));
    const desc = toDesc(rec, t.size, typeId);
    this.descs.set(key, desc);
    this.addrs = undefined;
    for (const f of desc.fields) if (f.typeId !== undefined) this.structRecord(f.typeId);
    return key;
  }

  /** Record of a map value (`typeId` a struct or DATASEC); undefined when it has no special fields. */
  valueRecord(key: string, typeId: number, valueSize: number, mapName: string): string | undefined {
    const btf = this.btf;
    if (!btf || !typeId) return undefined;
    const t = btf.type(skipModsAndTypedefs(btf, typeId));
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION' && t.kind !== 'DATASEC') return undefined;
    const rec = wrap(`map '${mapName}' value`, () => findSpecialFields(btf, t.id, { mask: MAP_VALUE_FIELD_MASK, valueSize }), { map: mapName });
    if (!rec) return undefined;
    const desc = toDesc(rec, valueSize, t.id);
    if (desc.fields.length === 0) return undefined;
    this.descs.set(key, desc);
    this.addrs = undefined;
    for (const f of desc.fields) if (f.typeId !== undefined) this.structRecord(f.typeId);
    return key;
  }

  desc(key: string): RecordDesc | undefined {
    return this.descs.get(key);
  }

  /** Bytes of all records, laid out from `base`; `addrOf` is valid afterwards. */
  encode(base: number): Uint8Array {
    let off = 0;
    const addrs = new Map<string, number>();
    for (const [k, d] of this.descs) {
      addrs.set(k, base + off);
      off += 16 + 16 * d.fields.length;
    }
    const out = new Uint8Array(Math.max(off, 8));
    const dv = new DataView(out.buffer);
    for (const [k, d] of this.descs) {
      const p = addrs.get(k)! - base;
      dv.setUint32(p, d.size, true);
      dv.setUint32(p + 4, d.spinLockOff >>> 0, true);
      dv.setUint32(p + 8, d.refcountOff >>> 0, true);
      dv.setUint32(p + 12, d.fields.length, true);
      d.fields.forEach((f, i) => {
        const q = p + 16 + 16 * i;
        dv.setUint32(q, f.kind, true);
        dv.setUint32(q + 4, f.off, true);
        dv.setUint32(q + 8, f.typeId !== undefined ? addrs.get(`t${f.typeId}`)! : 0, true);
        dv.setUint32(q + 12, f.nodeOff ?? 0, true);
      });
    }
    this.addrs = addrs;
    return out;
  }

  /** Encoded size in bytes. */
  get byteLength(): number {
    let n = 0;
    for (const d of this.descs.values()) n += 16 + 16 * d.fields.length;
    return Math.max(n, 8);
  }

  addrOf(key: string | undefined): number {
    if (key === undefined) return 0;
    const a = this.addrs?.get(key);
    if (a === undefined) throw new Error(`record ${key} not laid out`);
    return a;
  }

  /** Key of the record at an address (for the inspectors). */
  keyAt(addr: number): string | undefined {
    if (!this.addrs) return undefined;
    for (const [k, a] of this.addrs) if (a === addr) return k;
    return undefined;
  }
}
