/**
 * The verifier's state model (verifier-core.md §3, §10): register states, stack
 * slots, call frames, the whole verifier state, and the inputs/outputs of a run.
 * States are plain mutable objects; a branch copies them with `cloneState`.
 */
import type { Insn } from '@bpfkit/isa';
import type { Scalar } from './scalar/index.js';

/** Base register types (§3.1). Numbers are ours; names print as in the log. */
export const T = {
  NOT_INIT: 0,
  SCALAR: 1,
  PTR_TO_CTX: 2,
  CONST_PTR_TO_MAP: 3,
  PTR_TO_MAP_VALUE: 4,
  PTR_TO_MAP_KEY: 5,
  PTR_TO_STACK: 6,
  PTR_TO_PACKET_META: 7,
  PTR_TO_PACKET: 8,
  PTR_TO_PACKET_END: 9,
  PTR_TO_FLOW_KEYS: 10,
  PTR_TO_SOCKET: 11,
  PTR_TO_SOCK_COMMON: 12,
  PTR_TO_TCP_SOCK: 13,
  PTR_TO_XDP_SOCK: 14,
  PTR_TO_TP_BUFFER: 15,
  PTR_TO_BTF_ID: 16,
  PTR_TO_MEM: 17,
  PTR_TO_ARENA: 18,
  PTR_TO_BUF: 19,
  PTR_TO_FUNC: 20,
  CONST_PTR_TO_DYNPTR: 21,
} as const;
export type BaseType = (typeof T)[keyof typeof T];

/** Log names of the base types, indexed by `BaseType`. */
export const BASE_TYPE_NAMES: readonly string[] = [
  '?', 'scalar', 'ctx', 'map_ptr', 'map_value', 'map_key', 'fp', 'pkt_meta', 'pkt', 'pkt_end', 'flow_keys', 'sock',
  'sock_common', 'tcp_sock', 'xdp_sock', 'tp_buffer', 'ptr_', 'mem', 'arena', 'buf', 'func', 'dynptr_ptr',
];

/** Type flags (§3.2). */
export const F = {
  MAYBE_NULL: 1 << 0,
  RDONLY: 1 << 1,
  RINGBUF: 1 << 2,
  USER: 1 << 3,
  PERCPU: 1 << 4,
  RCU: 1 << 5,
  UNTRUSTED: 1 << 6,
  TRUSTED: 1 << 7,
  MEM_ALLOC: 1 << 8,
  NON_OWN_REF: 1 << 9,
} as const;

/** A map the program may reference (`ld_imm64` with a map pseudo source). */
export interface VerifierMap {
  /** Index used by `map[idx:N]` (BPF_PSEUDO_MAP_IDX). */
  readonly index: number;
  readonly name: string;
  /** Numeric `enum bpf_map_type`. */
  readonly type: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  /** Read-only and frozen (`.rodata`, `.kconfig`, or frozen by the loader): loads of constants see the bytes. */
  readonly frozen: boolean;
  readonly initialData?: Uint8Array;
  /** BTF value type id in the program's BTF (0 = none). */
  readonly btfValueTypeId: number;
  /** Inner map template for map-in-map. */
  readonly inner?: VerifierMap;
  /** Offset of the value's `struct bpf_spin_lock` (from the map's BTF record); absent when it has none. */
  readonly spinLockOff?: number;
  /** `__kptr` fields of the value (from the map's BTF record): offset, pointee BTF id, referenced or not. */
  readonly kptrs?: readonly { readonly off: number; readonly btfId: number; readonly referenced: boolean; readonly percpu?: boolean }[];
  /** The value's whole special-field record (graph roots linked to their element records); absent when it has none. */
  readonly record?: import('@bpfkit/btf').BtfRecord;
}

/** Register state (§3.3). For pointers, `s` holds the variable offset and its bounds. */
export interface RegState {
  type: BaseType;
  flags: number;
  /** Fixed offset (pointers); linked-scalar delta for scalars with `addConst`. */
  off: number;
  /** tnum + bounds: the value (scalars) or the variable offset (pointers). */
  s: Scalar;
  id: number;
  refObjId: number;
  /** Packet pointers: bytes known readable from pkt + off; -1 AT_PKT_END, -2 BEYOND_PKT_END. */
  range: number;
  /** Map types. */
  map: VerifierMap | undefined;
  /** PTR_TO_BTF_ID / local kptrs: BTF type id (program BTF). */
  btfId: number;
  /** PTR_TO_MEM: accessible bytes. */
  memSize: number;
  /** PTR_TO_FUNC: callee subprogram index. */
  subprog: number;
  /** PTR_TO_STACK: frame the pointer points into. */
  frameno: number;
  precise: boolean;
  /** Linked scalar with a constant delta (`id=1+5`). */
  addConst: boolean;
}

