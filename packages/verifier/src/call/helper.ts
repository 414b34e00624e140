/**
 * Helper calls (`check_helper_call`, verifier-core.md §11.1): availability,
 * license, arguments, map bookkeeping, references, callbacks, R0 from the
 * return kind (§11.4), return-range refinement, map/helper pairing and packet
 * pointer invalidation.
 */
import { helperName, type Insn } from '@bpfkit/isa';
import { mapTypeName } from '@bpfkit/object';
import { mapHelperCompatible, type HelperProto } from '@bpfkit/platform';
import { nextId, type Env } from '../env.js';
import { reject } from '../errors.js';
import { mapReg, notInit, ptrReg, scalarReg, unknownScalar } from '../reg.js';
import { scalarFromRange, scalarFromSignedRange } from '../scalar/index.js';
import { curFrame } from '../state.js';
import { F, T, type RegState } from '../types.js';
import { checkFuncArg } from './args.js';
import { clearAllPktPointers, clearCallerSaved } from './common.js';
import { pushCallbackCall } from './callback.js';
import { newMeta, type CallMeta } from './meta.js';
import { checkResourceLeak } from '../insn/exit.js';
import { inRcuCs } from '../graph/access.js';

const BPF_F_RDONLY_PROG = 0x80;
const MAP_WRITERS = new Set([2, 3, 87, 88]); // update, delete, push, pop
const GPL_LICENSES = new Set(['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL']);

export function licenseIsGpl(license: string | undefined): boolean {
  return GPL_LICENSES.has(license ?? '');
}

/** `release_reference`: drop the table entry and invalidate every register holding it. */
export function releaseReference(env: Env, refObjId: number): boolean {
  const st = env.cur;
  const k = st.refs.findIndex((r) => r.kind === 'ptr' && r.id === refObjId);
  if (k < 0) return false;
  st.refs.splice(k, 1);
  st.lastInval = { insn: env.insnIdx, why: 'released' };
  for (const f of st.frames) {
    f.regs.forEach((r, i) => {
      if (r.refObjId === refObjId) f.regs[i] = unknownScalar();
    });
    for (const sl of f.stack) if (sl.spilled && sl.spilled.refObjId === refObjId) sl.spilled = unknownScalar();
  }
  return true;
}

/**
 * bpf_kptr_xchg's source inside an RCU section: copies of a per-CPU local kptr stay usable as
 * `MEM_RCU` pointers (without the reference); every other copy is invalidated (graph-collections.md §2.5).
 */
function releaseKptrXchgSource(env: Env, refObjId: number): boolean {
  const st = env.cur;
  const k = st.refs.findIndex((r) => r.kind === 'ptr' && r.id === refObjId);
  if (k < 0) return false;
  st.refs.splice(k, 1);
  st.lastInval = { insn: env.insnIdx, why: 'released' };
  const fix = (r: RegState): RegState => {
    if (r.refObjId !== refObjId) return r;
    if (r.flags & F.MEM_ALLOC && r.flags & F.PERCPU) {
      r.refObjId = 0;
      r.flags = (r.flags & ~F.MEM_ALLOC) | F.RCU;
      return r;
    }
    return unknownScalar();
  };
  for (const f of st.frames) {
    f.regs.forEach((r, i) => {
      f.regs[i] = fix(r);
    });
    for (const sl of f.stack) if (sl.spilled) sl.spilled = fix(sl.spilled);
  }
  return true;
}

/** `acquire_reference`: a fresh id in the reference table. */
export function acquireReference(env: Env): number {
  const id = nextId(env);
  env.cur.refs.push({ id, insn: env.insnIdx, kind: 'ptr' });
  return id;
}

function r0FromReturn(env: Env, fn: HelperProto, meta: CallMeta): RegState {
  const maybeNull = fn.ret.endsWith('_OR_NULL') || (fn.retFlags?.includes('PTR_MAYBE_NULL') ?? false);
  const nullFlag = maybeNull ? F.MAYBE_NULL : 0;
  switch (fn.ret) {
    case 'RET_INTEGER':
      return unknownScalar();
    case 'RET_VOID':
      return notInit();
    case 'RET_PTR_TO_MAP_VALUE':
    case 'RET_PTR_TO_MAP_VALUE_OR_NULL': {
      const map = meta.map;
      if (!map) reject(env.insnIdx, 'EINVAL', 'kernel subsystem misconfigured verifier');
      let flags = nullFlag;
      if (fn.id === 1 && (map.type === 2 || map.type === 6) && meta.constMapKey >= 0n && meta.constMapKey < BigInt(map.maxEntries)) {
        flags &= ~F.MAYBE_NULL;
      }
      const r = mapReg(T.PTR_TO_MAP_VALUE, map, flags);
      if (!(flags & F.MAYBE_NULL) && map.spinLockOff !== undefined) r.id = nextId(env);
      return r;
    }
    case 'RET_PTR_TO_SOCKET_OR_NULL':
      return ptrReg(T.PTR_TO_SOCKET, nullFlag);
    case 'RET_PTR_TO_TCP_SOCK_OR_NULL':
      return ptrReg(T.PTR_TO_TCP_SOCK, nullFlag);
    case 'RET_PTR_TO_SOCK_COMMON_OR_NULL':
      return ptrReg(T.PTR_TO_SOCK_COMMON, nullFlag);
    case 'RET_PTR_TO_RINGBUF_MEM_OR_NULL':
    case 'RET_PTR_TO_DYNPTR_MEM_OR_NULL': {
      const r = ptrReg(T.PTR_TO_MEM, nullFlag | (fn.ret === 'RET_PTR_TO_RINGBUF_MEM_OR_NULL' ? F.RINGBUF : 0));
      r.memSize = meta.memSize;
      return r;
    }
    case 'RET_PTR_TO_BTF_ID':
    case 'RET_PTR_TO_BTF_ID_OR_NULL':
    case 'RET_PTR_TO_BTF_ID_TRUSTED': {
      const r = ptrReg(T.PTR_TO_BTF_ID, nullFlag | (fn.ret === 'RET_PTR_TO_BTF_ID_TRUSTED' ? F.TRUSTED : 0));
      if (fn.id === 194) {
        r.btfId = meta.kptrBtfId;
        if (meta.kptrLocal) r.flags |= F.MEM_ALLOC | (meta.kptrPercpu ? F.PERCPU : 0);
      }
      return r;
    }
    case 'RET_PTR_TO_MEM_OR_BTF_ID': {
      const r = ptrReg(T.PTR_TO_MEM, nullFlag | (fn.retFlags?.includes('MEM_RDONLY') ? F.RDONLY : 0));
      r.memSize = meta.memSize;
      return r;
    }
  }
}

