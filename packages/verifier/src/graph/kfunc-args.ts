/**
 * Kfunc argument checking (`check_kfunc_args`, graph-collections.md §3.5): each argument is
 * classified by its name suffix (`__k`, `__ign`, `__alloc`, `__refcounted_kptr`) and parameter
 * type (graph root / node structs, callback), then checked in the kernel's order:
 * scalar / constant, Possibly NULL, reference bookkeeping, offsets, kind rules.
 */
import { BPF_LIST_HEAD, BPF_LIST_NODE, BPF_RB_NODE, BPF_RB_ROOT, recordFind, type BtfField } from '@bpfkit/btf';
import type { KfuncArg, KfuncProto } from '@bpfkit/platform';
import type { Env } from '../env.js';
import { reject, rejectWith } from '../errors.js';
import { readReg } from '../operands.js';
import { isNull, regTypeName } from '../reg.js';
import { tnumStr } from '../scalar/index.js';
import { F, T, type RegState } from '../types.js';
import { inRbtreeLockRequiredCb } from './callback.js';
import { lockIdentity } from '../call/locks.js';
import { btfName, isAllocObj, isNonOwning, isPlainAlloc, regRecord } from './records.js';
import { markRegPrecise } from '../precision.js';

export type KfArgKind = 'ignore' | 'scalar' | 'const' | 'alloc' | 'refcounted' | 'list_head' | 'list_node' | 'rb_root' | 'rb_node' | 'callback' | 'btf_id';

/** The argument kind from the prototype (`get_kfunc_ptr_arg_type` and the scalar cases). */
export function kfArgKind(a: KfuncArg): KfArgKind {
  if (a.name.endsWith('__ign')) return 'ignore';
  if (a.type.includes('(*)')) return 'callback';
  if (!a.type.includes('*')) return a.name.endsWith('__k') ? 'const' : 'scalar';
  if (a.name.endsWith('__alloc')) return 'alloc';
  if (a.name.endsWith('__refcounted_kptr')) return 'refcounted';
  switch (a.type.replace(/^const /, '')) {
    case 'struct bpf_list_head *':
      return 'list_head';
    case 'struct bpf_list_node *':
      return 'list_node';
    case 'struct bpf_rb_root *':
      return 'rb_root';
    case 'struct bpf_rb_node *':
      return 'rb_node';
    default:
      return 'btf_id';
  }
}

/** What argument checking learns for the rest of the call (`struct bpf_kfunc_call_arg_meta`). */
export interface KfuncMeta {
  readonly fn: KfuncProto;
  /** `__k` value. */
  constValue: bigint | undefined;
  refObjId: number;
  releaseRegno: number;
  /** Type of the allocated object argument (drop, refcount_acquire, node). */
  argBtfId: number;
  /** refcount_acquire: the argument was an owning reference (R0 cannot be NULL). */
  argOwningRef: boolean;
  /** The graph root argument's field (list head / rb root). */
  rootField: BtfField | undefined;
  subprogno: number;
}

const has = (fn: KfuncProto, f: string): boolean => (fn.flags as readonly string[]).includes(f);
export const isKfuncRelease = (fn: KfuncProto): boolean => has(fn, 'KF_RELEASE');
const isKfuncTrustedArgs = (fn: KfuncProto): boolean => has(fn, 'KF_TRUSTED_ARGS') || isKfuncRelease(fn);
const isKfuncRcu = (fn: KfuncProto): boolean => has(fn, 'KF_RCU');

/** `reg_type_str` (no struct name). */
const typeStr = (r: RegState): string => regTypeName(r.type, r.flags);

/** `is_trusted_reg`. */
function isTrustedReg(r: RegState): boolean {
  if (r.refObjId) return true;
  const mods = F.MEM_ALLOC | F.TRUSTED | F.NON_OWN_REF;
  return (r.flags & mods) !== 0 && (r.flags & ~mods) === 0;
}

/** `check_func_arg_reg_off` with the kernel's exact list of BTF pointer types that may carry a fixed offset. */
function checkArgRegOff(env: Env, r: RegState, regno: number, release: boolean): void {
  const idx = env.insnIdx;
  if (release) {
    if (r.off) reject(idx, 'EINVAL', `R${regno} must have zero offset when passed to release func or trusted arg to kfunc`);
    return checkPtrOff(env, r, regno, false);
  }
  switch (r.type) {
    case T.PTR_TO_STACK:
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
    case T.PTR_TO_MAP_KEY:
    case T.PTR_TO_MAP_VALUE:
    case T.PTR_TO_MEM:
    case T.PTR_TO_BUF:
    case T.PTR_TO_ARENA:
    case T.SCALAR:
      if (r.flags & ~(F.RDONLY | F.RINGBUF | F.MAYBE_NULL)) break;
      return;
    case T.PTR_TO_BTF_ID: {
      const f = r.flags;
      const ok =
        f === 0 || f === F.MEM_ALLOC || f === F.TRUSTED || f === F.RCU || f === (F.MEM_ALLOC | F.NON_OWN_REF) || f === (F.MEM_ALLOC | F.NON_OWN_REF | F.RCU);
      return checkPtrOff(env, r, regno, ok);
    }
    default:
      break;
  }
  checkPtrOff(env, r, regno, false);
}

