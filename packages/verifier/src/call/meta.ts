/** What argument checking learns for the rest of a helper call (`struct bpf_call_arg_meta`). */
import type { HelperProto } from '@bpfkit/platform';
import type { VerifierMap } from '../types.js';

export interface CallMeta {
  readonly fn: HelperProto;
  map: VerifierMap | undefined;
  /** Constant key of an array lookup (§9.3), or -1. */
  constMapKey: bigint;
  /** ref_obj_id carried by an argument. */
  refObjId: number;
  /** Register of the OBJ_RELEASE argument (0 = none). */
  releaseRegno: number;
  /** ARG_CONST_ALLOC_SIZE_OR_ZERO value (ringbuf_reserve). */
  memSize: number;
  /** umax of the last size argument (errno_or_size return refinement). */
  msizeMaxValue: bigint;
  /** Callee subprogram of an ARG_PTR_TO_FUNC. */
  subprogno: number;
  /** kptr_xchg: BTF id of the kptr field's type. */
  kptrBtfId: number;
  /** kptr_xchg: the field's pointee is a program-BTF (local) type; the field is a `__percpu_kptr`. */
  kptrLocal: boolean;
  kptrPercpu: boolean;
}

export function newMeta(fn: HelperProto): CallMeta {
  return { fn, map: undefined, constMapKey: -1n, refObjId: 0, releaseRegno: 0, memSize: 0, msizeMaxValue: 0n, subprogno: -1, kptrBtfId: 0, kptrLocal: false, kptrPercpu: false };
}
