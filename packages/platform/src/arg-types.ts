/**
 * Argument-kind helpers: the kernel spelling of an argument (`ARG_PTR_TO_MEM|MEM_RDONLY`)
 * and the register types each kind accepts, in the order the log lists them in
 * `R%d type=%s expected=%s` (verifier-core.md §11.2; the kernel's `compatible_reg_types`).
 */
import type { ArgFlag, ArgKind, ArgSpec } from './types.js';

/** `fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_` (§11.2 footnote 1). */
export const MEM_REG_TYPES: readonly string[] = Object.freeze([
  'fp', 'pkt', 'pkt_meta', 'map_key', 'map_value', 'mem', 'ringbuf_mem', 'buf', 'trusted_ptr_',
]);

const SOCK_TYPES = ['sock_common', 'sock', 'tcp_sock', 'xdp_sock'];

/*
 * Kinds other than the memory set, ctx, map_ptr, scalar, stack and func are from
 * memory of verifier.c's `compatible_reg_types` table (the spec lists them only
 * loosely in §11.2's last row).
 */
const TABLE: Readonly<Record<ArgKind, readonly string[]>> = {
  ARG_DONTCARE: [],
  ARG_ANYTHING: [],
  ARG_CONST_MAP_PTR: ['map_ptr'],
  ARG_PTR_TO_MAP_KEY: MEM_REG_TYPES,
  ARG_PTR_TO_MAP_VALUE: MEM_REG_TYPES,
  ARG_PTR_TO_MEM: MEM_REG_TYPES,
  ARG_PTR_TO_ARENA: ['arena'],
  ARG_CONST_SIZE: ['scalar'],
  ARG_CONST_SIZE_OR_ZERO: ['scalar'],
  ARG_CONST_ALLOC_SIZE_OR_ZERO: ['scalar'],
  ARG_PTR_TO_CTX: ['ctx'],
  ARG_PTR_TO_STACK: ['fp'],
  ARG_PTR_TO_FUNC: ['func'],
  ARG_PTR_TO_SPIN_LOCK: ['map_value', 'ptr_'],
  ARG_KPTR_XCHG_DEST: ['map_value', 'ptr_'],
  ARG_PTR_TO_BTF_ID: ['ptr_', 'trusted_ptr_', 'rcu_ptr_'],
  ARG_PTR_TO_BTF_ID_SOCK_COMMON: [...SOCK_TYPES, 'ptr_', 'trusted_ptr_'],
  ARG_PTR_TO_CONST_STR: ['map_value'],
  ARG_PTR_TO_SOCK_COMMON: SOCK_TYPES,
  ARG_PTR_TO_SOCKET: ['sock'],
  ARG_PTR_TO_ALLOC_MEM: ['mem'],
  ARG_PTR_TO_RINGBUF_MEM: ['ringbuf_mem'],
  ARG_PTR_TO_TIMER: ['map_value'],
  ARG_PTR_TO_DYNPTR: ['fp', 'dynptr_ptr'],
  ARG_PTR_TO_PERCPU_BTF_ID: ['percpu_ptr_', 'percpu_rcu_ptr_', 'percpu_trusted_ptr_'],
};

/** Register types (log spelling) an argument kind accepts, in log order. Empty for `ARG_ANYTHING`/`ARG_DONTCARE`. */
export function compatibleRegTypes(kind: ArgKind): readonly string[] {
  return TABLE[kind];
}

/** Whether the argument has a flag. */
export function hasFlag(arg: ArgSpec, flag: ArgFlag): boolean {
  return arg.flags?.includes(flag) ?? false;
}

/** `NULL` (a known-zero scalar) is acceptable: `PTR_MAYBE_NULL` or a `_OR_ZERO` size. */
export function acceptsNull(arg: ArgSpec): boolean {
  return hasFlag(arg, 'PTR_MAYBE_NULL');
}

/**
 * Kernel spelling of an argument: `ARG_PTR_TO_STACK_OR_NULL`, `ARG_PTR_TO_MEM|MEM_RDONLY`,
 * `ARG_PTR_TO_BTF_ID_OR_NULL|OBJ_RELEASE`. The `_OR_NULL` suffix replaces `PTR_MAYBE_NULL`.
 */
export function formatArg(arg: ArgSpec): string {
  const maybeNull = hasFlag(arg, 'PTR_MAYBE_NULL');
  const rest = (arg.flags ?? []).filter((f) => f !== 'PTR_MAYBE_NULL');
  return [arg.kind + (maybeNull ? '_OR_NULL' : ''), ...rest].join('|');
}