/** `__check_ptr_off_reg`. */
function checkPtrOff(env: Env, r: RegState, regno: number, fixedOffOk: boolean): void {
  const idx = env.insnIdx;
  if (r.off < 0) reject(idx, 'EACCES', `negative offset ${typeStr(r)} ptr R${regno} off=${r.off} disallowed`);
  if (!fixedOffOk && r.off) reject(idx, 'EACCES', `dereference of modified ${typeStr(r)} ptr R${regno} off=${r.off} disallowed`);
  if (r.s.varOff.mask !== 0n || r.s.varOff.value !== 0n) reject(idx, 'EACCES', `variable ${typeStr(r)} access var_off=${tnumStr(r.s.varOff)} disallowed`);
}

/** `check_reg_allocation_locked` + the caller's message (§3.3). */
function checkAllocationLocked(env: Env, r: RegState, lockOff: number, what: string): void {
  const st = env.cur;
  const mustHold = `bpf_spin_lock at off=${lockOff} must be held for ${what}`;
  if (!st.activeLock) rejectWith(env.insnIdx, 'EINVAL', [], mustHold);
  if (st.activeLock !== lockIdentity(r)) {
    rejectWith(env.insnIdx, 'EINVAL', [{ insn: st.lockInsn, role: 'lock taken' }], 'held lock and object are not in the same allocation', mustHold);
  }
}

/** `__process_kf_arg_ptr_to_graph_root`. */
function processGraphRoot(env: Env, r: RegState, regno: number, meta: KfuncMeta, kind: number, name: string): void {
  const idx = env.insnIdx;
  if (r.s.varOff.mask !== 0n) reject(idx, 'EINVAL', `R${regno} doesn't have constant offset. ${name} has to be at the constant offset`);
  const rec = regRecord(env, r);
  const off = r.off + Number(BigInt.asIntN(64, r.s.varOff.value));
  const field = recordFind(rec, off, kind);
  if (!field) reject(idx, 'EINVAL', `${name} not found at offset=${off >>> 0}`);
  checkAllocationLocked(env, r, rec!.spinLockOff, name);
  meta.rootField = field;
}

/** `__process_kf_arg_ptr_to_graph_node`. */
function processGraphNode(env: Env, r: RegState, regno: number, meta: KfuncMeta, kind: number, name: string): void {
  const idx = env.insnIdx;
  if (r.s.varOff.mask !== 0n) reject(idx, 'EINVAL', `R${regno} doesn't have constant offset. ${name} has to be at the constant offset`);
  const off = r.off + Number(BigInt.asIntN(64, r.s.varOff.value));
  if (!recordFind(regRecord(env, r), off, kind)) reject(idx, 'EINVAL', `${name} not found at offset=${off >>> 0}`);
  const root = meta.rootField?.graphRoot;
  if (!root) reject(idx, 'EFAULT', `verifier internal error: ${name} argument without a root`);
  const elem = btfName(env, root.valueBtfId);
  if (r.btfId !== root.valueBtfId) {
    reject(idx, 'EINVAL', `operation on ${meta.rootField!.typeName} expects arg#1 ${name} at offset=${root.nodeOffset} in struct ${elem}, but arg is at offset=${off} in struct ${btfName(env, r.btfId)}`);
  }
  meta.argBtfId = r.btfId;
  if (off !== root.nodeOffset) reject(idx, 'EINVAL', `arg#1 offset=${off}, but expected ${name} at offset=${root.nodeOffset} in struct ${elem}`);
}

