/**
 * Special fields of map values / allocated objects (the kernel's `btf_record`):
 * discovery (`btf_find_field`), graph-root validation (`btf_parse_graph_root`) and
 * record building (`btf_parse_fields`) per graph-collections.md §1.2–1.7. Errors are
 * `BtfRecordError`s carrying the kernel's errno name.
 */
import type { Btf } from './btf.js';
import { BtfRecordError, type KernelErrno } from './errors.js';
import { declTags, findByName, skipModifiers } from './query.js';
import type { BtfType } from './types.js';

export const BPF_SPIN_LOCK = 1 << 0;
export const BPF_TIMER = 1 << 1;
export const BPF_KPTR_UNREF = 1 << 2;
export const BPF_KPTR_REF = 1 << 3;
export const BPF_KPTR_PERCPU = 1 << 4;
export const BPF_LIST_HEAD = 1 << 5;
export const BPF_LIST_NODE = 1 << 6;
export const BPF_RB_ROOT = 1 << 7;
export const BPF_RB_NODE = 1 << 8;
export const BPF_REFCOUNT = 1 << 9;
export const BPF_WORKQUEUE = 1 << 10;
export const BPF_UPTR = 1 << 11;
export const BPF_RES_SPIN_LOCK = 1 << 12;
export const BPF_TASK_WORK = 1 << 13;
export const BPF_KPTR = BPF_KPTR_UNREF | BPF_KPTR_REF | BPF_KPTR_PERCPU;
export const BPF_GRAPH_ROOT = BPF_LIST_HEAD | BPF_RB_ROOT;
export const BPF_GRAPH_NODE = BPF_LIST_NODE | BPF_RB_NODE;

/** Field mask `map_check_btf` uses for map values (and global data). */
export const MAP_VALUE_FIELD_MASK = BPF_SPIN_LOCK | BPF_RES_SPIN_LOCK | BPF_TIMER | BPF_KPTR | BPF_LIST_HEAD |
  BPF_RB_ROOT | BPF_REFCOUNT | BPF_WORKQUEUE | BPF_UPTR | BPF_TASK_WORK;
/** Field mask for program-BTF struct metas (`bpf_obj_new` objects). */
export const LOCAL_OBJECT_FIELD_MASK = BPF_SPIN_LOCK | BPF_RES_SPIN_LOCK | BPF_LIST_HEAD | BPF_LIST_NODE |
  BPF_RB_ROOT | BPF_RB_NODE | BPF_REFCOUNT | BPF_KPTR;
export const ALL_FIELDS_MASK = (1 << 14) - 1;

/** `BTF_FIELDS_MAX`. */
export const BTF_FIELDS_MAX = 11;
const MAX_RESOLVE_DEPTH = 32;

interface FieldInfo { readonly size: number; readonly align: number; readonly name: string }
const FIELD_INFO: Record<number, FieldInfo> = {
  [BPF_SPIN_LOCK]: { size: 4, align: 4, name: 'bpf_spin_lock' },
  [BPF_RES_SPIN_LOCK]: { size: 4, align: 4, name: 'bpf_res_spin_lock' },
  [BPF_TIMER]: { size: 16, align: 8, name: 'bpf_timer' },
  [BPF_WORKQUEUE]: { size: 16, align: 8, name: 'bpf_wq' },
  [BPF_TASK_WORK]: { size: 8, align: 8, name: 'bpf_task_work' },
  [BPF_KPTR_UNREF]: { size: 8, align: 8, name: 'kptr' },
  [BPF_KPTR_REF]: { size: 8, align: 8, name: 'kptr' },
  [BPF_KPTR_PERCPU]: { size: 8, align: 8, name: 'percpu_kptr' },
  [BPF_UPTR]: { size: 8, align: 8, name: 'uptr' },
  [BPF_LIST_HEAD]: { size: 16, align: 8, name: 'bpf_list_head' },
  [BPF_LIST_NODE]: { size: 24, align: 8, name: 'bpf_list_node' },
  [BPF_RB_ROOT]: { size: 16, align: 8, name: 'bpf_rb_root' },
  [BPF_RB_NODE]: { size: 32, align: 8, name: 'bpf_rb_node' },
  [BPF_REFCOUNT]: { size: 4, align: 4, name: 'bpf_refcount' },
};

