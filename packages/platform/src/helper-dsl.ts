/** A tiny DSL for writing helper prototypes as data. Internal to the package. */
import { HELPER_NAMES } from '@bpfkit/isa';
import { PlatformError } from './errors.js';
import type { ArgFlag, ArgKind, ArgSpec, HelperProto, RetKind } from './types.js';

const arg = (kind: ArgKind, ...flags: ArgFlag[]): ArgSpec => (flags.length ? { kind, flags } : { kind });

/** Argument shorthands. */
export const A = {
  any: arg('ARG_ANYTHING'),
  map: arg('ARG_CONST_MAP_PTR'),
  key: arg('ARG_PTR_TO_MAP_KEY'),
  value: arg('ARG_PTR_TO_MAP_VALUE'),
  /** map value the helper writes (pop/peek) */
  valueOut: arg('ARG_PTR_TO_MAP_VALUE', 'MEM_UNINIT', 'MEM_WRITE'),
  ctx: arg('ARG_PTR_TO_CTX'),
  /** ctx or NULL (`ARG_PTR_TO_CTX_OR_NULL`) */
  ctxOrNull: arg('ARG_PTR_TO_CTX', 'PTR_MAYBE_NULL'),
  /** map value or NULL (the storage `get` helpers' init value) */
  valueOrNull: arg('ARG_PTR_TO_MAP_VALUE', 'PTR_MAYBE_NULL'),
  size: arg('ARG_CONST_SIZE'),
  sizeOrZero: arg('ARG_CONST_SIZE_OR_ZERO'),
  allocSize: arg('ARG_CONST_ALLOC_SIZE_OR_ZERO'),
  /** memory the helper reads */
  memIn: arg('ARG_PTR_TO_MEM', 'MEM_RDONLY'),
  memInOrNull: arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_RDONLY'),
  /** memory the helper fills (may be uninitialised) */
  memOut: arg('ARG_PTR_TO_MEM', 'MEM_UNINIT', 'MEM_WRITE'),
  memOutOrNull: arg('ARG_PTR_TO_MEM', 'PTR_MAYBE_NULL', 'MEM_UNINIT', 'MEM_WRITE'),
  /** memory read and written */
  mem: arg('ARG_PTR_TO_MEM'),
  /** initialised memory the helper writes (`ARG_PTR_TO_MEM | MEM_WRITE`) */
  memWrite: arg('ARG_PTR_TO_MEM', 'MEM_WRITE'),
  /** fixed-size input (`ARG_PTR_TO_FIXED_SIZE_MEM | MEM_RDONLY`) */
  fixedIn: (size: number): ArgSpec => ({ kind: 'ARG_PTR_TO_MEM', flags: ['MEM_FIXED_SIZE', 'MEM_RDONLY'], size }),
  /** fixed-size output (former ARG_PTR_TO_LONG / ARG_PTR_TO_INT) */
  fixedOut: (size: number): ArgSpec => ({ kind: 'ARG_PTR_TO_MEM', flags: ['MEM_FIXED_SIZE', 'MEM_UNINIT', 'MEM_WRITE', 'MEM_ALIGNED'], size }),
  stackOrNull: arg('ARG_PTR_TO_STACK', 'PTR_MAYBE_NULL'),
  func: arg('ARG_PTR_TO_FUNC'),
  spinLock: arg('ARG_PTR_TO_SPIN_LOCK'),
  kptrDest: arg('ARG_KPTR_XCHG_DEST'),
  btfIdOrNullRelease: arg('ARG_PTR_TO_BTF_ID', 'PTR_MAYBE_NULL', 'OBJ_RELEASE'),
  btfId: (btfType: string): ArgSpec => ({ kind: 'ARG_PTR_TO_BTF_ID', btfType }),
  btfIdOrNull: (btfType: string): ArgSpec => ({ kind: 'ARG_PTR_TO_BTF_ID', flags: ['PTR_MAYBE_NULL'], btfType }),
  constStr: arg('ARG_PTR_TO_CONST_STR'),
  sockCommon: arg('ARG_PTR_TO_SOCK_COMMON'),
  btfSockCommon: arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON'),
  btfSockCommonRelease: arg('ARG_PTR_TO_BTF_ID_SOCK_COMMON', 'OBJ_RELEASE'),
  ringbufRelease: arg('ARG_PTR_TO_RINGBUF_MEM', 'OBJ_RELEASE'),
  timer: arg('ARG_PTR_TO_TIMER'),
  percpuBtfId: arg('ARG_PTR_TO_PERCPU_BTF_ID'),
  /** initialised dynptr, read only (`ARG_PTR_TO_DYNPTR | MEM_RDONLY`) */
  dynptrRo: arg('ARG_PTR_TO_DYNPTR', 'MEM_RDONLY'),
  dynptr: arg('ARG_PTR_TO_DYNPTR'),
  /** dynptr the helper initialises (`ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_* | MEM_UNINIT`) */
  dynptrLocalOut: arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_LOCAL', 'MEM_UNINIT'),
  dynptrRingbufOut: arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_RINGBUF', 'MEM_UNINIT'),
  dynptrRingbufRelease: arg('ARG_PTR_TO_DYNPTR', 'DYNPTR_TYPE_RINGBUF', 'OBJ_RELEASE'),
} as const;

export interface DefOptions {
  gpl?: boolean;
  pkt?: boolean;
  changesPkt?: boolean;
  sleeps?: boolean;
  acquires?: boolean;
  releases?: number;
  callback?: HelperProto['callback'];
  retRange?: HelperProto['retRange'];
  retBtfType?: string;
  retFlags?: HelperProto['retFlags'];
  /** The kernel proto's `allowed()` hook: program types it may pass in (see {@link HelperProto.allowedIn}). */
  allowedIn?: readonly string[];
  /** Prototype taken from verifier-core.md §11.5 (otherwise: from memory of the kernel source). */
  spec?: boolean;
}

/** Builds one prototype; the name comes from `HELPER_NAMES`. */
export function def(id: number, ret: RetKind, args: readonly ArgSpec[], o: DefOptions = {}): HelperProto {
  const name = HELPER_NAMES[id];
  if (name === undefined) throw new PlatformError('BAD_HELPER_TABLE', `helper table: no name for id ${id}`, { helperId: id });
  return {
    id,
    name: 'bpf_' + name,
    ret,
    ...(o.retBtfType ? { retBtfType: o.retBtfType } : {}),
    ...(o.retFlags ? { retFlags: o.retFlags } : {}),
    args,
    gplOnly: o.gpl ?? false,
    pktAccess: o.pkt ?? false,
    changesPktData: o.changesPkt ?? false,
    mightSleep: o.sleeps ?? false,
    ...(o.acquires ? { acquires: true } : {}),
    ...(o.releases ? { releases: o.releases } : {}),
    ...(o.callback ? { callback: o.callback } : {}),
    ...(o.retRange ? { retRange: o.retRange } : {}),
    ...(o.allowedIn ? { allowedIn: o.allowedIn } : {}),
    ...(o.spec ? {} : { fromMemory: true }),
  };
}
