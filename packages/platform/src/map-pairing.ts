/**
 * Map-type / helper pairing (verifier-core.md §11.5 last paragraph; the kernel's
 * `check_map_func_compatibility`). A violation prints
 * `cannot pass map_type %d into func %s#%d`. The exact lists are from memory of
 * verifier.c (6.12–6.18); the spec states the rule per family.
 */

/** Helpers a restricted map type may be passed to (first switch, on the map type). */
const BY_MAP: Readonly<Record<string, readonly number[]>> = {
  BPF_MAP_TYPE_PROG_ARRAY: [12],
  BPF_MAP_TYPE_PERF_EVENT_ARRAY: [22, 25, 55, 111, 121],
  BPF_MAP_TYPE_RINGBUF: [130, 131, 134, 198, 199, 200],
  BPF_MAP_TYPE_USER_RINGBUF: [209],
  BPF_MAP_TYPE_STACK_TRACE: [27],
  BPF_MAP_TYPE_CGROUP_ARRAY: [33, 37],
  BPF_MAP_TYPE_CGROUP_STORAGE: [81],
  BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE: [81],
  BPF_MAP_TYPE_DEVMAP: [51, 1],
  BPF_MAP_TYPE_DEVMAP_HASH: [51, 1],
  BPF_MAP_TYPE_CPUMAP: [51],
  BPF_MAP_TYPE_XSKMAP: [51, 1],
  BPF_MAP_TYPE_ARRAY_OF_MAPS: [1],
  BPF_MAP_TYPE_HASH_OF_MAPS: [1],
  BPF_MAP_TYPE_SOCKMAP: [52, 53, 60, 82, 1, 2, 3],
  BPF_MAP_TYPE_SOCKHASH: [72, 70, 71, 82, 1, 2, 3],
  BPF_MAP_TYPE_REUSEPORT_SOCKARRAY: [82],
  BPF_MAP_TYPE_QUEUE: [87, 88, 89],
  BPF_MAP_TYPE_STACK: [87, 88, 89],
  BPF_MAP_TYPE_BLOOM_FILTER: [87, 89],
  BPF_MAP_TYPE_SK_STORAGE: [107, 108, 194],
  BPF_MAP_TYPE_INODE_STORAGE: [145, 146, 194],
  BPF_MAP_TYPE_TASK_STORAGE: [156, 157, 194],
  BPF_MAP_TYPE_CGRP_STORAGE: [210, 211, 194],
};

/** Map types a restricted helper accepts (second switch, on the helper). */
const BY_HELPER: Readonly<Record<number, readonly string[]>> = {
  12: ['BPF_MAP_TYPE_PROG_ARRAY'],
  22: ['BPF_MAP_TYPE_PERF_EVENT_ARRAY'], 25: ['BPF_MAP_TYPE_PERF_EVENT_ARRAY'], 55: ['BPF_MAP_TYPE_PERF_EVENT_ARRAY'],
  111: ['BPF_MAP_TYPE_PERF_EVENT_ARRAY'], 121: ['BPF_MAP_TYPE_PERF_EVENT_ARRAY'],
  130: ['BPF_MAP_TYPE_RINGBUF'], 131: ['BPF_MAP_TYPE_RINGBUF'], 134: ['BPF_MAP_TYPE_RINGBUF'], 198: ['BPF_MAP_TYPE_RINGBUF'],
  209: ['BPF_MAP_TYPE_USER_RINGBUF'],
  27: ['BPF_MAP_TYPE_STACK_TRACE'],
  33: ['BPF_MAP_TYPE_CGROUP_ARRAY'], 37: ['BPF_MAP_TYPE_CGROUP_ARRAY'],
  51: ['BPF_MAP_TYPE_DEVMAP', 'BPF_MAP_TYPE_DEVMAP_HASH', 'BPF_MAP_TYPE_CPUMAP', 'BPF_MAP_TYPE_XSKMAP'],
  52: ['BPF_MAP_TYPE_SOCKMAP'], 53: ['BPF_MAP_TYPE_SOCKMAP'], 60: ['BPF_MAP_TYPE_SOCKMAP'],
  72: ['BPF_MAP_TYPE_SOCKHASH'], 70: ['BPF_MAP_TYPE_SOCKHASH'], 71: ['BPF_MAP_TYPE_SOCKHASH'],
  81: ['BPF_MAP_TYPE_CGROUP_STORAGE', 'BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE'],
  82: ['BPF_MAP_TYPE_REUSEPORT_SOCKARRAY', 'BPF_MAP_TYPE_SOCKMAP', 'BPF_MAP_TYPE_SOCKHASH'],
  88: ['BPF_MAP_TYPE_QUEUE', 'BPF_MAP_TYPE_STACK'],
  87: ['BPF_MAP_TYPE_QUEUE', 'BPF_MAP_TYPE_STACK', 'BPF_MAP_TYPE_BLOOM_FILTER'],
  89: ['BPF_MAP_TYPE_QUEUE', 'BPF_MAP_TYPE_STACK', 'BPF_MAP_TYPE_BLOOM_FILTER'],
  195: ['BPF_MAP_TYPE_PERCPU_ARRAY', 'BPF_MAP_TYPE_PERCPU_HASH', 'BPF_MAP_TYPE_LRU_PERCPU_HASH'],
  107: ['BPF_MAP_TYPE_SK_STORAGE'], 108: ['BPF_MAP_TYPE_SK_STORAGE'],
  145: ['BPF_MAP_TYPE_INODE_STORAGE'], 146: ['BPF_MAP_TYPE_INODE_STORAGE'],
  156: ['BPF_MAP_TYPE_TASK_STORAGE'], 157: ['BPF_MAP_TYPE_TASK_STORAGE'],
  210: ['BPF_MAP_TYPE_CGRP_STORAGE'], 211: ['BPF_MAP_TYPE_CGRP_STORAGE'],
};

/**
 * Whether a map of `mapType` (`BPF_MAP_TYPE_*`) may be passed to helper `helperId`.
 * Generic lookup/update/delete on array/hash/LRU/percpu maps are unrestricted.
 */
export function mapHelperCompatible(mapType: string, helperId: number): boolean {
  const helpers = BY_MAP[mapType];
  if (helpers && !helpers.includes(helperId)) return false;
  const maps = BY_HELPER[helperId];
  if (maps && !maps.includes(mapType)) return false;
  return true;
}
