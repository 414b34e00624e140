/**
 * The Platform's vocabulary: helper prototypes, program types, context access
 * results, limits. Names follow the kernel's (`enum bpf_arg_type`,
 * `enum bpf_return_type`, `enum bpf_prog_type`) so the verifier can quote them.
 */

/**
 * Base argument kinds of `enum bpf_arg_type`. Nullability (`PTR_MAYBE_NULL`) and the
 * memory modifiers are flags on the {@link ArgSpec}, as in the kernel, where e.g.
 * `ARG_PTR_TO_STACK_OR_NULL` is `ARG_PTR_TO_STACK | PTR_MAYBE_NULL`.
 * `formatArg` renders the kernel spelling.
 */
export type ArgKind =
  | 'ARG_DONTCARE'
  | 'ARG_ANYTHING'
  | 'ARG_CONST_MAP_PTR'
  | 'ARG_PTR_TO_MAP_KEY'
  | 'ARG_PTR_TO_MAP_VALUE'
  | 'ARG_PTR_TO_MEM'
  | 'ARG_PTR_TO_ARENA'
  | 'ARG_CONST_SIZE'
  | 'ARG_CONST_SIZE_OR_ZERO'
  | 'ARG_PTR_TO_CTX'
  | 'ARG_PTR_TO_STACK'
  | 'ARG_PTR_TO_FUNC'
  | 'ARG_PTR_TO_SPIN_LOCK'
  | 'ARG_KPTR_XCHG_DEST'
  | 'ARG_PTR_TO_BTF_ID'
  | 'ARG_PTR_TO_BTF_ID_SOCK_COMMON'
  | 'ARG_PTR_TO_CONST_STR'
  | 'ARG_CONST_ALLOC_SIZE_OR_ZERO'
  | 'ARG_PTR_TO_SOCK_COMMON'
  | 'ARG_PTR_TO_SOCKET'
  | 'ARG_PTR_TO_ALLOC_MEM'
  | 'ARG_PTR_TO_RINGBUF_MEM'
  | 'ARG_PTR_TO_TIMER'
  | 'ARG_PTR_TO_DYNPTR'
  | 'ARG_PTR_TO_PERCPU_BTF_ID';

/** Modifier flags of an argument (`enum bpf_type_flag` members used in prototypes). */
export type ArgFlag =
  | 'PTR_MAYBE_NULL'
  | 'MEM_RDONLY'
  | 'MEM_UNINIT'
  | 'MEM_WRITE'
  | 'MEM_FIXED_SIZE'
  | 'MEM_ALIGNED'
  | 'OBJ_RELEASE'
  | 'DYNPTR_TYPE_LOCAL'
  | 'DYNPTR_TYPE_RINGBUF'
  | 'MEM_UNINIT_DYNPTR';

/** One declared helper argument (R1..R5). */
export interface ArgSpec {
  readonly kind: ArgKind;
  readonly flags?: readonly ArgFlag[];
  /** `MEM_FIXED_SIZE` arguments: bytes accessed. */
  readonly size?: number;
  /** `ARG_PTR_TO_BTF_ID*`: the expected kernel struct name (e.g. `task_struct`). */
  readonly btfType?: string;
}

/** `enum bpf_return_type` (with the flag combinations the kernel names). */
export type RetKind =
  | 'RET_INTEGER'
  | 'RET_VOID'
  | 'RET_PTR_TO_MAP_VALUE'
  | 'RET_PTR_TO_MAP_VALUE_OR_NULL'
  | 'RET_PTR_TO_SOCKET_OR_NULL'
  | 'RET_PTR_TO_TCP_SOCK_OR_NULL'
  | 'RET_PTR_TO_SOCK_COMMON_OR_NULL'
  | 'RET_PTR_TO_RINGBUF_MEM_OR_NULL'
  | 'RET_PTR_TO_DYNPTR_MEM_OR_NULL'
  | 'RET_PTR_TO_MEM_OR_BTF_ID'
  | 'RET_PTR_TO_BTF_ID'
  | 'RET_PTR_TO_BTF_ID_OR_NULL'
  | 'RET_PTR_TO_BTF_ID_TRUSTED';