/** Stack byte types (§10.1); chars as the log prints them. */
export const STACK_INVALID = 0;
export const STACK_MISC = 1;
export const STACK_ZERO = 2;
export const STACK_SPILL = 3;
export const STACK_DYNPTR = 4;
export const STACK_ITER = 5;
export const STACK_IRQ_FLAG = 6;
export const STACK_CHARS = '?m0rdif';

/** One 8-byte stack slot. `bytes[j]`: j = 0 is the highest address (fp-1 of the slot). */
export interface StackSlot {
  bytes: Uint8Array;
  /** Register state when the slot holds a spill (bytes[7] === STACK_SPILL). */
  spilled: RegState | undefined;
  /** Numeric iterator state when every byte is STACK_ITER (§18.6). */
  iter?: { refId: number; state: 'active' | 'drained'; depth: number };
}

/** A reference-table entry (§3.4 `ref_obj_id`; locks and graph refs come with the graph issue). */
export interface RefState {
  id: number;
  /** Instruction that acquired it. */
  insn: number;
  kind: 'ptr' | 'lock' | 'rcu' | 'iter';
}

export interface Frame {
  /** Index of this frame (0 = main). */
  frameno: number;
  /** Subprogram index this frame executes. */
  subprog: number;
  /** Instruction index of the call that created the frame (-1 for frame 0). */
  callsite: number;
  regs: RegState[];
  /** slots[spi] covers fp-(spi+1)*8 .. fp-spi*8-1. */
  stack: StackSlot[];
  /** Callback frame (`cb` in the log) and its kind. */
  inCallback: boolean;
  /** bpf_loop & co.: callback depth for iteration bookkeeping. */
  callbackDepth: number;
}

export interface VState {
  frames: Frame[];
  refs: RefState[];
  /** Active spin lock: 0 when none, else the id/ptr identity (graph-collections.md §3.3). */
  activeLock: number;
  /** Instruction that took the active lock (-1 when none); for explanations only, not compared. */
  lockInsn: number;
  /** Last instruction on this path that invalidated pointers (release / unlock), for explanations only. */
  lastInval: { insn: number; why: 'released' | 'unlocked' } | undefined;
  /** Last instruction on this path that turned an owning reference into a non-owning one (push/add), or -1. */
  lastConvert: number;
  /** Instruction to execute next. */
  insnIdx: number;
  /** Previous instruction (for `from N to M` lines). */
  prevInsnIdx: number;
  /** Loop depth bookkeeping for may_goto / iterators (§18). */
  mayGotoDepth: number;
  /** Branch depth id of the parent checkpoint chain (used to find states on the current path). */
  parent: Checkpoint | undefined;
  /** Speculative path (unprivileged only; always false for root). */
  speculative: boolean;
  /** Instructions executed since the parent checkpoint, for precision backtracking (precision.ts). */
  hist: HistEntry[];
}

/** One executed instruction in a state's history (Linux's jump history, kept for every instruction). */
export interface HistEntry {
  idx: number;
  /** Frame index executing it. */
  frame: number;
  /** It ran in a callback frame (an exit returns to the helper, not a subprogram call). */
  cb: boolean;
  /** Fixed-offset stack access: frame index and slot. */
  slotFrame?: number;
  spi?: number;
  /** Variable-offset stack access into frame `varStack - 1`. */
  varStack?: number;
  /** Conditional jump: registers/slots linked to its operands (precision.ts keys). */
  linked?: number[];
}