/** `btf_field_type_name`. */
export function fieldTypeName(type: number): string {
  return FIELD_INFO[type]?.name ?? 'unknown';
}
/** `btf_field_type_size`. */
export function fieldTypeSize(type: number): number {
  return FIELD_INFO[type]?.size ?? 0;
}

/** Singleton kinds: at most one per struct level (a repeat is -E2BIG). */
const SINGLETONS: [number, string][] = [
  [BPF_SPIN_LOCK, 'bpf_spin_lock'], [BPF_RES_SPIN_LOCK, 'bpf_res_spin_lock'], [BPF_TIMER, 'bpf_timer'],
  [BPF_WORKQUEUE, 'bpf_wq'], [BPF_TASK_WORK, 'bpf_task_work'],
];
const NAMED: [number, string][] = [
  [BPF_LIST_HEAD, 'bpf_list_head'], [BPF_LIST_NODE, 'bpf_list_node'], [BPF_RB_ROOT, 'bpf_rb_root'],
  [BPF_RB_NODE, 'bpf_rb_node'], [BPF_REFCOUNT, 'bpf_refcount'],
];
const REPEATABLE = BPF_KPTR | BPF_UPTR | BPF_LIST_HEAD | BPF_RB_ROOT;

export interface BtfKptrInfo {
  /** Pointee struct id (in the program BTF, modifiers skipped). */
  readonly typeId: number;
  /** Type tag text: `kptr`, `kptr_untrusted`, `percpu_kptr`, `uptr`. */
  readonly tag: string;
  /** True when the pointee is not found by name+kind in the kernel BTF (a local kptr). */
  readonly local: boolean;
  /** Matching id in the kernel BTF when not local. */
  readonly kernelTypeId: number | undefined;
}
export interface BtfGraphRootInfo {
  /** The `contains:` value struct. */
  readonly valueBtfId: number;
  readonly nodeName: string;
  /** Byte offset of the node member in the value struct. */
  readonly nodeOffset: number;
  /** The value type's record (filled by the ownership check; undefined before). */
  valueRec: BtfRecord | null | undefined;
}
export interface BtfField {
  readonly offset: number;
  readonly size: number;
  /** One `BPF_*` field bit. */
  readonly type: number;
  /** `btf_field_type_name` of `type`. */
  readonly typeName: string;
  readonly kptr?: BtfKptrInfo;
  readonly graphRoot?: BtfGraphRootInfo;
}
export interface BtfRecord {
  readonly cnt: number;
  readonly fieldMask: number;
  /** Cached offsets; -1 when absent (the kernel stores -EINVAL). */
  readonly spinLockOff: number;
  readonly resSpinLockOff: number;
  readonly timerOff: number;
  readonly wqOff: number;
  readonly refcountOff: number;
  readonly taskWorkOff: number;
  /** Sorted by offset. */
  readonly fields: readonly BtfField[];
}

export interface FindFieldsOptions {
  /** Field kinds to look for (default: all). */
  readonly mask?: number;
  /** Value size the fields must fit in (default: the type's size). */
  readonly valueSize?: number;
  /** Kernel (vmlinux) BTF for the local-vs-kernel kptr decision; without it every kptr is local. */
  readonly kernelBtf?: Btf;
}

interface Found {
  type: number;
  off: number;
  kptr?: { typeId: number; tag: string };
  root?: { valueBtfId: number; nodeName: string };
}

const isStruct = (t: BtfType | undefined): boolean => t !== undefined && (t.kind === 'STRUCT' || t.kind === 'UNION');

function err(errno: KernelErrno, msg: string, typeId?: number): never {
  throw new BtfRecordError(errno, msg, typeId === undefined ? {} : { typeId });
}

class Finder {
  readonly out: Found[] = [];
  constructor(private readonly btf: Btf, private readonly mask: number) {}

  private get room(): number {
    return BTF_FIELDS_MAX - this.out.length;
  }