/**
 * Return-value refinement after the call (§11.1 step 12):
 * `cpu_id` → `[0, nr_cpu_ids-1]`; `errno_or_size` → `[-MAX_ERRNO, max of the size argument]`.
 */
export type RetRange = { readonly kind: 'cpu_id' } | { readonly kind: 'errno_or_size' };

/** A callback argument (§12.3). */
export interface CallbackSpec {
  /** Register (1..5) holding the `func` operand. */
  readonly arg: number;
  /** Synchronous callbacks return into the helper; async ones (timers) run later. */
  readonly mode: 'sync' | 'async';
  /** Callee argument types, R1.. (verifier vocabulary, e.g. `scalar`, `map_key`, `ctx`). */
  readonly calleeArgs: readonly string[];
  /** Allowed R0 at the callback's exit, inclusive. */
  readonly retRange: readonly [number, number];
}

/** A helper prototype (`struct bpf_func_proto`) as data. */
export interface HelperProto {
  readonly id: number;
  /** `bpf_` + name, as the log prints it (`bpf_map_lookup_elem`). */
  readonly name: string;
  readonly ret: RetKind;
  /** For `RET_PTR_TO_BTF_ID*`: the kernel struct name (`task_struct`, `tcp_sock`, ...). */
  readonly retBtfType?: string;
  /** Extra return-type flags (e.g. `MEM_RDONLY`, `PTR_MAYBE_NULL` on `RET_PTR_TO_MEM_OR_BTF_ID`). */
  readonly retFlags?: readonly ArgFlag[];
  /** Declared arguments R1.. (at most 5); registers beyond are `ARG_DONTCARE` and never read. */
  readonly args: readonly ArgSpec[];
  readonly gplOnly: boolean;
  /** May receive packet pointers. */
  readonly pktAccess: boolean;
  /** Invalidates all packet pointers (`bpf_helper_changes_pkt_data`). */
  readonly changesPktData: boolean;
  /** Sleepable-only (`might_sleep`). */
  readonly mightSleep: boolean;
  /** The result is an acquired reference. */
  readonly acquires?: boolean;
  /** Register (1..5) of the `OBJ_RELEASE` argument. */
  readonly releases?: number;
  readonly callback?: CallbackSpec;
  readonly retRange?: RetRange;
  /**
   * The kernel prototype's `allowed()` hook (`helper call is not allowed in probe` when it refuses): the program
   * types (enum names) in which it can pass at all, further limited there by attach target. Absent = no hook.
   */
  readonly allowedIn?: readonly string[];
  /** `true` when the prototype was written from memory of the kernel source, not from the spec. */
  readonly fromMemory?: boolean;
}

/** Capabilities relevant to availability and ctx rules. Root has all of them. */
export interface Caps {
  /** CAP_BPF */
  readonly bpf: boolean;
  /** CAP_PERFMON */
  readonly perfmon: boolean;
  /** CAP_SYS_ADMIN */
  readonly sysAdmin: boolean;
}

/** Inclusive range a program's R0 must lie in at exit, or `undefined` when unchecked. */
export interface ReturnRange {
  readonly min: number;
  readonly max: number;
  /** Checked on the 32-bit bounds (LSM) instead of the 64-bit ones. */
  readonly bits32?: boolean;
}

/** What a ctx load yields. */
export type CtxValueKind = 'scalar' | 'pkt' | 'pkt_meta' | 'pkt_end' | 'sock_common_or_null' | 'flow_keys';

/**
 * Pointer kinds a ctx load can yield that the verifier does not model yet; reported next to `kind`
 * (which is then the nearest modelled kind, `scalar`): `tp_buffer` = `PTR_TO_TP_BUFFER` (raw_tp.w args[0]).
 */
export type CtxPointerKind = 'tp_buffer';

