/**
 * Loads and stores that touch graph-collection memory (graph-collections.md §2.5, §3.7):
 * special fields of map values (`check_map_access`, `check_map_kptr_access`) and local
 * objects from bpf_obj_new (`check_ptr_to_btf_access` + `btf_struct_access`).
 */
import { BPF_GRAPH_NODE, BPF_KPTR, BPF_KPTR_PERCPU, BPF_KPTR_REF, BPF_KPTR_UNREF, BPF_UPTR, recordHas, type BtfField } from '@bpfkit/btf';
import { nextId, type Env } from '../env.js';
import { reject } from '../errors.js';
import { setReg } from '../operands.js';
import { ptrReg, regTypeName, unknownScalar } from '../reg.js';
import { tnumStr } from '../scalar/index.js';
import { F, T, type RegState } from '../types.js';
import { btfName, isAllocObj, localRecord } from './records.js';

/** Inside an RCU read-side section (`in_rcu_cs`): explicit section, a held lock, or a non-sleepable program. */
export function inRcuCs(env: Env): boolean {
  return env.cur.refs.some((r) => r.kind === 'rcu') || env.cur.activeLock !== 0 || ((env.input.progFlags ?? 0) & 16) === 0;
}

/** `map_kptr_match_type`: a pointer stored into (or exchanged with) a kptr field must have the field's exact type. */
export function kptrMatchType(env: Env, field: { type: number; kptrBtfId: number; local: boolean }, r: RegState, regno: number): void {
  const targ = btfName(env, field.kptrBtfId);
  const perm = field.local
    ? F.MAYBE_NULL | F.MEM_ALLOC | (field.type === BPF_KPTR_PERCPU ? F.PERCPU : 0)
    : F.MAYBE_NULL | F.TRUSTED | F.RCU | (field.type === BPF_KPTR_UNREF ? F.UNTRUSTED : 0);
  let regName = '';
  const bad = (): never =>
    reject(
      env.insnIdx,
      'EACCES',
      `invalid kptr access, R${regno} type=${regTypeName(r.type, r.flags)}${regName} expected=ptr_${targ}${field.type === BPF_KPTR_UNREF ? ` or untrusted_ptr_${targ}` : ''}`,
    );
  if (r.type !== T.PTR_TO_BTF_ID || r.flags & ~perm) bad();
  regName = btfName(env, r.btfId);
  if (r.off < 0) reject(env.insnIdx, 'EACCES', `negative offset ${regTypeName(r.type, r.flags)} ptr R${regno} off=${r.off} disallowed`);
  if (r.s.varOff.mask !== 0n || r.s.varOff.value !== 0n) reject(env.insnIdx, 'EACCES', `variable ${regTypeName(r.type, r.flags)} access var_off=${tnumStr(r.s.varOff)} disallowed`);
  if (r.btfId !== field.kptrBtfId || (field.type !== BPF_KPTR_UNREF && r.off !== 0)) bad();
}

/**
 * Special fields overlapped by a map-value access `[off + var, +size)`. Returns true when the access was a
 * kptr load/store that this module completed (the value register is set).
 */
export function checkMapValueFields(env: Env, reg: RegState, off: number, size: number, write: boolean, valueRegno: number, stImm: number | undefined): boolean {
  const rec = reg.map?.record;
  if (!rec) return false;
  const idx = env.insnIdx;
  for (const f of rec.fields) {
    const p = f.offset;
    if (!(reg.s.smin + BigInt(off) < BigInt(p + f.size) && BigInt(p) < reg.s.umax + BigInt(off + size))) continue;
    if (!(f.type & (BPF_KPTR | BPF_UPTR))) reject(idx, 'EACCES', `${f.typeName} cannot be accessed directly by load/store`);
    if (reg.s.varOff.mask !== 0n) reject(idx, 'EACCES', `${f.typeName} access cannot have variable offset`);
    const at = BigInt(off) + reg.s.varOff.value;
    if (BigInt(p) !== at) reject(idx, 'EACCES', `${f.typeName} access misaligned expected=${p} off=${BigInt.asUintN(64, at)}`);
    if (size !== 8) reject(idx, 'EACCES', `${f.typeName} access size must be BPF_DW`);
    kptrAccess(env, f, write, valueRegno, stImm);
    return true;
  }
  return false;
}

