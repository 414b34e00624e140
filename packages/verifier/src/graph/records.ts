/**
 * Register predicates of graph-collections.md §3.1 and `reg_btf_record`: which
 * special-field record a pointer register points into (map value or local object).
 */
import type { BtfRecord } from '@bpfkit/btf';
import type { Env } from '../env.js';
import { F, T, type RegState } from '../types.js';

/** `type_is_ptr_alloc_obj`: PTR_TO_BTF_ID with MEM_ALLOC (owning or non-owning local kptr). */
export const isAllocObj = (r: RegState): boolean => r.type === T.PTR_TO_BTF_ID && (r.flags & F.MEM_ALLOC) !== 0;
/** `type_is_non_owning_ref`. */
export const isNonOwning = (r: RegState): boolean => isAllocObj(r) && (r.flags & F.NON_OWN_REF) !== 0;
/** Exactly `PTR_TO_BTF_ID | MEM_ALLOC` (the type an owning reference has after its NULL check). */
export const isPlainAlloc = (r: RegState): boolean => r.type === T.PTR_TO_BTF_ID && r.flags === F.MEM_ALLOC;

/** `btf_find_struct_meta(prog btf, id)->record`. */
export function localRecord(env: Env, btfId: number): BtfRecord | null {
  return env.input.structMetas?.get(btfId)?.record ?? null;
}

/** `reg_btf_record`: the record of a map value (exact type) or of a local object. */
export function regRecord(env: Env, r: RegState): BtfRecord | null {
  if (r.type === T.PTR_TO_MAP_VALUE && r.flags === 0) return r.map?.record ?? null;
  if (isAllocObj(r)) return localRecord(env, r.btfId);
  return null;
}

/** `reg_may_point_to_spin_lock`. */
export function mayPointToSpinLock(env: Env, r: RegState): boolean {
  if (r.type === T.PTR_TO_MAP_VALUE && r.flags === 0) return r.map?.spinLockOff !== undefined;
  const rec = regRecord(env, r);
  return !!rec && (rec.spinLockOff >= 0 || rec.resSpinLockOff >= 0);
}

/** Name of a program-BTF type (empty when unknown). */
export function btfName(env: Env, id: number): string {
  return env.input.btf?.types[id]?.name ?? '';
}