/** Result of a ctx access check. The verifier prints the messages; this only decides. */
export type CtxAccessResult =
  | {
      readonly ok: true;
      readonly kind: CtxValueKind;
      /** Set for a narrow read of a wider field: the field's size (the kernel's `ctx_field_size`). */
      readonly narrowedSize?: number;
      /** UAPI field name (`len`, `cb`, `data`, ...) when the layout knows it. */
      readonly field?: string;
      /** The kernel gives this load a pointer type outside {@link CtxValueKind} (see {@link CtxPointerKind}). */
      readonly pointer?: CtxPointerKind;
    }
  | { readonly ok: false };

/** Options of a ctx access check. */
export interface CtxAccessOptions {
  /** `BPF_*` expected attach type name (e.g. `BPF_XDP_DEVMAP`). */
  readonly attachType?: string;
  /** Defaults to root (all capabilities). */
  readonly caps?: Caps;
  /** The load sign-extends (`BPF_MEMSX`): never allowed for pointer fields. */
  readonly signExtend?: boolean;
  /** Program is offloaded to a NIC (XDP ctx writes). */
  readonly offloaded?: boolean;
  /**
   * BTF-typed contexts (TRACING fentry/fexit/fmod_ret, LSM): number of arguments of the attach target, when
   * the caller knows it. Without it the whole `u64` array of MAX_BPF_FUNC_ARGS slots is assumed.
   */
  readonly btfArgCount?: number;
}

export type CtxAccessFn = (off: number, size: number, write: boolean, opts: CtxAccessOptions) => CtxAccessResult;

/** Direct packet access of a program type (§9.5). */
export interface PacketAccess {
  readonly read: boolean;
  readonly write: boolean;
}

/** A program type (`enum bpf_prog_type`). */
export interface ProgTypeInfo {
  /** Kernel enum name, e.g. `BPF_PROG_TYPE_XDP`. */
  readonly name: string;
  /** Short names accepted by lookup, e.g. `xdp`, `tc`, `sched_cls`. */
  readonly aliases: readonly string[];
  /** Value of `enum bpf_prog_type`. */
  readonly id: number;
  /** UAPI context struct (`xdp_md`, `__sk_buff`, ...) and its size; size 0 when variable/unknown. */
  readonly ctx: { readonly name: string; readonly size: number };
  /** No ctx conversion: ctx is user memory (syscall); helpers get it as a memory argument. */
  readonly ctxIsMemory: boolean;
  readonly packet: PacketAccess;
  /** Decides a ctx load/store; `undefined` when this platform does not model the layout. */
  readonly checkCtxAccess?: CtxAccessFn;
  /** Required R0 range at program exit for an attach type; `undefined` = anything. */
  returnRange(attachType?: string, opts?: { readonly attachBtf?: boolean }): ReturnRange | undefined;
  /**
   * Whether the type may call helper `id` (`program of this type cannot use helper ...` otherwise). Some
   * helpers depend on the expected attach type (`BPF_*` name); without one, attach-specific helpers are refused.
   */
  helperAllowed(id: number, caps?: Caps, attachType?: string): boolean;
  /**
   * The prototype the kernel hands this type for helper `id` when it differs from the platform's default
   * (e.g. `bpf_get_cgroup_classid` without arguments outside tc/lwt); `undefined` = use `Platform.helper(id)`.
   */
  helperVariant(id: number, attachType?: string): HelperProto | undefined;
}

