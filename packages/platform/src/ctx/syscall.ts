/**
 * `BPF_PROG_TYPE_SYSCALL` ctx: a user-supplied blob without conversion. From memory of
 * `syscall_prog_is_valid_access` (verifier-core.md §9.6 says the same, also from memory):
 * `0 <= off < U16_MAX` and `off % size == 0`; reads and writes alike.
 */
import type { CtxAccessOptions, CtxAccessResult } from '../types.js';

export const SYSCALL_CTX_MAX = 0xffff;

export function checkSyscallCtx(off: number, size: number, _write: boolean, _opts: CtxAccessOptions): CtxAccessResult {
  if (off < 0 || off >= SYSCALL_CTX_MAX) return { ok: false };
  if (off % size !== 0) return { ok: false };
  return { ok: true, kind: 'scalar' };
}