/** `do_refine_retval_range`. */
function refineRetval(env: Env, r0: RegState, fn: HelperProto, meta: CallMeta): void {
  if (r0.type !== T.SCALAR || !fn.retRange) return;
  if (fn.retRange.kind === 'cpu_id') {
    r0.s = scalarFromRange(0n, BigInt(env.platform.limits.nrCpuIds - 1));
  } else {
    r0.s = scalarFromSignedRange(-BigInt(env.platform.limits.maxErrno), meta.msizeMaxValue);
  }
}

export function checkHelperCall(env: Env, insn: Insn): void {
  const idx = env.insnIdx;
  const id = insn.imm;
  const fnName = helperName(id);
  if (id < 0 || id >= env.platform.helperIdCount || fnName === undefined) {
    reject(idx, 'EINVAL', `invalid func ${fnName ?? 'unknown'}#${id}`);
  }
  // get_func_proto: the program type's own prototype when it differs, available per expected attach type
  const attach = env.input.attachType;
  const fn = env.progType.helperVariant(id, attach) ?? env.platform.helper(id);
  if (!fn || !env.progType.helperAllowed(id, undefined, attach)) reject(idx, 'EINVAL', `program of this type cannot use helper ${fnName}#${id}`);
  if (fn.gplOnly && !licenseIsGpl(env.input.license)) {
    reject(idx, 'EINVAL', 'cannot call GPL-restricted function from non-GPL compatible program');
  }
  // the prototype's allowed() hook
  if (fn.allowedIn && !fn.allowedIn.includes(env.progType.name)) reject(idx, 'EINVAL', 'helper call is not allowed in probe');
  // check_get_func_ip: kprobes and fentry-style tracing programs only
  if (id === 173 && env.progType.name !== 'BPF_PROG_TYPE_KPROBE' && env.progType.name !== 'BPF_PROG_TYPE_TRACING') {
    reject(idx, 'ENOTSUPP', `func ${fnName}#${id} not supported for program type ${env.progType.id}`);
  }
  if (fn.mightSleep && ((env.input.progFlags ?? 0) & 16) === 0) reject(idx, 'EINVAL', 'helper call might sleep in a non-sleepable prog');
  if (fn.changesPktData && fn.args[0]?.kind !== 'ARG_PTR_TO_CTX') {
    reject(idx, 'EINVAL', `kernel subsystem misconfigured func ${fnName}#${id}: r1 != ctx`);
  }
  const meta = newMeta(fn);
  for (let i = 0; i < 5; i++) checkFuncArg(env, i, meta);
  // record_func_map
  if (meta.map && (meta.map.flags & BPF_F_RDONLY_PROG) && MAP_WRITERS.has(id)) reject(idx, 'EACCES', 'write into map forbidden');
  // record_func_key
  if (id === 12 && meta.map?.type !== 3) reject(idx, 'EINVAL', 'expected prog array map for tail call');
  const regs = curFrame(env.cur).regs;
  if (meta.releaseRegno) {
    let ok = false;
    if (meta.refObjId && id === 194 && inRcuCs(env)) ok = releaseKptrXchgSource(env, meta.refObjId);
    else if (meta.refObjId) ok = releaseReference(env, meta.refObjId);
    else if (regs[meta.releaseRegno]!.type === T.SCALAR && regs[meta.releaseRegno]!.s.varOff.mask === 0n && regs[meta.releaseRegno]!.s.varOff.value === 0n) ok = true;
    if (!ok) reject(idx, 'EINVAL', `func ${fnName}#${id} reference has not been acquired before`);
  }
  if (id === 12) checkResourceLeak(env, false, 'tail_call');
  if (fn.callback && fn.callback.mode === 'sync') pushCallbackCall(env, insn, meta);
  clearCallerSaved(env, regs);
  const r0 = r0FromReturn(env, fn, meta);
  if ((r0.flags & F.MAYBE_NULL) !== 0) r0.id = nextId(env);
  if (fn.acquires) {
    const ref = acquireReference(env);
    r0.id = ref;
    r0.refObjId = ref;
  }
  refineRetval(env, r0, fn, meta);
  regs[0] = r0;
  env.scratchRegs |= 1;
  if (meta.map && !mapHelperCompatible(mapTypeName(meta.map.type), id)) {
    reject(idx, 'EINVAL', `cannot pass map_type ${meta.map.type} into func ${fnName}#${id}`);
  }
  if (fn.changesPktData) clearAllPktPointers(env.cur);
}

export { scalarReg };
