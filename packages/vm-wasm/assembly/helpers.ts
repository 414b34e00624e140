// BPF helpers (ids from enum bpf_func_id). Service for both engines: the interpreter calls it
// directly, host engines through the `callHelper` export.

import {
  gChecked, gCpu, gNrCpus, setFault, FAULT_BAD_CALL, FAULT_BAD_ACCESS, EINVAL, E2BIG, gFault,
} from './state';
import { checkAccess } from './regions';
import { isMap, mapKeySize, mapValueSize, mapLookupHelper, mapLookupCpu, mapUpdateImpl, mapDelete, isPercpu, isMapOfMaps } from './maps';
import { spinLock, spinUnlock } from './locks';
import { tracePrintk } from './printk';
import { envNow, invokeCallback } from './env';
import { isLive, objState, objRecord, STATE_PERCPU } from './heap';
import { corruptFault } from './kfuncs';

let gRand: u64 = 0x5eed;
export function seedRandom(seed: u64): void { gRand = seed == 0 ? 0x9e3779b97f4a7c15 : seed; }
function nextRandom(): u32 {
  // xorshift64*
  let x = gRand;
  x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  gRand = x;
  return <u32>((x * 0x2545F4914F6CDD1D) >> 32);
}

function badArg(pc: u32, addr: u64, id: u32): i64 { setFault(FAULT_BAD_ACCESS, pc, <u32>addr, id); return 0; }

function readable(a: u64, n: u32): bool { return (a >>> 32) == 0 && checkAccess(<u32>a, n, false); }
function writable(a: u64, n: u32): bool { return (a >>> 32) == 0 && checkAccess(<u32>a, n, true); }

/** Address of `cpu`'s copy of a per-CPU heap object, or 0. */
export function perCpuPtr(p: u64, cpu: u32): u64 {
  if ((p >>> 32) != 0 || !isLive(<usize>p) || (objState(<usize>p) & STATE_PERCPU) == 0) return 0;
  if (cpu >= gNrCpus) return 0;
  return p + <u64>cpu * <u64>objRecord(<usize>p);
}

export function callHelperImpl(id: u32, pc: u32, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64): u64 {
  switch (id) {
    case 1: { // map_lookup_elem(map, key)
      if (gChecked && (!isMap(r1) || !readable(r2, mapKeySize(<usize>r1)))) return badArg(pc, gChecked && !isMap(r1) ? r1 : r2, id);
      return <u64>mapLookupHelper(<usize>r1, <usize>r2);
    }
    case 2: { // map_update_elem(map, key, value, flags)
      if (gChecked) {
        if (!isMap(r1)) return badArg(pc, r1, id);
        if (!readable(r2, mapKeySize(<usize>r1))) return badArg(pc, r2, id);
        if (!readable(r3, mapValueSize(<usize>r1))) return badArg(pc, r3, id);
      }
      if (isMapOfMaps(<usize>r1)) return <u64>EINVAL; // not allowed from programs
      const r = <u64>mapUpdateImpl(<usize>r1, <usize>r2, <usize>r3, r4, false);
      return corruptFault(pc, id) ? 0 : r; // the old value's lists/trees are drained
    }
    case 3: { // map_delete_elem(map, key)
      if (gChecked && (!isMap(r1) || !readable(r2, mapKeySize(<usize>r1)))) return badArg(pc, gChecked && !isMap(r1) ? r1 : r2, id);
      const r = <u64>mapDelete(<usize>r1, <usize>r2);
      return corruptFault(pc, id) ? 0 : r;
    }
    case 5: case 125: // ktime_get_ns, ktime_get_boot_ns
      return <u64>envNow();
    case 6: // trace_printk(fmt, fmt_size, a1, a2, a3)
      return <u64>tracePrintk(<usize>r1, <u32>r2, r3, r4, r5);
    case 7: // get_prandom_u32
      return <u64>nextRandom();
    case 8: // get_smp_processor_id
      return <u64>gCpu;
    case 93: // spin_lock
      if (gChecked && !writable(r1, 4)) return badArg(pc, r1, id);
      spinLock(<usize>r1, pc);
      return 0;
    case 94: // spin_unlock
      if (gChecked && !writable(r1, 4)) return badArg(pc, r1, id);
      spinUnlock(<usize>r1, pc);
      return 0;
    case 153: // per_cpu_ptr(ptr, cpu)
      return perCpuPtr(r1, <u32>r2);
    case 154: { // this_cpu_ptr(ptr)
      const q = perCpuPtr(r1, gCpu);
      return q != 0 ? q : r1;
    }
    case 181: { // loop(nr_loops, callback_fn, callback_ctx, flags)
      if (r4 != 0) return <u64>EINVAL;
      if (r1 > (1 << 23)) return <u64>E2BIG;
      const nr = <u32>r1;
      for (let i: u32 = 0; i < nr; i++) {
        const ret = invokeCallback(r2, <u64>i, r3, 0, 0, 0, pc);
        if (gFault != 0) return 0;
        if (ret != 0) return <u64>(i + 1);
      }
      return <u64>nr;
    }
    case 194: { // kptr_xchg(dst, ptr)
      if (gChecked && !writable(r1, 8)) return badArg(pc, r1, id);
      const old = load<u64>(<usize>r1);
      store<u64>(<usize>r1, r2);
      return old;
    }
    case 195: { // map_lookup_percpu_elem(map, key, cpu)
      if (gChecked && (!isMap(r1) || !readable(r2, mapKeySize(<usize>r1)))) return badArg(pc, gChecked && !isMap(r1) ? r1 : r2, id);
      if (!isPercpu(<usize>r1) || r3 >= <u64>gNrCpus) return 0;
      return <u64>mapLookupCpu(<usize>r1, <usize>r2, <u32>r3);
    }
    default:
      setFault(FAULT_BAD_CALL, pc, 0, id);
      return 0;
  }
}
