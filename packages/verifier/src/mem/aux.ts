/** Per-instruction pointer-type memory (`save_aux_ptr_type`, verifier-core.md §2.3). */
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { T, type RegState } from '../types.js';

/** Types that may not share one load/store instruction with another type. */
const MISMATCH_NOT_OK = new Set<number>([
  T.PTR_TO_CTX, T.PTR_TO_SOCKET, T.PTR_TO_SOCK_COMMON, T.PTR_TO_TCP_SOCK, T.PTR_TO_XDP_SOCK, T.PTR_TO_BTF_ID, T.PTR_TO_ARENA,
]);

interface SeenType {
  type: number;
  flags: number;
}

const seen = new WeakMap<Env, Map<number, SeenType>>();

/**
 * Remembers the base register's type for this instruction; a later path with
 * a different type fails when either is ctx, a socket, `ptr_` or arena. Two
 * BTF pointer flavours on a load (`allowTrustMismatch`) merge to untrusted.
 */
export function saveAuxPtrType(env: Env, reg: RegState, allowTrustMismatch: boolean): void {
  let m = seen.get(env);
  if (!m) seen.set(env, (m = new Map()));
  const prev = m.get(env.insnIdx);
  if (!prev) {
    m.set(env.insnIdx, { type: reg.type, flags: reg.flags });
    return;
  }
  const same = prev.type === reg.type && prev.flags === reg.flags;
  if (same || (!MISMATCH_NOT_OK.has(prev.type) && !MISMATCH_NOT_OK.has(reg.type))) return;
  if (allowTrustMismatch && prev.type === T.PTR_TO_BTF_ID && reg.type === T.PTR_TO_BTF_ID) return;
  reject(env.insnIdx, 'EINVAL', 'same insn cannot be used with different pointers');
}
