/**
 * Helper prototypes of Linux 6.18 as data.
 *
 * Provenance: entries passed `spec: true` are verifier-core.md §11.5 verbatim. Every
 * other entry is written from memory of the kernel source (`struct bpf_func_proto`
 * definitions in kernel/bpf/helpers.c, net/core/filter.c, kernel/trace/bpf_trace.c)
 * and carries `fromMemory: true`; argument kinds reflect the 6.12+ tree, where
 * `ARG_PTR_TO_LONG`/`ARG_PTR_TO_INT` became fixed-size `ARG_PTR_TO_MEM` outputs.
 * Helpers whose prototype we could not state with confidence are absent (the
 * verifier then treats the id as unavailable).
 */
import { A, def } from './helper-dsl.js';
import { NET_HELPERS } from './helpers-net.js';
import type { HelperProto } from './types.js';

const ERRNO_OR_SIZE = { kind: 'errno_or_size' } as const;

/** §11.5: the prototypes the project relies on. */
export const SPEC_HELPERS: readonly HelperProto[] = [
  def(1, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.key], { pkt: true, spec: true }),
  def(2, 'RET_INTEGER', [A.map, A.key, A.value, A.any], { pkt: true, spec: true }),
  def(3, 'RET_INTEGER', [A.map, A.key], { pkt: true, spec: true }),
  def(5, 'RET_INTEGER', [], { spec: true }),
  def(6, 'RET_INTEGER', [A.memIn, A.size], { gpl: true, spec: true }),
  def(7, 'RET_INTEGER', [], { spec: true }),
  def(8, 'RET_INTEGER', [], { retRange: { kind: 'cpu_id' }, spec: true }),
  def(12, 'RET_VOID', [A.ctx, A.map, A.any], { spec: true }),
  def(93, 'RET_VOID', [A.spinLock], { spec: true }),
  def(94, 'RET_VOID', [A.spinLock], { spec: true }),
  def(181, 'RET_INTEGER', [A.any, A.func, A.stackOrNull, A.any], {
    spec: true,
    callback: { arg: 2, mode: 'sync', calleeArgs: ['scalar', 'caller R3'], retRange: [0, 1] },
  }),
  def(194, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.kptrDest, A.btfIdOrNullRelease], { acquires: true, releases: 2, spec: true }),
];

/** Generic helpers (maps, time, ring buffers, strings, callbacks, timers). From memory. */
export const GENERIC_HELPERS: readonly HelperProto[] = [
  def(42, 'RET_INTEGER', []), // get_numa_node_id
  def(87, 'RET_INTEGER', [A.map, A.value, A.any]), // map_push_elem
  def(88, 'RET_INTEGER', [A.map, A.valueOut]), // map_pop_elem
  def(89, 'RET_INTEGER', [A.map, A.valueOut]), // map_peek_elem
  def(195, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.key, A.any], { pkt: true }), // map_lookup_percpu_elem
  def(105, 'RET_INTEGER', [A.memIn, A.size, A.any, A.fixedOut(8)]), // strtol
  def(106, 'RET_INTEGER', [A.memIn, A.size, A.any, A.fixedOut(8)]), // strtoul
  def(118, 'RET_INTEGER', []), // jiffies64
  def(125, 'RET_INTEGER', []), // ktime_get_boot_ns
  def(160, 'RET_INTEGER', []), // ktime_get_coarse_ns
  def(208, 'RET_INTEGER', []), // ktime_get_tai_ns
  def(130, 'RET_INTEGER', [A.map, A.memIn, A.sizeOrZero, A.any]), // ringbuf_output
  def(131, 'RET_PTR_TO_RINGBUF_MEM_OR_NULL', [A.map, A.allocSize, A.any], { acquires: true }), // ringbuf_reserve
  def(132, 'RET_VOID', [A.ringbufRelease, A.any], { releases: 1 }), // ringbuf_submit
  def(133, 'RET_VOID', [A.ringbufRelease, A.any], { releases: 1 }), // ringbuf_discard
  def(134, 'RET_INTEGER', [A.map, A.any]), // ringbuf_query
  def(164, 'RET_INTEGER', [A.map, A.func, A.stackOrNull, A.any], {
    callback: { arg: 2, mode: 'sync', calleeArgs: ['map_ptr', 'map_key', 'map_value', 'caller R3'], retRange: [0, 1] },
  }), // for_each_map_elem
  def(165, 'RET_INTEGER', [A.memOutOrNull, A.sizeOrZero, A.constStr, A.memInOrNull, A.sizeOrZero], { gpl: true }), // snprintf
  def(177, 'RET_INTEGER', [A.memIn, A.size, A.memInOrNull, A.sizeOrZero], { gpl: true }), // trace_vprintk
  def(182, 'RET_INTEGER', [A.memIn, A.size, A.constStr]), // strncmp
  def(169, 'RET_INTEGER', [A.timer, A.map, A.any], { gpl: true }), // timer_init
  def(170, 'RET_INTEGER', [A.timer, A.func], {
    gpl: true,
    callback: { arg: 2, mode: 'async', calleeArgs: ['map_ptr', 'map_key', 'map_value'], retRange: [0, 0] },
  }), // timer_set_callback
  def(171, 'RET_INTEGER', [A.timer, A.any, A.any], { gpl: true }), // timer_start
  def(172, 'RET_INTEGER', [A.timer], { gpl: true }), // timer_cancel
  def(209, 'RET_INTEGER', [A.map, A.func, A.stackOrNull, A.any], {
    callback: { arg: 2, mode: 'sync', calleeArgs: ['dynptr_ptr', 'caller R3'], retRange: [0, 1] },
  }), // user_ringbuf_drain
  def(153, 'RET_PTR_TO_MEM_OR_BTF_ID', [A.percpuBtfId, A.any], { retFlags: ['PTR_MAYBE_NULL', 'MEM_RDONLY'] }), // per_cpu_ptr
  def(154, 'RET_PTR_TO_MEM_OR_BTF_ID', [A.percpuBtfId], { retFlags: ['MEM_RDONLY'] }), // this_cpu_ptr
];

