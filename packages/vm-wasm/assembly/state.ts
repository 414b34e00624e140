// Shared state of the core: fault registers, fixed areas (registers, stacks, frames), mode flags.

export const FAULT_NONE: u32 = 0;
export const FAULT_BAD_ACCESS: u32 = 1;
export const FAULT_BUDGET: u32 = 2;
export const FAULT_BAD_CALL: u32 = 3;
export const FAULT_BAD_INSN: u32 = 4;
export const FAULT_STACK: u32 = 6;
export const FAULT_LOCK: u32 = 7;
export const FAULT_BAD_JUMP: u32 = 8;

export const EPERM: i64 = -1;
export const ENOENT: i64 = -2;
export const E2BIG: i64 = -7;
export const ENOMEM: i64 = -12;
export const EEXIST: i64 = -17;
export const EINVAL: i64 = -22;
export const ENOTSUPP: i64 = -524;

/** Function values: FUNC_BASE + pc. */
export const FUNC_BASE: u64 = 0x1_0000_0000;

export const MAX_FRAMES: i32 = 8;
export const STACK_SIZE: u32 = 512;
/** One frame: 512 bytes of stack, then the hidden 8-byte may_goto counter. */
export const FRAME_STRIDE: u32 = 520;
/** Linux BPF_MAX_LOOPS. */
export const MAX_LOOPS: u64 = 8 * 1024 * 1024;

/** r0..r10 (8 bytes each) and spare; fixed address so register access folds into load offsets. */
export const REGS: usize = memory.data(128, 16);
/** 8 frames × 520 bytes. */
export const STACKS: usize = memory.data(<i32>(FRAME_STRIDE * 8), 16);
/** Saved caller state per frame: return pc, r6..r9 (5 × 8 bytes). */
export const FRAMES: usize = memory.data(8 * 48, 16);
/** 4 KiB scratch for the host. */
export const SCRATCH: usize = memory.data(4096, 16);

// fault registers
export let gFault: u32 = 0;
export let gFaultPc: u32 = 0;
export let gFaultAddr: u32 = 0;
export let gFaultArg: u32 = 0;

/** Checked memory mode (set by run, or by the host for its own engine). */
export let gChecked: bool = false;
/** Nesting level of the wasm engine (0: a host engine or nobody runs). */
export let gWasmRunning: i32 = 0;
/** Current call depth (frame index of the running frame) of the wasm engine. */
export let gDepth: i32 = 0;
/** Current CPU and number of CPUs. */
export let gCpu: u32 = 0;
export let gNrCpus: u32 = 2;

export function setFault(code: u32, pc: u32, addr: u32, arg: u32): void {
  if (gFault != 0) return; // keep the first fault
  gFault = code;
  gFaultPc = pc;
  gFaultAddr = addr;
  gFaultArg = arg;
}

export function clearFault(): void {
  gFault = 0; gFaultPc = 0; gFaultAddr = 0; gFaultArg = 0;
}

export function setChecked(c: bool): void { gChecked = c; }
export function setWasmRunning(n: i32): void { gWasmRunning = n; }
export function setDepth(d: i32): void { gDepth = d; }
export function setCpuId(c: u32): void { gCpu = c; }
export function setNrCpus(n: u32): void { gNrCpus = n; }

// @ts-ignore: decorator
@inline export function frameBase(i: i32): usize { return STACKS + <usize>i * FRAME_STRIDE; }
// @ts-ignore: decorator
@inline export function frameTop(i: i32): usize { return STACKS + <usize>i * FRAME_STRIDE + STACK_SIZE; }

// @ts-ignore: decorator
@inline export function round8(x: u32): u32 { return (x + 7) & ~7; }