  /** `btf_find_decl_tag_value`: the one `contains:` tag of (pt, comp). */
  private containsTag(ptId: number, comp: number): string {
    let found: string | undefined;
    for (const t of declTags(this.btf, ptId, comp)) {
      if (!t.name.startsWith('contains:')) continue;
      if (found !== undefined) err('EINVAL', `duplicate contains: tag on type ${ptId} component ${comp}`, ptId);
      found = t.name.slice('contains:'.length);
    }
    if (found === undefined) err('EINVAL', `missing contains: tag on type ${ptId} component ${comp}`, ptId);
    return found;
  }

  private fieldType(t: BtfType, seen: { mask: number }): number {
    const name = t.name;
    for (const [bit, n] of SINGLETONS) {
      if (this.mask & bit && name === n) {
        if (seen.mask & bit) err('E2BIG', `more than one ${n}`, t.id);
        seen.mask |= bit;
        return bit;
      }
    }
    for (const [bit, n] of NAMED) if (this.mask & bit && name === n) return bit;
    if (this.mask & (BPF_KPTR | BPF_UPTR) && !isStruct(t)) return BPF_KPTR_REF;
    return 0;
  }

  /** `btf_find_kptr`: undefined = ignore. */
  private kptr(t: BtfType, off: number): Found | undefined {
    const { types } = this.btf;
    if (t.kind === 'VOLATILE') t = types[t.type]!;
    if (!t || t.kind !== 'PTR') return undefined;
    const tag = types[t.type];
    if (!tag || tag.kind !== 'TYPE_TAG' || tag.kindFlag) return undefined;
    if (types[tag.type]?.kind === 'TYPE_TAG') err('EINVAL', 'more than one type tag on a kptr', t.id);
    const type = tag.name === 'kptr_untrusted' ? BPF_KPTR_UNREF : tag.name === 'kptr' ? BPF_KPTR_REF
      : tag.name === 'percpu_kptr' ? BPF_KPTR_PERCPU : tag.name === 'uptr' ? BPF_UPTR : 0;
    if (!type) err('EINVAL', `unknown pointer type tag '${tag.name}'`, tag.id);
    if (!(type & this.mask)) return undefined;
    const res = skipModifiers(this.btf, tag.type);
    if (!isStruct(types[res])) err('EINVAL', 'kptr must point to a struct', t.id);
    return { type, off, kptr: { typeId: res, tag: tag.name } };
  }

  private repeat(start: number, cnt: number, times: number, elemSize: number): void {
    for (let i = start; i < start + cnt; i++) {
      if (!(this.out[i]!.type & REPEATABLE)) err('EINVAL', `${fieldTypeName(this.out[i]!.type)} cannot be in an array`);
    }
    if (cnt * (times + 1) > BTF_FIELDS_MAX - start) err('E2BIG', `more than ${BTF_FIELDS_MAX} special fields`);
    for (let r = 1; r <= times; r++) {
      for (let j = 0; j < cnt; j++) {
        const f = this.out[start + j]!;
        this.out.push({ ...f, off: f.off + r * elemSize });
      }
    }
  }

  /** `btf_find_field_one`. */
  one(pt: BtfType, varTypeId: number, comp: number, off: number, expectedSize: number, seen: { mask: number }, level: number): void {
    const types = this.btf.types;
    let vt = types[varTypeId];
    let nelems = 1;
    let i = 0;
    for (; i < MAX_RESOLVE_DEPTH && vt && vt.kind === 'ARRAY'; i++) {
      nelems *= vt.nelems;
      vt = types[vt.type];
    }
    if (i === MAX_RESOLVE_DEPTH) err('E2BIG', 'array nesting too deep', pt.id);
    if (nelems === 0 || !vt) return;
    const ft = this.fieldType(vt, seen);
    if (!ft && isStruct(vt)) {
      const size = (vt as { size: number }).size;
      if (expectedSize && expectedSize !== size * nelems) return;
      this.nested(vt, off, nelems, level);
      return;
    }
    if (!ft) return;
    const { size: sz, align } = FIELD_INFO[ft]!;
    if (expectedSize && expectedSize !== sz * nelems) return;
    if (off % align) return;
    let f: Found | undefined;
    if (ft & (BPF_KPTR | BPF_UPTR)) f = this.kptr(vt, off);
    else if (ft & BPF_GRAPH_ROOT) {
      if (!isStruct(vt) || (vt as { size: number }).size !== sz) return;
      const value = this.containsTag(pt.id, comp);
      const colon = value.indexOf(':');
      if (colon < 0) err('EINVAL', `contains: tag '${value}' has no node member`, pt.id);
      const valueBtfId = findByName(this.btf, value.slice(0, colon), 'STRUCT');
      if (valueBtfId < 0) err('ENOENT', `struct ${value.slice(0, colon)} not found`, pt.id);
      const nodeName = value.slice(colon + 1);
      if (!nodeName) err('EINVAL', `contains: tag '${value}' has an empty node name`, pt.id);
      f = { type: ft, off, root: { valueBtfId, nodeName } };
    } else {
      if (!isStruct(vt) || (vt as { size: number }).size !== sz) return;
      f = { type: ft, off };
    }
    if (!f) return;
    if (this.room <= 0) err('E2BIG', `more than ${BTF_FIELDS_MAX} special fields`, pt.id);
    const start = this.out.length;
    this.out.push(f);
    if (nelems > 1) this.repeat(start, 1, nelems - 1, sz);
  }

