/**
 * The typed face of the wasm core (docs/runtime-contract.md). `@bpfkit/vm` and both engines program
 * against this interface; `instantiateCore()` in this package returns an implementation of it.
 * Addresses are numbers (u32); 64-bit BPF values are bigint (unsigned, 0 ≤ v < 2^64).
 */

/** Fault codes of the core (contract: "Fault codes"). */
export const FaultCode = Object.freeze({
  None: 0,
  BadAccess: 1,
  Budget: 2,
  BadCall: 3,
  BadInsn: 4,
  Stack: 6,
  Lock: 7,
  BadJump: 8,
} as const);
export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];

/** Runtime kfunc ids written into `call` src 2 instructions by the host (contract: "Program image"). */
export const KFUNC_IDS: Readonly<Record<string, number>> = Object.freeze({
  bpf_obj_new_impl: 1, bpf_percpu_obj_new_impl: 2, bpf_obj_drop_impl: 3, bpf_percpu_obj_drop_impl: 4,
  bpf_refcount_acquire_impl: 5, bpf_list_push_front_impl: 6, bpf_list_push_back_impl: 7, bpf_list_pop_front: 8,
  bpf_list_pop_back: 9, bpf_list_front: 10, bpf_list_back: 11, bpf_rbtree_add_impl: 12, bpf_rbtree_remove: 13,
  bpf_rbtree_first: 14, bpf_rbtree_root: 15, bpf_rbtree_left: 16, bpf_rbtree_right: 17, bpf_rcu_read_lock: 18,
  bpf_rcu_read_unlock: 19, bpf_iter_num_new: 20, bpf_iter_num_next: 21, bpf_iter_num_destroy: 22,
  bpf_cast_to_kern_ctx: 23, bpf_rdonly_cast: 24,
});

/** Function values in registers: FUNC_BASE + pc (above every memory address). */
export const FUNC_BASE = 0x1_0000_0000n;

/** Last fault of the core, as read after a failed run or service call. */
export interface CoreFault {
  readonly code: FaultCode;
  readonly pc: number;
  readonly addr: number;
  /** Helper id or kfunc id for BadCall. */
  readonly arg: number;
}

/** Runs a BPF function for the core when a host engine is the one executing (bpf_loop, rbtree less). */
export type CallbackHandler = (pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint) => bigint;

export interface CoreOptions {
  /** prandom seed (default 0x5eed). */
  readonly seed?: bigint;
  /** Number of CPUs for per-CPU maps (default 2). */
  readonly nrCpus?: number;
  /** Heap byte cap for bpf_obj_new (default 64 MiB): allocations past it return NULL. */
  readonly heapCap?: number;
  /** ktime source in ns (default process.hrtime.bigint). */
  readonly now?: () => bigint;
}

export interface Core {
  readonly memory: WebAssembly.Memory;
  /** Current views (re-created after memory growth; always read them through these getters). */
  readonly u8: Uint8Array;
  readonly view: DataView;

  staticAlloc(size: number, align?: number): number;
  /** 4 KiB for passing keys and values. */
  readonly scratch: number;
  regionAdd(addr: number, len: number, perm: 1 | 2 | 3): void;
  checkAccess(addr: number, size: number, write: boolean): boolean;
  setTypeTable(addr: number, count: number): void;
  setCpu(cpu: number): void;
  /** Memory mode the services (helpers, kfuncs) use when a host engine calls them; `run` sets it for the wasm engine. */
  setChecked(checked: boolean): void;

  mapCreate(type: number, keySize: number, valueSize: number, maxEntries: number, flags: number, record: number): number;
  mapLookup(map: number, keyAddr: number, cpu?: number): number;
  mapUpdate(map: number, keyAddr: number, valueAddr: number, flags: bigint): number;
  mapDelete(map: number, keyAddr: number): number;
  /** 0 ok, -2 at the end; `keyAddr` 0 = first key. */
  mapNextKey(map: number, keyAddr: number, outAddr: number): number;
  mapFree(map: number): void;

  objNew(size: number, record: number): number;
  objDrop(obj: number): void;
  objectOf(addr: number): number;
  liveObjects(): number;
  liveBytes(): number;

  /** Helper service for host engines; check `fault()` afterwards. */
  callHelper(id: number, pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint;
  callKfunc(kid: number, pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint;
  /** Install the handler the core calls for BPF callbacks while a host engine runs (null = wasm engine). */
  setCallbackHandler(h: CallbackHandler | null): void;
  /** Stack area for host engines: base address of 8 frames × 512 bytes (+ hidden may_goto slots), frame i's r10 = stackFrameTop(i). */
  stackFrameTop(frame: number): number;

  /**
   * The wasm engine: 0 ok, else a FaultCode (details in fault()). `budget` ≤ 0 = unlimited; the budget is
   * checked at taken jumps and calls. `r2` (default 0) is for conventions that pass a length (conformance).
   * A trap in verified mode (access outside the linear memory) is reported as BadAccess with pc -1.
   */
  run(textAddr: number, slots: number, pc: number, r1: bigint, checked: boolean, budget: bigint, r2?: bigint): FaultCode;
  r0(): bigint;
  insns(): bigint;
  fault(): CoreFault;
  endRun(): void;
  /**
   * bpf_spin_locks held right now. The wasm engine faults Lock at the exit of a checked run that leaves
   * one held; a host engine asks this after the program's exit to do the same.
   */
  locksHeld(): number;
  printk(): string;
  printkClear(): void;
}