/** Verifier/runtime limits. */
export interface Limits {
  /** BPF_COMPLEXITY_LIMIT_INSNS */
  readonly maxInsnsProcessed: number;
  /** MAX_BPF_STACK, per frame and combined */
  readonly maxStack: number;
  /** MAX_CALL_FRAMES */
  readonly maxFrames: number;
  /** BPF_COMPLEXITY_LIMIT_JMP_SEQ (pending branches) */
  readonly maxJmpSeq: number;
  /** BPF_MAX_SUBPROGS */
  readonly maxSubprogs: number;
  /** BPF_COMPLEXITY_LIMIT_STATES: stored states per insn (unprivileged) */
  readonly maxStatesPerInsnUnpriv: number;
  /** BPF_MAXINSNS: program length without CAP_BPF */
  readonly maxInsnsUnpriv: number;
  /** Program length with CAP_BPF (same as the processed limit) */
  readonly maxInsns: number;
  /** MAX_TAIL_CALL_CNT */
  readonly maxTailCalls: number;
  /** Caller stack above which a tail call in a subprogram is refused */
  readonly maxTailCallStack: number;
  /** BPF_MAX_LOOPS (bpf_loop's nr_loops) */
  readonly maxLoops: number;
  /** MAX_BPF_FUNC_ARGS */
  readonly maxFuncArgs: number;
  /** Helpers' `__BPF_FUNC_MAX_ID` */
  readonly maxHelperId: number;
  /** MAX_ERRNO */
  readonly maxErrno: number;
  /** nr_cpu_ids of the modelled machine (get_smp_processor_id's range) */
  readonly nrCpuIds: number;
  /** Unbounded-access threshold (1 << 29) used by region and size checks */
  readonly maxAccessOff: number;
}

/** Kfunc flags (include/linux/btf.h). */
export type KfuncFlag =
  | 'KF_ACQUIRE'
  | 'KF_RELEASE'
  | 'KF_RET_NULL'
  | 'KF_RCU'
  | 'KF_TRUSTED_ARGS'
  | 'KF_SLEEPABLE'
  | 'KF_DESTRUCTIVE'
  | 'KF_ITER_NEW'
  | 'KF_ITER_NEXT'
  | 'KF_ITER_DESTROY'
  | 'KF_RCU_PROTECTED';

/** A kfunc argument: kernel type text plus the name (whose suffix, `__k`, `__ign`, ..., drives checking). */
export interface KfuncArg {
  readonly name: string;
  readonly type: string;
}

/** Graph-collection lock requirement (graph-collections.md §2.1). */
export type KfuncLockRule = 'required' | 'forbidden' | 'allowed';

/** What a kfunc is for; the verifier and the runtime dispatch on it. */
export type KfuncGroup = 'alloc' | 'graph' | 'rcu' | 'iter' | 'other';

/** A kfunc declaration (graph-collections.md §2.1). */
export interface KfuncProto {
  readonly name: string;
  readonly group?: KfuncGroup;
  /** Kernel BTF id on this platform, when known. */
  readonly btfId?: number;
  readonly ret: string;
  readonly args: readonly KfuncArg[];
  readonly flags: readonly KfuncFlag[];
  readonly lock?: KfuncLockRule;
  /** First Linux version that has it, e.g. `6.16`. */
  readonly since?: string;
}

/** Our "kernel" as a value. */
export interface Platform {
  /** Human-readable identity, e.g. `linux-6.18`. */
  readonly name: string;
  /** Helper prototypes indexed by id (sparse: ids without a prototype are absent). */
  readonly helpers: ReadonlyMap<number, HelperProto>;
  /** Number of helper ids the platform knows names for (`__BPF_FUNC_MAX_ID`). */
  readonly helperIdCount: number;
  helper(id: number): HelperProto | undefined;
  helperByName(name: string): HelperProto | undefined;
  readonly progTypes: readonly ProgTypeInfo[];
  /** Lookup by enum name (`BPF_PROG_TYPE_XDP`), short name (`xdp`, `tc`) or enum value. */
  progType(nameOrId: string | number): ProgTypeInfo | undefined;
  readonly limits: Limits;
  readonly kfuncs: ReadonlyMap<string, KfuncProto>;
  kfunc(name: string): KfuncProto | undefined;
  /** Kernel BTF id of a kfunc (shape of `@bpfkit/object`'s LinkPlatform). */
  kfuncBtfId(name: string): number | undefined;
  /** The kfunc a call instruction names (`imm` = kernel BTF id, `off` = 0). */
  kfuncByBtfId(btfId: number): KfuncProto | undefined;
}
