// The wasm core: exports of docs/runtime-contract.md "Core exports".

import { SCRATCH, STACKS, FRAME_STRIDE, STACK_SIZE, gFault, gFaultPc, gFaultAddr, gFaultArg, clearFault, setCpuId, setNrCpus, setChecked, gNrCpus, frameTop } from './state';
import { memReset, staticAlloc as sAlloc } from './mem';
import { heapReset, heapFlush, objectOf as objOf, liveObjects as nLive, liveBytes as nBytes } from './heap';
import { regionsReset, regionAdd as rAdd, checkAccess as chk } from './regions';
import { mapsReset, mapCreate as mCreate, mapLookup as mLookup, mapLookupCpu as mLookupCpu, mapUpdateImpl, mapDelete as mDelete, mapNextKey as mNext, mapFree as mFree } from './maps';
import { decodeReset } from './decode';
import { seedRandom, callHelperImpl } from './helpers';
import { callKfuncImpl, objNew as kObjNew, objDropAny, setTypeTable as sTypes } from './kfuncs';
import { run as interpRun, lastR0, lastInsns, abortRun as interpAbort, inCallPc } from './interp';
import { locksRelease, locksHeld as nHeld } from './locks';
import { clearCorrupt } from './coll';
import { printkBuf as pBuf, printkLen as pLen, printkClear as pClear } from './printk';

export function coreVersion(): u32 { return 2; }

export function init(seed: i64, nrCpus: u32, heapCap: u32): void {
  memReset();
  heapReset(heapCap);
  regionsReset();
  mapsReset();
  decodeReset();
  locksRelease();
  pClear();
  seedRandom(<u64>seed);
  setNrCpus(nrCpus == 0 ? 1 : nrCpus);
  setCpuId(0);
  setTypeTable(0, 0);
  setChecked(false);
  interpAbort();
  clearFault();
}

export function staticAlloc(size: u32, align: u32): u32 { return <u32>sAlloc(size, align); }
export function scratch(): u32 { return <u32>SCRATCH; }
export function regionAdd(addr: u32, len: u32, perm: u32): void { rAdd(addr, len, perm); }
export function checkAccess(addr: u32, size: u32, write: u32): u32 { return chk(addr, size, write != 0) ? 1 : 0; }
export function setTypeTable(addr: u32, count: u32): void { sTypes(addr, count); }
export function setCpu(cpu: u32): void { setCpuId(cpu < gNrCpus ? cpu : 0); }
/** Memory mode the services use when a host engine calls them (run() sets it for the wasm engine). */
export function setMode(checked: u32): void { setChecked(checked != 0); }
export function stackFrameTop(frame: u32): u32 { return <u32>frameTop(<i32>frame); }
export function stackBase(): u32 { return <u32>STACKS; }
export function stackStride(): u32 { return FRAME_STRIDE; }
export function stackSize(): u32 { return STACK_SIZE; }

export function mapCreate(type: u32, keySize: u32, valueSize: u32, maxEntries: u32, flags: u32, record: u32): u32 {
  return <u32>mCreate(type, keySize, valueSize, maxEntries, flags, record);
}
export function mapLookup(map: u32, keyAddr: u32): u32 { return <u32>mLookup(map, keyAddr); }
export function mapLookupCpu(map: u32, keyAddr: u32, cpu: u32): u32 { return <u32>mLookupCpu(map, keyAddr, cpu); }
// host drains of a corrupt list/tree stop (bounded walks); the corruption register is not a program's fault
export function mapUpdate(map: u32, keyAddr: u32, valueAddr: u32, flags: i64): i64 {
  const r = mapUpdateImpl(map, keyAddr, valueAddr, <u64>flags, true);
  clearCorrupt();
  return r;
}
export function mapDelete(map: u32, keyAddr: u32): i64 { const r = mDelete(map, keyAddr); clearCorrupt(); return r; }
export function mapNextKey(map: u32, keyAddr: u32, outAddr: u32): i32 { return mNext(map, keyAddr, outAddr); }
export function mapFree(map: u32): void { mFree(map); clearCorrupt(); }

export function objNew(size: u32, record: u32): u32 { return <u32>kObjNew(size, record); }
export function objDrop(obj: u32): void { objDropAny(obj); clearCorrupt(); }
export function objectOf(addr: u32): u32 { return <u32>objOf(addr); }
export function liveObjects(): u32 { return nLive(); }
export function liveBytes(): u32 { return nBytes(); }

export function callHelper(id: u32, pc: u32, r1: i64, r2: i64, r3: i64, r4: i64, r5: i64): i64 {
  clearFault(); clearCorrupt();
  return <i64>callHelperImpl(id, pc, <u64>r1, <u64>r2, <u64>r3, <u64>r4, <u64>r5);
}
export function callKfunc(kid: u32, pc: u32, r1: i64, r2: i64, r3: i64, r4: i64, r5: i64): i64 {
  clearFault(); clearCorrupt();
  return <i64>callKfuncImpl(kid, pc, <u64>r1, <u64>r2, <u64>r3, <u64>r4, <u64>r5);
}

export function run(text: u32, slots: u32, pc: u32, r1: i64, checked: u32, budget: i64, r2: i64): i32 {
  return <i32>interpRun(text, slots, pc, <u64>r1, checked != 0, budget, <u64>r2);
}
export function abortRun(): void { interpAbort(); }
/** Instruction of the helper/kfunc call in progress, -1 when none (read after catching a trap, before abortRun). */
export function callPc(): i32 { return inCallPc(); }
export function r0(): i64 { return <i64>lastR0(); }
export function insns(): i64 { return lastInsns(); }
export function fault(): u32 { return gFault; }
export function faultPc(): u32 { return gFaultPc; }
export function faultAddr(): u32 { return gFaultAddr; }
export function faultArg(): u32 { return gFaultArg; }

/** bpf_spin_locks currently held (host engines check it at program exit in checked mode, as run() does). */
export function locksHeld(): u32 { return <u32>nHeld(); }

export function endRun(): void {
  locksRelease();
  heapFlush();
}

export function printkBuf(): u32 { return <u32>pBuf(); }
export function printkLen(): u32 { return pLen(); }
export function printkClear(): void { pClear(); }
