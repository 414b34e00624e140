/**
 * Kfunc calls (src 2): the graph-collection family (allocation, lists, rbtrees, refcounts,
 * RCU sections) is verified by `graph/kfunc-call.ts`; any other kfunc is refused with the
 * kernel's message for a kfunc that is not registered for the program (graph-collections.md §2.1).
 */
import type { Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { checkGraphKfuncCall, isGraphFamilyKfunc } from '../graph/kfunc-call.js';

export function checkKfuncCall(env: Env, insn: Insn): void {
  const name = env.input.kfuncName?.(insn);
  if (name === undefined) reject(env.insnIdx, 'EINVAL', `kernel btf_id ${insn.imm} is not a function`);
  const fn = insn.off === 0 ? env.platform.kfuncByBtfId(insn.imm) : undefined;
  if (fn && fn.name === name && isGraphFamilyKfunc(fn)) return checkGraphKfuncCall(env, insn, fn);
  reject(env.insnIdx, 'EACCES', `calling kernel function ${name} is not allowed`);
}

/** `kfunc_spin_allowed`: graph API kfuncs, bpf_refcount_acquire and the numeric iterators may run under a lock. */
export function kfuncSpinAllowed(env: Env, insn: Insn): boolean {
  if (insn.off !== 0) return false;
  const fn = env.platform.kfuncByBtfId(insn.imm);
  return !!fn && fn.lock !== undefined && fn.lock !== 'forbidden';
}