  private nested(t: BtfType, off: number, nelems: number, level: number): void {
    level++;
    if (level >= MAX_RESOLVE_DEPTH) err('E2BIG', 'struct nesting too deep', t.id);
    const start = this.out.length;
    this.struct(t, level);
    const cnt = this.out.length - start;
    if (cnt <= 0) return;
    for (let i = start; i < this.out.length; i++) this.out[i]!.off += off;
    if (nelems > 1) this.repeat(start, cnt, nelems - 1, (t as { size: number }).size);
  }

  struct(t: BtfType, level: number): void {
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') return;
    const seen = { mask: 0 };
    t.members.forEach((m, i) => {
      if (m.bitsOffset % 8) err('EINVAL', `member ${i} is not byte aligned`, t.id);
      this.one(t, m.type, i, m.bitsOffset / 8, 0, seen, level);
    });
  }

  datasec(t: BtfType): void {
    if (t.kind !== 'DATASEC') return;
    const seen = { mask: 0 };
    for (const v of t.vars) {
      const vr = this.btf.types[v.type];
      if (!vr || vr.kind !== 'VAR') continue;
      this.one(vr, vr.type, -1, v.offset, v.size, seen, 0);
    }
  }
}

/** `btf_parse_graph_root`: byte offset of the node member, or a BtfRecordError. */
function graphRootNodeOffset(btf: Btf, valueBtfId: number, nodeName: string, nodeTypeName: string): number {
  const t = btf.types[valueBtfId]!;
  if (t.kind !== 'STRUCT' && t.kind !== 'UNION') err('EINVAL', 'contains: value is not a struct', valueBtfId);
  let found: number | undefined;
  for (const m of t.members) {
    if (m.name !== nodeName) continue;
    if (found !== undefined) err('EINVAL', `two members named '${nodeName}' in struct ${t.name}`, valueBtfId);
    const n = btf.types[m.type];
    if (!isStruct(n)) err('EINVAL', `member '${nodeName}' is not a struct`, valueBtfId);
    if (n!.name !== nodeTypeName) err('EINVAL', `member '${nodeName}' is not a ${nodeTypeName}`, valueBtfId);
    // The kernel decodes the offset with the *node* type's kind_flag (bug-compatible).
    const raw = t.kindFlag ? ((m.bitfieldSize << 24) | m.bitsOffset) >>> 0 : m.bitsOffset;
    const bits = n!.kindFlag ? raw & 0xffffff : raw;
    if (bits % 8) err('EINVAL', `member '${nodeName}' is not byte aligned`, valueBtfId);
    if ((bits / 8) % 8) err('EINVAL', `member '${nodeName}' is not 8-byte aligned`, valueBtfId);
    found = bits / 8;
  }
  if (found === undefined) err('ENOENT', `struct ${t.name} has no member '${nodeName}'`, valueBtfId);
  return found;
}

/**
 * Build the special-field record of a STRUCT/UNION or DATASEC (`btf_parse_fields`).
 * Returns null when the type has no special fields.
 */
