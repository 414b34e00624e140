/**
 * Kfunc calls of the graph-collection family (`check_kfunc_call`, graph-collections.md §2.1,
 * §3.2–3.5): arguments, the `less` callback of bpf_rbtree_add, RCU read-side sections,
 * release and owning → non-owning conversion, then R0 (`check_special_kfunc`).
 */
import type { Insn } from '@bpfkit/isa';
import type { KfuncProto } from '@bpfkit/platform';
import { nextId, type Env } from '../env.js';
import { reject } from '../errors.js';
import { notInit, ptrReg, unknownScalar } from '../reg.js';
import { curFrame } from '../state.js';
import { F, T, type RegState } from '../types.js';
import { acquireReference, releaseReference } from '../call/helper.js';
import { clearCallerSaved } from '../call/common.js';
import { graphNodeReg, inRbtreeLockRequiredCb, pushRbtreeLessCallback } from './callback.js';
import { checkKfuncArgs, type KfuncMeta } from './kfunc-args.js';
import { refConvertOwningNonOwning, refSetNonOwning } from './ownership.js';
import { mayPointToSpinLock } from './records.js';
import { checkObjNewType } from './obj-new.js';

const U32_MAX = 0xffffffffn;

/** The kfuncs this module verifies (the graph family and RCU sections). */
export function isGraphFamilyKfunc(fn: KfuncProto): boolean {
  return fn.group === 'alloc' || fn.group === 'graph' || fn.group === 'rcu';
}

const has = (fn: KfuncProto, f: string): boolean => (fn.flags as readonly string[]).includes(f);

function rcuSection(env: Env, fn: KfuncProto): void {
  const lock = fn.name === 'bpf_rcu_read_lock';
  const unlock = fn.name === 'bpf_rcu_read_unlock';
  if (!lock && !unlock) return;
  const st = env.cur;
  const k = st.refs.findIndex((r) => r.kind === 'rcu');
  if (k >= 0) {
    if (inRbtreeLockRequiredCb(env)) reject(env.insnIdx, 'EACCES', 'Calling bpf_rcu_read_{lock,unlock} in unnecessary rbtree callback');
    if (lock) reject(env.insnIdx, 'EINVAL', `nested rcu read lock (kernel function ${fn.name})`);
    // MEM_RCU pointers become untrusted outside the section
    for (const f of st.frames) {
      const visit = (r: RegState) => {
        if (r.flags & F.RCU) r.flags = (r.flags & ~(F.RCU | F.MAYBE_NULL)) | F.UNTRUSTED;
      };
      f.regs.forEach(visit);
      for (const sl of f.stack) if (sl.spilled) visit(sl.spilled);
    }
    st.refs.splice(k, 1);
  } else if (lock) {
    st.refs.push({ id: 0, insn: env.insnIdx, kind: 'rcu' });
  } else {
    reject(env.insnIdx, 'EINVAL', `unmatched rcu read unlock (kernel function ${fn.name})`);
  }
}

/** R0 of a kfunc returning a pointer (`check_special_kfunc` and the generic tail). */
function pointerResult(env: Env, fn: KfuncProto, meta: KfuncMeta): RegState {
  const idx = env.insnIdx;
  let r: RegState;
  let retNull = has(fn, 'KF_RET_NULL');
  switch (fn.name) {
    case 'bpf_obj_new_impl':
    case 'bpf_percpu_obj_new_impl': {
      const v = meta.constValue ?? 0n;
      if (v > U32_MAX) reject(idx, 'EINVAL', 'local type ID argument must be in range [0, U32_MAX]');
      const typeId = Number(v);
      const percpu = fn.name === 'bpf_percpu_obj_new_impl';
      checkObjNewType(env, typeId, percpu);
      r = ptrReg(T.PTR_TO_BTF_ID, F.MEM_ALLOC | (percpu ? F.PERCPU : 0));
      r.btfId = typeId;
      break;
    }
    case 'bpf_refcount_acquire_impl':
      r = ptrReg(T.PTR_TO_BTF_ID, F.MEM_ALLOC);
      r.btfId = meta.argBtfId;
      if (meta.argOwningRef) retNull = false;
      break;
    default:
      if (meta.rootField) {
        r = graphNodeReg(meta.rootField);
        break;
      }
      reject(idx, 'EINVAL', `calling kernel function ${fn.name} is not allowed`);
  }
  if (retNull) {
    r.flags |= F.MAYBE_NULL;
    r.id = nextId(env);
  }
  if (has(fn, 'KF_ACQUIRE')) {
    const id = acquireReference(env);
    if (retNull) r.id = id;
    r.refObjId = id;
  } else if (meta.rootField) {
    refSetNonOwning(env, r);
  }
  if (!r.id && mayPointToSpinLock(env, r)) r.id = nextId(env);
  return r;
}

export function checkGraphKfuncCall(env: Env, insn: Insn, fn: KfuncProto): void {
  const idx = env.insnIdx;
  const meta = checkKfuncArgs(env, fn);
  if (fn.name === 'bpf_rbtree_add_impl') pushRbtreeLessCallback(env, insn, meta.subprogno, meta.rootField!);
  rcuSection(env, fn);
  const regs = curFrame(env.cur).regs;
  if (meta.releaseRegno) {
    if (!releaseReference(env, regs[meta.releaseRegno]!.refObjId)) reject(idx, 'EINVAL', `kfunc ${fn.name}#${insn.imm} reference has not been acquired before`);
  }
  if (fn.name === 'bpf_list_push_front_impl' || fn.name === 'bpf_list_push_back_impl' || fn.name === 'bpf_rbtree_add_impl') {
    const refId = regs[2]!.refObjId;
    if (!refConvertOwningNonOwning(env, refId)) reject(idx, 'EFAULT', `kfunc ${fn.name}#${insn.imm} conversion of owning ref to non-owning failed`);
    if (!releaseReference(env, refId)) reject(idx, 'EINVAL', `kfunc ${fn.name}#${insn.imm} reference has not been acquired before`);
    // the release above is a conversion: the object stays usable until the unlock
    env.cur.lastInval = undefined;
    env.cur.lastConvert = idx;
  }
  clearCallerSaved(env, regs);
  env.scratchRegs |= 1;
  if (fn.ret === 'void') regs[0] = notInit();
  else if (!fn.ret.includes('*')) regs[0] = unknownScalar();
  else regs[0] = pointerResult(env, fn, meta);
}
