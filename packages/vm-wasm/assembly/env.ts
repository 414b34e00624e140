// Host imports and the callback bridge (own interpreter when the wasm engine runs, else env.callback).

import { gWasmRunning } from './state';
import { runCallback } from './interp';

// @ts-ignore: decorator
@external("env", "now")
export declare function envNow(): i64;

// @ts-ignore: decorator
@external("env", "callback")
declare function envCallback(pc: u32, r1: i64, r2: i64, r3: i64, r4: i64, r5: i64): i64;

/** Call the BPF function value `fn` (FUNC_BASE + pc). `callPc` names the calling instruction for faults. */
// @ts-ignore: decorator
@inline export function invokeCallback(fn: u64, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64, callPc: u32): u64 {
  if (gWasmRunning > 0) return runCallback(fn, r1, r2, r3, r4, r5, callPc);
  const pc = fn >= 0x1_0000_0000 ? fn - 0x1_0000_0000 : fn;
  return <u64>envCallback(<u32>pc, <i64>r1, <i64>r2, <i64>r3, <i64>r4, <i64>r5);
}
