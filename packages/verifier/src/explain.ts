/**
 * Beyond Linux: a plain-English explanation for each class of rejection
 * (graph-collections.md §4, verifier-core.md) and the instructions behind it
 * (where a leaked reference was acquired, where the lock was taken, where a
 * pointer was invalidated). Linux's own line stays the error message.
 */
import { sourceLineAt, type Env } from './env.js';
import type { Reject } from './errors.js';
import { curFrame } from './state.js';
import type { RelatedInsn } from './types.js';

const RULES: readonly [RegExp, string][] = [
  [/^Unreleased reference id=/, 'An object this program acquired (bpf_obj_new, a pop/remove, bpf_refcount_acquire, bpf_kptr_xchg, …) is still owned when the program exits: drop it with bpf_obj_drop, push/add it into a collection, or stash it with bpf_kptr_xchg on every path.'],
  [/^expected an initialized iter_\w+ as arg #\d+/, 'The iterator is used before bpf_iter_num_new created it, after bpf_iter_num_destroy, or after its stack slot was overwritten: create it with bpf_iter_num_new first and keep its slot untouched.'],
  [/^expected uninitialized iter_\w+ as arg #\d+/, 'bpf_iter_num_new is given a stack slot that already holds a live iterator: destroy it first or use another slot.'],
  [/^(arg#\d+ expected pointer to an iterator on stack|iter has to be at a constant offset|cannot pass in iter at an offset=)/, 'An iterator is a struct bpf_iter_num on the program stack, 8-byte aligned, passed by its constant address.'],
  [/^bpf_spin_lock at off=\d+ must be held for bpf_(list_head|rb_root)/, 'Every list/rbtree operation must run while the bpf_spin_lock of the same allocation (the map value, global section or object holding the root) is held.'],
  [/^held lock and object are not in the same allocation/, 'The lock that is held protects a different allocation: take the bpf_spin_lock that sits next to this list head / rb root (same map value lookup, same section, same object).'],
  [/^function calls are not allowed while holding a lock/, 'Inside a bpf_spin_lock critical section only bpf_spin_unlock, the list/rbtree kfuncs and bpf_refcount_acquire may be called; allocate, drop, stash (bpf_kptr_xchg) and call helpers outside the lock.'],
  [/^global function calls are not allowed while holding a lock/, 'A global function is verified on its own and cannot see the held lock: use a static function inside the critical section.'],
  [/cannot be used inside bpf_spin_lock-ed region/, 'The program leaves (or tail-calls / uses LD_ABS) while a bpf_spin_lock is still held: unlock on every path first.'],
  [/^Locking two bpf_spin_locks are not allowed/, 'Only one bpf_spin_lock may be held at a time.'],
  [/^bpf_spin_unlock without taking a lock/, 'bpf_spin_unlock is called on a path where no lock is held.'],
  [/^bpf_spin_unlock of different lock/, 'The lock released is not the one that was taken (a different map value, section or object).'],
  [/invalid mem access 'scalar'/, 'This register no longer holds a pointer: the object was released (dropped, pushed, stashed) or it was a non-owning reference and the lock was released, which invalidates it.'],
  [/invalid mem access '.*_or_null/, 'The pointer may be NULL (the allocation or lookup can fail): test it against NULL before using it.'],
  [/^Possibly NULL pointer passed to trusted arg/, 'This kfunc needs a pointer that is known not to be NULL: check the pointer before passing it.'],
  [/^dereference of modified .*_or_null_ ptr/, 'The pointer may be NULL (a pop/remove result): test it against NULL before passing it on.'],
  [/must have zero offset when passed to release func/, 'Release functions (bpf_obj_drop, …) need the object itself, not a pointer into it: subtract the member offset first (container_of).'],
  [/^arg#\d+ expected pointer to allocated object/, 'This argument must be an owning reference to a bpf_obj_new object; this one is not owned any more (already pushed/added, so only a non-owning reference is left) or is not an allocated object.'],
  [/^allocated object must be referenced/, 'The object must be owned by the program (an owning reference) to be passed here.'],
  [/^arg#\d+ expected for bpf_(percpu_)?obj_drop_impl\(\)/, 'Per-CPU objects are dropped with bpf_percpu_obj_drop, other objects with bpf_obj_drop.'],
  [/^arg#\d+ expected pointer to map value or allocated object/, 'A list head / rb root argument must point into a map value, a global section or an owned allocated object.'],
  [/^bpf_(list_head|list_node|rb_root|rb_node) not found at offset=/, 'The pointer does not point exactly at a field of that kind in its type: pass the address of the list head / rb root / node member itself.'],
  [/^operation on bpf_(list_head|rb_root) expects arg#1/, 'The node belongs to a different struct than the one the root is declared to contain (__contains(type, member)).'],
  [/^arg#1 offset=\d+, but expected bpf_(list_node|rb_node)/, 'The root is declared to link a different node member of this struct (__contains(type, member)).'],
  [/doesn't have constant offset/, 'The pointer must point at a constant offset (no variable part) for this argument.'],
  [/^variable .* access var_off=.* disallowed/, 'Pointers passed to kfuncs may not carry a variable offset.'],
  [/^off -?\d+ doesn't point to 'struct bpf_spin_lock'/, 'bpf_spin_lock needs the exact address of the bpf_spin_lock field; a node pointer from pop/remove points at the node member and needs container_of first.'],
  [/has no valid bpf_spin_lock/, 'The pointed-to type has no bpf_spin_lock field.'],
  [/^direct access to bpf_\w+ is disallowed/, 'Special fields (locks, list heads/nodes, rb roots/nodes, refcounts) of an allocated object may only be used through the kfuncs, never read or written directly.'],
  [/cannot be accessed directly by load\/store/, 'Special fields of a map value may only be used through helpers/kfuncs, never read or written directly.'],
  [/^tracing progs cannot use bpf_\{list_head,rb_root\}/, 'Tracing programs (kprobe, tracepoint, perf_event, raw_tp) may not use maps that hold list heads or rb roots.'],
  [/^local type ID argument must be in range/, 'bpf_obj_new takes a BTF type id of this program, which fits in 32 bits.'],
  [/type ID argument must be of a struct/, 'bpf_obj_new can only allocate struct types.'],
  [/^bpf_percpu_obj_new type/, 'Per-CPU objects must be small structs of plain scalars without special fields.'],
  [/can only take non-owning or refcounted bpf_rb_node pointer/, 'The node must be a non-owning reference valid under the current lock (or an owned refcounted node); a reference kept from an earlier critical section is not valid any more.'],
  [/not allowed in rbtree cb/, 'The rbtree `less` callback runs in the middle of bpf_rbtree_add: it may only compare the two nodes.'],
  [/^can't spin_\{lock,unlock\} in rbtree cb/, 'The rbtree `less` callback runs with the tree lock held: it may not take or release locks.'],
  [/^At callback return the register R0/, 'A callback must return a value in the range its caller expects (a bool for the rbtree `less` callback).'],
  [/^arg#\d+ is neither owning or non-owning ref/, 'bpf_refcount_acquire needs a pointer to an allocated object (owning, or non-owning under the lock).'],
  [/doesn't point to a type with bpf_refcount field/, 'Only types with a struct bpf_refcount member can have more than one owner.'],
  [/^invalid kptr access/, 'The object stored in a __kptr field must have exactly the field\'s declared type.'],
  [/^store to referenced kptr disallowed/, 'Referenced __kptr fields can only be changed atomically with bpf_kptr_xchg.'],
  [/reference has not been acquired before/, 'The object passed for release is not (or no longer) owned by the program.'],
  [/^R\d+ type=\S+ expected=/, 'The register holds a different kind of value than this argument needs.'],
];

const ITER_LEAK = 'An iterator created with bpf_iter_num_new is still alive when the program exits: destroy it with bpf_iter_num_destroy on every path (bpf_for / bpf_repeat do it for you).';

/** The rule behind a message; `related` refines it (a leaked iterator is not a leaked object). */
export function explanationOf(message: string, related: readonly { role: string }[] = []): string | undefined {
  if (/^Unreleased reference id=/.test(message) && related.length > 0 && related.every((r) => r.role === 'iterator created')) return ITER_LEAK;
  for (const [re, text] of RULES) if (re.test(message)) return text;
  return undefined;
}

/** Related instructions: those the checker attached, plus what the state at the error tells. */
export function relatedOf(env: Env | undefined, e: Reject): RelatedInsn[] {
  const out: { insn: number; role: string }[] = [...e.related];
  const msg = e.lines[0] ?? '';
  if (env) {
    const st = env.cur;
    if (/invalid mem access 'scalar'|type=scalar expected|can only take non-owning or refcounted/.test(msg) && st.lastInval) {
      out.push({ insn: st.lastInval.insn, role: st.lastInval.why === 'unlocked' ? 'invalidated here (bpf_spin_unlock)' : 'released here' });
    }
    if (/expected pointer to allocated object|can only take non-owning or refcounted/.test(msg) && st.lastConvert >= 0) {
      out.push({ insn: st.lastConvert, role: 'ownership passed to the collection here' });
    }
    // the register the message names: where its reference was acquired
    const m = /^R(\d+) |trusted arg(\d+)|^arg#(\d+) |^dereference of modified .* ptr R(\d+)/.exec(msg);
    if (m) {
      const regno = m[1] !== undefined ? Number(m[1]) : m[4] !== undefined ? Number(m[4]) : Number(m[2] ?? m[3]) + 1;
      const r = curFrame(st).regs[regno];
      const ref = r && (r.refObjId || r.id) ? st.refs.find((x) => x.kind === 'ptr' && (x.id === r.refObjId || x.id === r.id)) : undefined;
      if (ref) out.push({ insn: ref.insn, role: 'acquired' });
    }
    if (st.activeLock && st.lockInsn >= 0 && !out.some((x) => x.role === 'lock taken') && /lock|rbtree cb/.test(msg)) {
      out.push({ insn: st.lockInsn, role: 'lock taken' });
    }
  }
  const seen = new Set<string>();
  return out
    .filter((x) => x.insn >= 0 && !seen.has(`${x.insn}/${x.role}`) && seen.add(`${x.insn}/${x.role}`))
    .map((x) => {
      const line = env ? sourceLineAt(env, x.insn) : undefined;
      return { insn: x.insn, role: x.role, ...(line ? { line } : {}) };
    });
}
