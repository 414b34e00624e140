/**
 * Kfunc calls (src 2): the graph-collection family (allocation, lists, rbtrees, refcounts,
 * RCU sections) is verified by `graph/kfunc-call.ts`; any other kfunc is refused with the
 * kernel's message for a kfunc that is not registered for the program (graph-collections.md §2.1).
 */
import type { Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { checkGraphKfuncCall, isGraphFamilyKfunc } from '../graph/kfunc-call.js';
import { checkIterKfuncCall } from '../loops.js';

/**
 * Program types whose kfunc hook has `generic_kfunc_set` (allocation, lists, rbtrees, refcounts) registered
 * (kernel/bpf/helpers.c; tracepoint, perf_event and lsm share the tracing hook). The RCU kfuncs are common to all.
 */
const GENERIC_KFUNC_PROG_TYPES = new Set([
  'BPF_PROG_TYPE_TRACING', 'BPF_PROG_TYPE_TRACEPOINT', 'BPF_PROG_TYPE_PERF_EVENT', 'BPF_PROG_TYPE_LSM', 'BPF_PROG_TYPE_SCHED_CLS',
  'BPF_PROG_TYPE_XDP', 'BPF_PROG_TYPE_STRUCT_OPS', 'BPF_PROG_TYPE_SYSCALL', 'BPF_PROG_TYPE_CGROUP_SKB',
]);

export function checkKfuncCall(env: Env, insn: Insn): void {
  const name = env.input.kfuncName?.(insn);
  if (name === undefined) reject(env.insnIdx, 'EINVAL', `kernel btf_id ${insn.imm} is not a function`);
  const fn = insn.off === 0 ? env.platform.kfuncByBtfId(insn.imm) : undefined;
  if (fn && fn.name === name && fn.group === 'iter') return checkIterKfuncCall(env, insn, fn);
  if (fn && fn.name === name && isGraphFamilyKfunc(fn) && (fn.group === 'rcu' || GENERIC_KFUNC_PROG_TYPES.has(env.progType.name))) {
    return checkGraphKfuncCall(env, insn, fn);
  }
  reject(env.insnIdx, 'EACCES', `calling kernel function ${name} is not allowed`);
}

/** `kfunc_spin_allowed`: graph API kfuncs, bpf_refcount_acquire and the numeric iterators may run under a lock. */
export function kfuncSpinAllowed(env: Env, insn: Insn): boolean {
  if (insn.off !== 0) return false;
  const fn = env.platform.kfuncByBtfId(insn.imm);
  return !!fn && fn.lock !== undefined && fn.lock !== 'forbidden';
}