/** Checks every argument of kfunc `fn`; returns what the call needs next. */
export function checkKfuncArgs(env: Env, fn: KfuncProto): KfuncMeta {
  const idx = env.insnIdx;
  const meta: KfuncMeta = { fn, constValue: undefined, refObjId: 0, releaseRegno: 0, argBtfId: 0, argOwningRef: false, rootField: undefined, subprogno: -1 };
  const release = isKfuncRelease(fn);
  fn.args.forEach((a, i) => {
    const regno = i + 1;
    const kind = kfArgKind(a);
    if (kind === 'ignore') return;
    const r = readReg(env, regno);
    if (kind === 'scalar' || kind === 'const') {
      if (r.type !== T.SCALAR) reject(idx, 'EINVAL', `R${regno} is not a scalar`);
      if (kind === 'const') {
        if (r.s.varOff.mask !== 0n) reject(idx, 'EINVAL', `R${regno} must be a known constant`);
        r.precise = true;
        markRegPrecise(env, regno);
        meta.constValue = r.s.varOff.value;
      }
      return;
    }
    if ((isKfuncTrustedArgs(fn) || isKfuncRcu(fn)) && (isNull(r) || r.flags & F.MAYBE_NULL)) {
      reject(idx, 'EACCES', `Possibly NULL pointer passed to trusted arg${i}`);
    }
    if (r.refObjId) {
      if (release && meta.refObjId) reject(idx, 'EFAULT', `verifier internal error: more than one arg with ref_obj_id R${regno} ${r.refObjId} ${meta.refObjId}`);
      meta.refObjId = r.refObjId;
      if (release) meta.releaseRegno = regno;
    }
    if ((kind === 'alloc' || kind === 'btf_id') && (isKfuncTrustedArgs(fn) || isKfuncRcu(fn)) && !isTrustedReg(r)) {
      if (!isKfuncRcu(fn)) reject(idx, 'EINVAL', `R${regno} must be referenced or trusted`);
      if (!(r.flags & F.RCU)) reject(idx, 'EINVAL', `R${regno} must be a rcu pointer`);
    }
    checkArgRegOff(env, r, regno, release && r.refObjId !== 0);
    switch (kind) {
      case 'alloc': {
        if (r.type === T.PTR_TO_BTF_ID && r.flags === F.MEM_ALLOC) {
          if (fn.name !== 'bpf_obj_drop_impl') reject(idx, 'EINVAL', `arg#${i} expected for bpf_obj_drop_impl()`);
        } else if (r.type === T.PTR_TO_BTF_ID && r.flags === (F.MEM_ALLOC | F.PERCPU)) {
          if (fn.name !== 'bpf_percpu_obj_drop_impl') reject(idx, 'EINVAL', `arg#${i} expected for bpf_percpu_obj_drop_impl()`);
        } else reject(idx, 'EINVAL', `arg#${i} expected pointer to allocated object`);
        if (!r.refObjId) reject(idx, 'EINVAL', 'allocated object must be referenced');
        meta.argBtfId = r.btfId;
        return;
      }
      case 'refcounted': {
        if (!isAllocObj(r)) reject(idx, 'EINVAL', `arg#${i} is neither owning or non-owning ref`);
        if (!isNonOwning(r)) meta.argOwningRef = true;
        const rec = regRecord(env, r);
        if (!rec) reject(idx, 'EFAULT', "verifier bug: Couldn't find btf_record");
        if (rec.refcountOff < 0) reject(idx, 'EINVAL', `arg#${i} doesn't point to a type with bpf_refcount field`);
        meta.argBtfId = r.btfId;
        return;
      }
      case 'list_head':
      case 'rb_root': {
        if (!(r.type === T.PTR_TO_MAP_VALUE && r.flags === 0) && !isPlainAlloc(r)) reject(idx, 'EINVAL', `arg#${i} expected pointer to map value or allocated object`);
        if (isPlainAlloc(r) && !r.refObjId) reject(idx, 'EINVAL', 'allocated object must be referenced');
        if (kind === 'list_head') processGraphRoot(env, r, regno, meta, BPF_LIST_HEAD, 'bpf_list_head');
        else processGraphRoot(env, r, regno, meta, BPF_RB_ROOT, 'bpf_rb_root');
        return;
      }
      case 'list_node':
        if (!isPlainAlloc(r)) reject(idx, 'EINVAL', `arg#${i} expected pointer to allocated object`);
        if (!r.refObjId) reject(idx, 'EINVAL', 'allocated object must be referenced');
        processGraphNode(env, r, regno, meta, BPF_LIST_NODE, 'bpf_list_node');
        return;
      case 'rb_node':
        if (fn.name === 'bpf_rbtree_add_impl') {
          if (!isPlainAlloc(r)) reject(idx, 'EINVAL', `arg#${i} expected pointer to allocated object`);
          if (!r.refObjId) reject(idx, 'EINVAL', 'allocated object must be referenced');
        } else {
          if (!isNonOwning(r) && !r.refObjId) reject(idx, 'EINVAL', `${fn.name} can only take non-owning or refcounted bpf_rb_node pointer`);
          if (inRbtreeLockRequiredCb(env)) reject(idx, 'EINVAL', `${fn.name} not allowed in rbtree cb`);
        }
        processGraphNode(env, r, regno, meta, BPF_RB_NODE, 'bpf_rb_node');
        return;
      case 'callback':
        if (r.type !== T.PTR_TO_FUNC) reject(idx, 'EINVAL', `arg${i} expected pointer to func`);
        meta.subprogno = r.subprog;
        return;
      default:
        return;
    }
  });
  if (release && !meta.releaseRegno) reject(idx, 'EINVAL', `release kernel function ${fn.name} expects refcounted PTR_TO_BTF_ID`);
  return meta;
}
