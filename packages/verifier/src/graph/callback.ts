/**
 * The `less` callback of `bpf_rbtree_add_impl` (graph-collections.md §3.5): verified as a
 * synchronous callback with the caller's lock still held and R1/R2 non-owning node
 * pointers of the root's element type; `in_rbtree_lock_required_cb` for the rules inside it.
 */
import type { Insn } from '@bpfkit/isa';
import type { BtfField } from '@bpfkit/btf';
import type { Env } from '../env.js';
import { notInit, ptrReg } from '../reg.js';
import { pushSyncCallback } from '../call/callback.js';
import { F, T, type RegState } from '../types.js';
import { refSetNonOwning } from './ownership.js';

/** Kfuncs whose callback runs with the graph lock held (`is_rbtree_lock_required_kfunc`). */
export function isRbtreeLockRequiredKfunc(env: Env, btfId: number): boolean {
  return env.platform.kfuncByBtfId(btfId)?.name === 'bpf_rbtree_add_impl';
}

/** `in_rbtree_lock_required_cb`: the current frame is the `less` callback of bpf_rbtree_add. */
export function inRbtreeLockRequiredCb(env: Env): boolean {
  const st = env.cur;
  if (st.frames.length < 2) return false;
  const callee = st.frames[st.frames.length - 1]!;
  if (!callee.inCallback) return false;
  const insn = env.prog.insns[callee.callsite];
  return !!insn && insn.src === 2 && isRbtreeLockRequiredKfunc(env, insn.imm);
}

/** `mark_reg_graph_node`: an allocated-object pointer at the node member of the root's element type. */
export function graphNodeReg(root: BtfField): RegState {
  const r = ptrReg(T.PTR_TO_BTF_ID, F.MEM_ALLOC);
  r.btfId = root.graphRoot!.valueBtfId;
  r.off = root.graphRoot!.nodeOffset;
  return r;
}

/** `push_callback_call(..., set_rbtree_add_callback_state)`. */
export function pushRbtreeLessCallback(env: Env, insn: Insn, subprog: number, root: BtfField): void {
  pushSyncCallback(env, insn, subprog, (callee) => {
    for (const k of [1, 2]) {
      const r = graphNodeReg(root);
      refSetNonOwning(env, r);
      callee.regs[k] = r;
    }
    for (const k of [3, 4, 5]) callee.regs[k] = notInit();
  });
}
