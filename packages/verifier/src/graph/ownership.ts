/**
 * Owning / non-owning transitions (graph-collections.md §3.4):
 * `ref_convert_owning_non_owning` on push/add, `ref_set_non_owning` for
 * front/back/first/root/left/right results, `invalidate_non_owning_refs` at unlock.
 */
import type { Env } from '../env.js';
import { rejectWith } from '../errors.js';
import { unknownScalar } from '../reg.js';
import { F, type RegState } from '../types.js';
import { isNonOwning, localRecord } from './records.js';

/** `ref_set_non_owning`: the register becomes a non-owning ref (+MEM_RCU for refcounted types). */
export function refSetNonOwning(env: Env, r: RegState): void {
  if (!env.cur.activeLock) rejectWith(env.insnIdx, 'EFAULT', [], 'verifier internal error: ref_set_non_owning w/o active lock');
  if (r.flags & F.NON_OWN_REF) rejectWith(env.insnIdx, 'EFAULT', [], 'verifier internal error: NON_OWN_REF already set');
  r.flags |= F.NON_OWN_REF;
  const rec = localRecord(env, r.btfId);
  if (rec && rec.refcountOff >= 0) r.flags |= F.RCU;
}

/** `ref_convert_owning_non_owning`: every copy of reference `refObjId` loses it and becomes non-owning. */
export function refConvertOwningNonOwning(env: Env, refObjId: number): boolean {
  const st = env.cur;
  if (!st.refs.some((r) => r.kind === 'ptr' && r.id === refObjId)) return false;
  for (const f of st.frames) {
    const visit = (r: RegState) => {
      if (r.refObjId !== refObjId) return;
      r.refObjId = 0;
      refSetNonOwning(env, r);
    };
    f.regs.forEach(visit);
    for (const sl of f.stack) if (sl.spilled) visit(sl.spilled);
  }
  return true;
}

/** `invalidate_non_owning_refs`: at bpf_spin_unlock every non-owning ref becomes an unknown scalar. */
export function invalidateNonOwningRefs(env: Env): void {
  const st = env.cur;
  let any = false;
  for (const f of st.frames) {
    f.regs.forEach((r, i) => {
      if (isNonOwning(r)) {
        f.regs[i] = unknownScalar();
        any = true;
      }
    });
    for (const sl of f.stack) {
      if (sl.spilled && isNonOwning(sl.spilled)) {
        sl.spilled = unknownScalar();
        any = true;
      }
    }
  }
  if (any) st.lastInval = { insn: env.insnIdx, why: 'unlocked' };
}
