/**
 * Program-BTF struct metas and the ownership-graph check done at `BPF_BTF_LOAD`
 * (kernel `btf_parse_struct_metas` + `btf_check_and_fixup_fields`,
 * graph-collections.md §1.9).
 */
import type { Btf } from './btf.js';
import { BtfRecordError } from './errors.js';
import { findByName } from './query.js';
import {
  BPF_GRAPH_NODE, BPF_GRAPH_ROOT, LOCAL_OBJECT_FIELD_MASK, findSpecialFields, type BtfRecord,
} from './special-fields.js';

/** `alloc_obj_fields` (6.15+: with bpf_res_spin_lock). */
const ALLOC_OBJ_FIELDS = ['bpf_spin_lock', 'bpf_res_spin_lock', 'bpf_list_head', 'bpf_list_node', 'bpf_rb_root', 'bpf_rb_node', 'bpf_refcount'];

export interface BtfStructMeta {
  readonly btfId: number;
  readonly record: BtfRecord;
}

/** Is `id` (optionally behind one VOLATILE) a PTR → TYPE_TAG kptr-family pointer (`btf_find_kptr` FOUND)? */
function isKptrPtr(btf: Btf, id: number): boolean {
  const types = btf.types;
  let t = types[id]!;
  if (t.kind === 'VOLATILE') t = types[t.type]!;
  if (!t || t.kind !== 'PTR') return false;
  const tag = types[t.type];
  if (!tag || tag.kind !== 'TYPE_TAG' || tag.kindFlag) return false;
  if (types[tag.type]?.kind === 'TYPE_TAG') return false;
  if (!['kptr_untrusted', 'kptr', 'percpu_kptr'].includes(tag.name)) return false;
  let p = types[tag.type];
  for (let d = 0; p && ['CONST', 'VOLATILE', 'RESTRICT', 'TYPE_TAG'].includes(p.kind) && d < 32; d++) p = types[(p as { type: number }).type];
  return p !== undefined && (p.kind === 'STRUCT' || p.kind === 'UNION');
}

/**
 * `btf_parse_struct_metas`: every STRUCT with a direct member whose type is a special
 * struct (by first name match) or a kptr pointer gets a record (local-object mask).
 * A record error, or a null record, fails the load (`BtfRecordError`).
 */
export function parseStructMetas(btf: Btf): Map<number, BtfStructMeta> {
  const special = new Set<number>();
  for (const n of ALLOC_OBJ_FIELDS) {
    const id = findByName(btf, n, 'STRUCT');
    if (id > 0) special.add(id);
  }
  const types = btf.types;
  for (let id = 1; id < types.length; id++) if (isKptrPtr(btf, id)) special.add(id);
  const metas = new Map<number, BtfStructMeta>();
  if (special.size === 0) return metas;
  for (let id = btf.startId; id < types.length; id++) {
    const t = types[id]!;
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') continue;
    if (!t.members.some((m) => special.has(m.type))) continue;
    const record = findSpecialFields(btf, id, { mask: LOCAL_OBJECT_FIELD_MASK, valueSize: t.size });
    if (!record) throw new BtfRecordError('EFAULT', `struct ${t.name} has a special member but no record`, { typeId: id });
    metas.set(id, { btfId: id, record });
  }
  return metas;
}

/**
 * `btf_check_and_fixup_fields`: fill `graphRoot.valueRec` from the metas and reject
 * ownership cycles (-ELOOP) and roots whose value type has no meta (-EFAULT).
 */
export function checkAndFixupFields(rec: BtfRecord | null, metas: ReadonlyMap<number, BtfStructMeta>, typeId?: number): void {
  if (!rec || !(rec.fieldMask & BPF_GRAPH_ROOT)) return;
  for (const f of rec.fields) {
    if (!(f.type & BPF_GRAPH_ROOT) || !f.graphRoot) continue;
    const meta = metas.get(f.graphRoot.valueBtfId);
    if (!meta) {
      throw new BtfRecordError('EFAULT', `value type ${f.graphRoot.valueBtfId} of the ${f.typeName} at offset ${f.offset} has no struct meta`, typeId === undefined ? {} : { typeId });
    }
    f.graphRoot.valueRec = meta.record;
    if (!(rec.fieldMask & BPF_GRAPH_NODE)) continue;
    if (meta.record.fieldMask & BPF_GRAPH_ROOT) {
      throw new BtfRecordError('ELOOP', `ownership cycle or chain too deep: a type owning and owned owns type ${f.graphRoot.valueBtfId} which owns again`, typeId === undefined ? {} : { typeId });
    }
  }
}

/**
 * The whole program-BTF check of §1.9: parse struct metas, then run the ownership
 * check on each. Returns the metas (with value records linked); throws
 * `BtfRecordError` with the errno the kernel's BTF load would fail with.
 */
export function checkOwnershipGraph(btf: Btf): Map<number, BtfStructMeta> {
  const metas = parseStructMetas(btf);
  for (const m of metas.values()) checkAndFixupFields(m.record, metas, m.btfId);
  return metas;
}