/** Tracing helpers (current task, probes, stacks, perf output). From memory. */
export const TRACING_HELPERS: readonly HelperProto[] = [
  def(4, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // probe_read
  def(45, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // probe_read_str
  def(112, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // probe_read_user
  def(113, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // probe_read_kernel
  def(114, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // probe_read_user_str
  def(115, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // probe_read_kernel_str
  def(36, 'RET_INTEGER', [A.any, A.memIn, A.size], { gpl: true }), // probe_write_user
  def(148, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, sleeps: true }), // copy_from_user
  def(14, 'RET_INTEGER', []), // get_current_pid_tgid
  def(15, 'RET_INTEGER', []), // get_current_uid_gid
  def(16, 'RET_INTEGER', [A.memOut, A.size]), // get_current_comm
  def(35, 'RET_INTEGER', [], { gpl: true }), // get_current_task
  def(158, 'RET_PTR_TO_BTF_ID_TRUSTED', [], { gpl: true, retBtfType: 'task_struct' }), // get_current_task_btf
  def(80, 'RET_INTEGER', []), // get_current_cgroup_id
  def(123, 'RET_INTEGER', [A.any]), // get_current_ancestor_cgroup_id
  def(120, 'RET_INTEGER', [A.any, A.any, A.memOut, A.size]), // get_ns_current_pid_tgid
  def(109, 'RET_INTEGER', [A.any]), // send_signal
  def(117, 'RET_INTEGER', [A.any]), // send_signal_thread
  def(25, 'RET_INTEGER', [A.ctx, A.map, A.any, A.memIn, A.sizeOrZero], { gpl: true }), // perf_event_output
  def(27, 'RET_INTEGER', [A.ctx, A.map, A.any], { gpl: true }), // get_stackid
  def(67, 'RET_INTEGER', [A.ctx, A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // get_stack
  def(58, 'RET_INTEGER', [A.ctx, A.any], { gpl: true }), // override_return
  def(173, 'RET_INTEGER', [A.ctx], { gpl: true }), // get_func_ip
  def(174, 'RET_INTEGER', [A.ctx]), // get_attach_cookie
  def(183, 'RET_INTEGER', [A.ctx, A.any, A.fixedOut(8)]), // get_func_arg
  def(184, 'RET_INTEGER', [A.ctx, A.fixedOut(8)]), // get_func_ret
  def(185, 'RET_INTEGER', [A.ctx]), // get_func_arg_cnt
  def(180, 'RET_INTEGER', [A.btfId('task_struct'), A.any, A.func, A.stackOrNull, A.any], {
    callback: { arg: 3, mode: 'sync', calleeArgs: ['ptr_task_struct', 'ptr_vm_area_struct', 'caller R4'], retRange: [0, 1] },
  }), // find_vma
];

/** Every prototype of the default platform, sorted by id. */
export const LINUX_618_HELPERS: readonly HelperProto[] = Object.freeze(
  [...SPEC_HELPERS, ...GENERIC_HELPERS, ...TRACING_HELPERS, ...NET_HELPERS].sort((a, b) => a.id - b.id),
);