/** `check_map_access` for a helper's memory argument (`ACCESS_HELPER`): no special field may be covered. */
export function checkMapValueFieldsByHelper(env: Env, reg: RegState, off: number, size: number): void {
  const rec = reg.map?.record;
  if (!rec) return;
  for (const f of rec.fields) {
    const p = f.offset;
    if (!(reg.s.smin + BigInt(off) < BigInt(p + f.size) && BigInt(p) < reg.s.umax + BigInt(off + size))) continue;
    if (f.type & (BPF_KPTR | BPF_UPTR)) reject(env.insnIdx, 'EACCES', `${f.typeName} cannot be accessed indirectly by helper`);
    reject(env.insnIdx, 'EACCES', `${f.typeName} cannot be accessed directly by load/store`);
  }
}

/** `check_map_kptr_access`. */
function kptrAccess(env: Env, f: BtfField, write: boolean, valueRegno: number, stImm: number | undefined): void {
  const idx = env.insnIdx;
  if (write && f.type !== BPF_KPTR_UNREF) reject(idx, 'EACCES', 'store to referenced kptr disallowed');
  const pointee = f.kptr?.typeId ?? 0;
  const local = f.kptr?.local ?? true;
  if (!write) {
    const rcuSafe = f.type === BPF_KPTR_PERCPU || (f.type === BPF_KPTR_REF && (local ? (localRecord(env, pointee)?.refcountOff ?? -1) >= 0 : false));
    let flags = F.MAYBE_NULL;
    if (rcuSafe && inRcuCs(env)) {
      flags |= F.RCU;
      if (f.type === BPF_KPTR_PERCPU) flags |= F.PERCPU;
      else if (local) flags |= F.MEM_ALLOC;
      if (recordHas(localRecord(env, pointee), BPF_GRAPH_NODE)) flags |= F.NON_OWN_REF;
    } else flags |= F.UNTRUSTED;
    const r = ptrReg(T.PTR_TO_BTF_ID, flags);
    r.btfId = pointee;
    r.id = nextId(env);
    setReg(env, valueRegno, r);
    return;
  }
  if (stImm !== undefined) {
    if (stImm !== 0) reject(idx, 'EACCES', `BPF_ST imm must be 0 when storing to kptr at off=${f.offset}`);
    return;
  }
  const v = env.cur.frames[env.cur.frames.length - 1]!.regs[valueRegno]!;
  const isNullConst = v.type === T.SCALAR && v.s.varOff.mask === 0n && v.s.varOff.value === 0n;
  if (!isNullConst) kptrMatchType(env, { type: f.type, kptrBtfId: pointee, local }, v, valueRegno);
}

/** `check_ptr_to_btf_access` for local objects (MEM_ALLOC): offsets, percpu, special fields, struct bounds. */
export function checkAllocObjAccess(env: Env, regno: number, reg: RegState, off: number, size: number, write: boolean, valueRegno: number): void {
  const idx = env.insnIdx;
  const tname = btfName(env, reg.btfId);
  if (off < 0) reject(idx, 'EACCES', `R${regno} is ptr_${tname} invalid negative access: off=${off}`);
  if (reg.s.varOff.mask !== 0n || reg.s.varOff.value !== 0n) {
    reject(idx, 'EACCES', `R${regno} is ptr_${tname} invalid variable offset: off=${off}, var_off=${tnumStr(reg.s.varOff)}`);
  }
  if (reg.flags & F.PERCPU) reject(idx, 'EACCES', `R${regno} is ptr_${tname} access percpu memory: off=${off}`);
  if (write && !isAllocObj(reg)) reject(idx, 'EACCES', 'only read is supported');
  const rec = localRecord(env, reg.btfId);
  if (rec) {
    for (const f of rec.fields) {
      if (off < f.offset + f.size && off + size > f.offset) reject(idx, 'EACCES', `direct access to ${f.typeName} is disallowed`);
    }
  }
  const t = env.input.btf?.types[reg.btfId];
  if (t && (t.kind === 'STRUCT' || t.kind === 'UNION') && off + size > t.size) {
    reject(idx, 'EACCES', `access beyond struct ${tname} at off ${off} size ${size}`);
  }
  // local objects never yield new pointers: loads (pointer members included) give scalars
  if (valueRegno >= 0 && !write) setReg(env, valueRegno, unknownScalar());
}