export function findSpecialFields(btf: Btf, typeId: number, opts: FindFieldsOptions = {}): BtfRecord | null {
  const t = btf.type(typeId);
  const finder = new Finder(btf, opts.mask ?? ALL_FIELDS_MASK);
  if (t.kind === 'STRUCT' || t.kind === 'UNION') finder.struct(t, 0);
  else if (t.kind === 'DATASEC') finder.datasec(t);
  else err('EINVAL', `type ${typeId} (${t.kind}) cannot hold special fields`, typeId);
  const found = finder.out;
  if (found.length === 0) return null;
  const valueSize = opts.valueSize ?? (t as { size: number }).size;
  const offs = { spinLockOff: -1, resSpinLockOff: -1, timerOff: -1, wqOff: -1, refcountOff: -1, taskWorkOff: -1 };
  const cache: Record<number, keyof typeof offs> = {
    [BPF_SPIN_LOCK]: 'spinLockOff', [BPF_RES_SPIN_LOCK]: 'resSpinLockOff', [BPF_TIMER]: 'timerOff',
    [BPF_WORKQUEUE]: 'wqOff', [BPF_REFCOUNT]: 'refcountOff', [BPF_TASK_WORK]: 'taskWorkOff',
  };
  let mask = 0;
  let nextOff = 0;
  const fields: BtfField[] = [];
  for (const f of found) {
    const size = fieldTypeSize(f.type);
    if (f.off + size > valueSize) err('EFAULT', `field at offset ${f.off} does not fit in value size ${valueSize}`, typeId);
    if (f.off < nextOff) err('EEXIST', `${fieldTypeName(f.type)} at offset ${f.off} overlaps the previous field`, typeId);
    nextOff = f.off + size;
    mask |= f.type;
    const key = cache[f.type];
    if (key) offs[key] = f.off;
    let field: BtfField = { offset: f.off, size, type: f.type, typeName: fieldTypeName(f.type) };
    if (f.kptr) {
      const pointee = btf.types[f.kptr.typeId]!;
      const kid = opts.kernelBtf ? findByName(opts.kernelBtf, pointee.name, pointee.kind) : -1;
      field = { ...field, kptr: { typeId: f.kptr.typeId, tag: f.kptr.tag, local: kid < 0, kernelTypeId: kid < 0 ? undefined : kid } };
    } else if (f.root) {
      const nodeType = f.type === BPF_LIST_HEAD ? 'bpf_list_node' : 'bpf_rb_node';
      const nodeOffset = graphRootNodeOffset(btf, f.root.valueBtfId, f.root.nodeName, nodeType);
      field = { ...field, graphRoot: { valueBtfId: f.root.valueBtfId, nodeName: f.root.nodeName, nodeOffset, valueRec: undefined } };
    }
    fields.push(field);
  }
  if (offs.spinLockOff >= 0 && offs.resSpinLockOff >= 0) err('EINVAL', 'both bpf_spin_lock and bpf_res_spin_lock', typeId);
  if (mask & BPF_GRAPH_ROOT && offs.spinLockOff < 0 && offs.resSpinLockOff < 0) {
    err('EINVAL', `${mask & BPF_LIST_HEAD ? 'bpf_list_head' : 'bpf_rb_root'} without a bpf_spin_lock`, typeId);
  }
  if (offs.refcountOff < 0 && mask & BPF_LIST_NODE && mask & BPF_RB_NODE) {
    err('EINVAL', 'bpf_list_node and bpf_rb_node in one type need a bpf_refcount', typeId);
  }
  fields.sort((a, b) => a.offset - b.offset);
  return { cnt: fields.length, fieldMask: mask, ...offs, fields };
}

/** `btf_record_has_field`. */
export function recordHas(rec: BtfRecord | null | undefined, mask: number): boolean {
  return !!rec && (rec.fieldMask & mask) !== 0;
}

/** `btf_record_find`: the field starting exactly at `offset` whose kind is in `mask`. */
export function recordFind(rec: BtfRecord | null | undefined, offset: number, mask: number): BtfField | undefined {
  if (!rec || !(rec.fieldMask & mask)) return undefined;
  let lo = 0;
  let hi = rec.fields.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = rec.fields[mid]!;
    if (f.offset < offset) lo = mid + 1;
    else if (f.offset > offset) hi = mid - 1;
    else return f.type & mask ? f : undefined;
  }
  return undefined;
}
