/**
 * `bpf_spin_lock` / `bpf_spin_unlock` (`process_spin_lock`) and the
 * `bpf_kptr_xchg` destination (`process_kptr_func`), graph-collections.md §2.4–2.5.
 * Lock identity: the map value's id when it has one, else the map itself.
 */
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { T, type RegState } from '../types.js';
import type { CallMeta } from './meta.js';

const LOCK_BY_MAP = 1 << 30;

/** The number stored in `VState.activeLock` for the lock `r` points at. */
export function lockIdentity(r: RegState): number {
  return r.id ? r.id : LOCK_BY_MAP + (r.map?.index ?? 0);
}

export function processSpinLock(env: Env, regno: number, r: RegState, isLock: boolean): void {
  const idx = env.insnIdx;
  if (r.s.varOff.mask !== 0n) {
    reject(idx, 'EINVAL', `R${regno} doesn't have constant offset. bpf_spin_lock has to be at the constant offset`);
  }
  const map = r.type === T.PTR_TO_MAP_VALUE ? r.map : undefined;
  if (map && !map.btfValueTypeId) reject(idx, 'EINVAL', `map '${map.name}' has to have BTF in order to use bpf_spin_lock`);
  const lockOff = map?.spinLockOff;
  if (lockOff === undefined) reject(idx, 'EINVAL', map ? `map '${map.name}' has no valid bpf_spin_lock` : `local 'kptr' has no valid bpf_spin_lock`);
  const off = BigInt.asIntN(64, r.s.varOff.value) + BigInt(r.off);
  if (off !== BigInt(lockOff)) reject(idx, 'EINVAL', `off ${off} doesn't point to 'struct bpf_spin_lock' that is at ${lockOff}`);
  const st = env.cur;
  if (isLock) {
    if (st.activeLock) reject(idx, 'EINVAL', 'Locking two bpf_spin_locks are not allowed');
    st.activeLock = lockIdentity(r);
    return;
  }
  if (!st.activeLock) reject(idx, 'EINVAL', 'bpf_spin_unlock without taking a lock');
  if (st.activeLock !== lockIdentity(r)) reject(idx, 'EINVAL', 'bpf_spin_unlock of different lock');
  st.activeLock = 0;
}

export function processKptrXchgDest(env: Env, regno: number, r: RegState, meta: CallMeta): void {
  const idx = env.insnIdx;
  const map = r.type === T.PTR_TO_MAP_VALUE ? r.map : undefined;
  if (map && !map.btfValueTypeId) reject(idx, 'EINVAL', `map '${map.name}' has to have BTF in order to use bpf_kptr_xchg`);
  if (r.s.varOff.mask !== 0n) {
    reject(idx, 'EINVAL', `R${regno} doesn't have constant offset. kptr has to be at the constant offset`);
  }
  const kptrs = map?.kptrs ?? [];
  if (kptrs.length === 0) reject(idx, 'EINVAL', `R${regno} has no valid kptr`);
  const off = r.off + Number(BigInt.asIntN(64, r.s.varOff.value));
  const field = kptrs.find((k) => k.off === off);
  if (!field) reject(idx, 'EINVAL', `off=${off} doesn't point to kptr`);
  if (!field.referenced) reject(idx, 'EINVAL', `off=${off} kptr isn't referenced kptr`);
  meta.kptrBtfId = field.btfId;
  if (map) meta.map = map;
}
