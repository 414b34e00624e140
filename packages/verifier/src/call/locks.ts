/**
 * `bpf_spin_lock` / `bpf_spin_unlock` (`process_spin_lock`) and the
 * `bpf_kptr_xchg` destination (`process_kptr_func`), graph-collections.md §2.4–2.5.
 * Lock identity: the map value's id when it has one, else the map itself.
 */
import { BPF_KPTR, BPF_KPTR_PERCPU, BPF_KPTR_REF, BPF_KPTR_UNREF } from '@bpfkit/btf';
import type { Env } from '../env.js';
import { reject, rejectWith } from '../errors.js';
import { inRbtreeLockRequiredCb } from '../graph/callback.js';
import { invalidateNonOwningRefs } from '../graph/ownership.js';
import { isAllocObj, localRecord } from '../graph/records.js';
import { T, type RegState } from '../types.js';
import type { CallMeta } from './meta.js';

const LOCK_BY_MAP = 1 << 30;
const LOCK_BY_BTF = 1 << 29;

/**
 * The number stored in `VState.activeLock` for the allocation `r` points into: the kernel's
 * `(ptr, id)` pair, where ptr is the map (map values) or the program BTF (local objects).
 * Ids are unique per run, so a non-zero id alone identifies the allocation.
 */
export function lockIdentity(r: RegState): number {
  if (r.id) return r.id;
  return r.type === T.PTR_TO_MAP_VALUE ? LOCK_BY_MAP + (r.map?.index ?? 0) : LOCK_BY_BTF;
}

export function processSpinLock(env: Env, regno: number, r: RegState, isLock: boolean): void {
  const idx = env.insnIdx;
  if (inRbtreeLockRequiredCb(env)) reject(idx, 'EACCES', "can't spin_{lock,unlock} in rbtree cb");
  if (r.s.varOff.mask !== 0n) {
    reject(idx, 'EINVAL', `R${regno} doesn't have constant offset. bpf_spin_lock has to be at the constant offset`);
  }
  const map = r.type === T.PTR_TO_MAP_VALUE ? r.map : undefined;
  if (map && !map.btfValueTypeId) reject(idx, 'EINVAL', `map '${map.name}' has to have BTF in order to use bpf_spin_lock`);
  let lockOff = map?.spinLockOff;
  if (!map && isAllocObj(r)) {
    const rec = localRecord(env, r.btfId);
    if (rec && rec.spinLockOff >= 0) lockOff = rec.spinLockOff;
  }
  if (lockOff === undefined) reject(idx, 'EINVAL', map ? `map '${map.name}' has no valid bpf_spin_lock` : `local 'kptr' has no valid bpf_spin_lock`);
  const off = BigInt.asIntN(64, r.s.varOff.value) + BigInt(r.off);
  if (off !== BigInt(lockOff)) reject(idx, 'EINVAL', `off ${off} doesn't point to 'struct bpf_spin_lock' that is at ${lockOff}`);
  const st = env.cur;
  if (isLock) {
    if (st.activeLock) rejectWith(idx, 'EINVAL', [{ insn: st.lockInsn, role: 'lock taken' }], 'Locking two bpf_spin_locks are not allowed');
    st.activeLock = lockIdentity(r);
    st.lockInsn = idx;
    st.refs.push({ id: r.id, insn: idx, kind: 'lock' });
    return;
  }
  if (!st.activeLock) reject(idx, 'EINVAL', 'bpf_spin_unlock without taking a lock');
  if (st.activeLock !== lockIdentity(r)) rejectWith(idx, 'EINVAL', [{ insn: st.lockInsn, role: 'lock taken' }], 'bpf_spin_unlock of different lock');
  st.activeLock = 0;
  st.lockInsn = -1;
  const k = st.refs.findIndex((x) => x.kind === 'lock');
  if (k >= 0) st.refs.splice(k, 1);
  invalidateNonOwningRefs(env);
}

export function processKptrXchgDest(env: Env, regno: number, r: RegState, meta: CallMeta): void {
  const idx = env.insnIdx;
  const map = r.type === T.PTR_TO_MAP_VALUE ? r.map : undefined;
  if (map && !map.btfValueTypeId) reject(idx, 'EINVAL', `map '${map.name}' has to have BTF in order to use bpf_kptr_xchg`);
  if (r.s.varOff.mask !== 0n) {
    reject(idx, 'EINVAL', `R${regno} doesn't have constant offset. kptr has to be at the constant offset`);
  }
  const rec = map ? map.record : isAllocObj(r) ? localRecord(env, r.btfId) : null;
  const kptrs = rec ? rec.fields.filter((f) => f.type & BPF_KPTR) : (map?.kptrs ?? []).map((k) => ({ offset: k.off, type: k.referenced ? BPF_KPTR_REF : BPF_KPTR_UNREF, kptr: { typeId: k.btfId, local: true } }));
  if (kptrs.length === 0) reject(idx, 'EINVAL', `R${regno} has no valid kptr`);
  const off = r.off + Number(BigInt.asIntN(64, r.s.varOff.value));
  const field = kptrs.find((k) => k.offset === off);
  if (!field) reject(idx, 'EINVAL', `off=${off} doesn't point to kptr`);
  if (field.type !== BPF_KPTR_REF && field.type !== BPF_KPTR_PERCPU) reject(idx, 'EINVAL', `off=${off} kptr isn't referenced kptr`);
  meta.kptrBtfId = field.kptr?.typeId ?? 0;
  meta.kptrLocal = field.kptr?.local ?? true;
  meta.kptrPercpu = field.type === BPF_KPTR_PERCPU;
  if (map) meta.map = map;
}