/** A stored state at a prune point. */
export interface Checkpoint {
  state: VState;
  insnIdx: number;
  /** Number of branches still unexplored below this checkpoint (0 = completed). */
  branches: number;
  parent: Checkpoint | undefined;
  hit: number;
  miss: number;
  /** Dropped from the search list while still being explored (counted in peak_states until completed). */
  evicted?: boolean;
  /** Registers/slots whose exact value a later use needed (precision.ts keys); others are wildcards when pruning. */
  prec: Set<number>;
  /**
   * The loop head this state belongs to, set when a path through it was cut at that head by a range-within prune (or
   * pruned against a state of the loop). While the head (or a head enclosing it) is still being explored, its
   * precision marks may be incomplete, so it only prunes states range-within it (Linux's RANGE_WITHIN for states whose
   * loop entry is on the current path).
   */
  loopEntry?: Checkpoint;
  /** Loop heads: the paths cut here (pruned state and the checkpoint it matched), replayed when the loop is done. */
  backedges?: { target: Checkpoint; state: VState; bytes: number }[];
  /** Number of checkpoints above this one on its path. */
  depth: number;
  /** Estimated bytes of the kept state (explored-state memory cap). */
  bytes?: number;
}

/** Source line from BTF line_info. */
export interface SourceLine {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly text: string;
}

export interface FuncInfoRec {
  /** Instruction (slot) index where the function starts. */
  readonly insn: number;
  readonly typeId: number;
}

export interface LineInfoRec extends SourceLine {
  readonly insn: number;
}

/** What the verifier needs to know about one program. */
export interface VerifyInput {
  readonly insns: readonly Insn[];
  /** Program type by short name (`xdp`, `tc`, …), `BPF_PROG_TYPE_*` name or enum value. */
  readonly progType: string | number;
  readonly attachType?: string;
  readonly license?: string;
  /** BPF_F_STRICT_ALIGNMENT = 1, BPF_F_ANY_ALIGNMENT = 2. */
  readonly progFlags?: number;
  readonly maps?: readonly VerifierMap[];
  readonly btf?: import('@bpfkit/btf').Btf;
  readonly funcInfo?: readonly FuncInfoRec[];
  readonly lineInfo?: readonly LineInfoRec[];
  /** Program-BTF struct metas (`btf_parse_struct_metas`): records of local object types, for bpf_obj_new & co. */
  readonly structMetas?: ReadonlyMap<number, import('@bpfkit/btf').BtfStructMeta>;
  /** Name of a kfunc call target (for the log). */
  readonly kfuncName?: (insn: Insn) => string | undefined;
  /** Program name (for messages). */
  readonly name?: string;
}

export interface VerifyOptions {
  /** 0 (no log), 1 (failing path), 2 (everything). */
  readonly logLevel?: 0 | 1 | 2;
  /** Include the `verification time` / `stack depth` lines (log level 4 in Linux). */
  readonly stats?: boolean;
  readonly platform?: import('@bpfkit/platform').Platform;
  /**
   * Cap on the memory the kept verifier states (checkpoints, pending branches, loop back-edge copies) may use, in
   * bytes (an estimate from their registers, stack slots and history). Beyond it verification stops with ENOMEM
   * (Linux has no such cap: it fails the same way when its allocations fail). Default 512 MiB.
   */
  readonly maxStateMemory?: number;
}

export interface VerifyStats {
  insnsProcessed: number;
  totalStates: number;
  peakStates: number;
  maxStatesPerInsn: number;
  timeUs: number;
  stackDepths: number[];
}

export interface VerifyError {
  /** Instruction index (slot) where the error was found, or -1 for program-level errors. */
  readonly insn: number;
  /** Linux's first error line. */
  readonly message: string;
  /** All error lines as Linux prints them. */
  readonly lines: readonly string[];
  readonly errno: string;
  readonly line?: SourceLine;
  /** Beyond Linux: the rule behind the message, in plain English. */
  readonly explanation?: string;
  /** Beyond Linux: instructions that matter for this error (where a leaked reference was acquired, a lock taken, …). */
  readonly related?: readonly RelatedInsn[];
}

export interface RelatedInsn {
  readonly insn: number;
  /** Source line of `insn` (line_info), when the program has one. */
  readonly line?: SourceLine;
  /** `acquired`, `lock taken`, `invalidated here`, `released here`, … */
  readonly role: string;
}

export interface VerifyResult {
  readonly accepted: boolean;
  readonly error: VerifyError | null;
  readonly log: string;
  readonly stats: VerifyStats;
}
