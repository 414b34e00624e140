/**
 * Helper prototypes of Linux 6.18 as data: one entry for every id 1..211 of `enum bpf_func_id`.
 *
 * Provenance: entries passed `spec: true` are verifier-core.md §11.5 verbatim. Every
 * other entry is written from memory of the kernel source (`struct bpf_func_proto`
 * definitions in kernel/bpf/helpers.c, net/core/filter.c, kernel/trace/bpf_trace.c)
 * and carries `fromMemory: true`; argument kinds reflect the 6.12+ tree, where
 * `ARG_PTR_TO_LONG`/`ARG_PTR_TO_INT` became fixed-size `ARG_PTR_TO_MEM` outputs.
 * For every helper that some program type loadable without BTF may call, the kind of
 * the first checked argument, `gpl_only`, `might_sleep` and the `allowed()` hook were
 * checked against the running 6.18 kernel (the calls are recorded in
 * packages/verifier/cases/helpers-table.txt). Helpers only LSM, struct_ops, tracing
 * (fentry/fexit/iter) or lirc programs may call (36, 58, 77, 78, 92, 116, 126, 127,
 * 145, 146, 150, 159, 161, 183–185, 193) could not be loaded here and are unchecked.
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

/** Generic helpers (maps, time, ring buffers, strings, callbacks, timers, storage, dynptrs). From memory. */
export const GENERIC_HELPERS: readonly HelperProto[] = [
  def(42, 'RET_INTEGER', []), // get_numa_node_id
  def(81, 'RET_PTR_TO_MAP_VALUE', [A.map, A.any]), // get_local_storage
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
  // local storage of tasks and cgroups (base set since 6.2)
  def(156, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.btfIdOrNull('task_struct'), A.valueOrNull, A.any]), // task_storage_get
  def(157, 'RET_INTEGER', [A.map, A.btfIdOrNull('task_struct')]), // task_storage_delete
  def(210, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.btfId('cgroup'), A.valueOrNull, A.any]), // cgrp_storage_get
  def(211, 'RET_INTEGER', [A.map, A.btfId('cgroup')]), // cgrp_storage_delete
  // dynptrs
  def(197, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any, A.dynptrLocalOut]), // dynptr_from_mem
  def(198, 'RET_INTEGER', [A.map, A.any, A.any, A.dynptrRingbufOut]), // ringbuf_reserve_dynptr
  def(199, 'RET_VOID', [A.dynptrRingbufRelease, A.any], { releases: 1 }), // ringbuf_submit_dynptr
  def(200, 'RET_VOID', [A.dynptrRingbufRelease, A.any], { releases: 1 }), // ringbuf_discard_dynptr
  def(201, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.dynptrRo, A.any, A.any]), // dynptr_read
  def(202, 'RET_INTEGER', [A.dynptrRo, A.any, A.memIn, A.sizeOrZero, A.any]), // dynptr_write
  def(203, 'RET_PTR_TO_DYNPTR_MEM_OR_NULL', [A.dynptrRo, A.any, A.allocSize]), // dynptr_data
  // cgroup hooks' return value
  def(186, 'RET_INTEGER', []), // get_retval
  def(187, 'RET_INTEGER', [A.any]), // set_retval
];

/** Tracing helpers (current task, probes, stacks, perf output, func args). From memory. */
export const TRACING_HELPERS: readonly HelperProto[] = [
  def(4, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // probe_read
  def(45, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // probe_read_str
  def(112, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // probe_read_user
  def(113, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // probe_read_kernel
  def(114, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // probe_read_user_str
  def(115, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // probe_read_kernel_str
  def(36, 'RET_INTEGER', [A.any, A.memIn, A.size], { gpl: true }), // probe_write_user
  def(148, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { sleeps: true }), // copy_from_user
  def(191, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any, A.btfId('task_struct'), A.any], { gpl: true, sleeps: true }), // copy_from_user_task
  def(14, 'RET_INTEGER', []), // get_current_pid_tgid
  def(15, 'RET_INTEGER', []), // get_current_uid_gid
  def(16, 'RET_INTEGER', [A.memOut, A.size]), // get_current_comm
  def(35, 'RET_INTEGER', [], { gpl: true }), // get_current_task
  def(158, 'RET_PTR_TO_BTF_ID_TRUSTED', [], { gpl: true, retBtfType: 'task_struct' }), // get_current_task_btf
  def(175, 'RET_PTR_TO_BTF_ID', [A.btfId('task_struct')], { gpl: true, retBtfType: 'pt_regs' }), // task_pt_regs
  def(37, 'RET_INTEGER', [A.map, A.any]), // current_task_under_cgroup
  def(80, 'RET_INTEGER', []), // get_current_cgroup_id
  def(123, 'RET_INTEGER', [A.any]), // get_current_ancestor_cgroup_id
  def(120, 'RET_INTEGER', [A.any, A.any, A.memOut, A.size]), // get_ns_current_pid_tgid
  def(109, 'RET_INTEGER', [A.any]), // send_signal
  def(117, 'RET_INTEGER', [A.any]), // send_signal_thread
  def(22, 'RET_INTEGER', [A.map, A.any], { gpl: true }), // perf_event_read
  def(55, 'RET_INTEGER', [A.map, A.any, A.memOut, A.size], { gpl: true }), // perf_event_read_value
  def(56, 'RET_INTEGER', [A.ctx, A.memOut, A.size], { gpl: true }), // perf_prog_read_value
  def(119, 'RET_INTEGER', [A.ctx, A.memOutOrNull, A.sizeOrZero, A.any], { gpl: true }), // read_branch_records
  def(176, 'RET_INTEGER', [A.memOut, A.sizeOrZero, A.any], { gpl: true }), // get_branch_snapshot
  def(25, 'RET_INTEGER', [A.ctx, A.map, A.any, A.memIn, A.sizeOrZero], { gpl: true }), // perf_event_output
  def(111, 'RET_INTEGER', [A.btfId('sk_buff'), A.map, A.any, A.memIn, A.sizeOrZero], { gpl: true }), // skb_output
  def(121, 'RET_INTEGER', [A.btfId('xdp_buff'), A.map, A.any, A.memIn, A.sizeOrZero], { gpl: true }), // xdp_output
  def(27, 'RET_INTEGER', [A.ctx, A.map, A.any], { gpl: true }), // get_stackid
  def(67, 'RET_INTEGER', [A.ctx, A.memOut, A.sizeOrZero, A.any], { gpl: true, retRange: ERRNO_OR_SIZE }), // get_stack
  def(141, 'RET_INTEGER', [A.btfId('task_struct'), A.memOut, A.sizeOrZero, A.any], { retRange: ERRNO_OR_SIZE }), // get_task_stack
  def(58, 'RET_INTEGER', [A.ctx, A.any], { gpl: true }), // override_return
  def(173, 'RET_INTEGER', [A.ctx], { gpl: true }), // get_func_ip
  def(174, 'RET_INTEGER', [A.ctx]), // get_attach_cookie
  def(183, 'RET_INTEGER', [A.ctx, A.any, A.fixedOut(8)]), // get_func_arg
  def(184, 'RET_INTEGER', [A.ctx, A.fixedOut(8)]), // get_func_ret
  def(185, 'RET_INTEGER', [A.ctx]), // get_func_arg_cnt
  def(180, 'RET_INTEGER', [A.btfId('task_struct'), A.any, A.func, A.stackOrNull, A.any], {
    callback: { arg: 3, mode: 'sync', calleeArgs: ['ptr_task_struct', 'ptr_vm_area_struct', 'caller R4'], retRange: [0, 1] },
  }), // find_vma
  def(149, 'RET_INTEGER', [A.memOut, A.size, A.memIn, A.size, A.any]), // snprintf_btf
  def(126, 'RET_INTEGER', [A.btfId('seq_file'), A.memIn, A.size, A.memInOrNull, A.sizeOrZero], { gpl: true }), // seq_printf
  def(127, 'RET_INTEGER', [A.btfId('seq_file'), A.memIn, A.sizeOrZero], { gpl: true }), // seq_write
  def(150, 'RET_INTEGER', [A.btfId('seq_file'), A.memIn, A.size, A.any]), // seq_printf_btf
  def(147, 'RET_INTEGER', [A.btfId('path'), A.memWrite, A.sizeOrZero], { allowedIn: ['BPF_PROG_TYPE_TRACING', 'BPF_PROG_TYPE_LSM'] }), // d_path
  def(162, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfId('file')], { retBtfType: 'socket' }), // sock_from_file
  // BPF_PROG_TYPE_SYSCALL
  def(166, 'RET_INTEGER', [A.any, A.memIn, A.size]), // sys_bpf
  def(167, 'RET_INTEGER', [A.memIn, A.size, A.any, A.any]), // btf_find_by_name_kind
  def(168, 'RET_INTEGER', [A.any]), // sys_close
  def(179, 'RET_INTEGER', [A.memIn, A.size, A.any, A.fixedOut(8)]), // kallsyms_lookup_name
];

/** LSM hooks, lirc and struct_ops helpers (no program type of them loads without BTF or a device). From memory. */
export const LSM_MISC_HELPERS: readonly HelperProto[] = [
  def(145, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.btfIdOrNull('inode'), A.valueOrNull, A.any]), // inode_storage_get
  def(146, 'RET_INTEGER', [A.map, A.btfIdOrNull('inode')]), // inode_storage_delete
  def(159, 'RET_INTEGER', [A.btfId('linux_binprm'), A.any]), // bprm_opts_set
  def(161, 'RET_INTEGER', [A.btfId('inode'), A.memOut, A.size], { sleeps: true, allowedIn: ['BPF_PROG_TYPE_LSM', 'BPF_PROG_TYPE_TRACING'] }), // ima_inode_hash
  def(193, 'RET_INTEGER', [A.btfId('file'), A.memOut, A.size], { sleeps: true, allowedIn: ['BPF_PROG_TYPE_LSM', 'BPF_PROG_TYPE_TRACING'] }), // ima_file_hash
  def(77, 'RET_INTEGER', [A.ctx], { gpl: true }), // rc_repeat
  def(78, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any], { gpl: true }), // rc_keydown
  def(92, 'RET_INTEGER', [A.ctx, A.any, A.any], { gpl: true }), // rc_pointer_rel
  def(116, 'RET_INTEGER', [A.btfId('tcp_sock'), A.any]), // tcp_send_ack
];

/**
 * Helpers whose prototype depends on the program type (the kernel's `get_func_proto` hands out a different
 * `bpf_func_proto` for the same id). The table above holds the networking form; these are the other forms,
 * attached to availability groups (see availability.ts).
 */
export const VARIANT_HELPERS = {
  /** `bpf_get_cgroup_classid_curr_proto`: no arguments (outside tc/lwt). */
  getCgroupClassidCurr: def(17, 'RET_INTEGER', []),
  /** `bpf_get_socket_ptr_cookie_proto`: a BTF socket (tracing, syscall). */
  getSocketPtrCookie: def(46, 'RET_INTEGER', [A.btfSockCommon]),
  /** `bpf_xdp_get_buff_len_trace_proto`: an `xdp_buff` BTF pointer (tracing, syscall). */
  xdpGetBuffLenTrace: def(188, 'RET_INTEGER', [A.btfId('xdp_buff')]),
  /** `bpf_sk_storage_get_tracing_proto`: with the `allowed()` hook (iter, raw_tp, fentry/fexit only). */
  skStorageGetTracing: def(107, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.btfIdOrNull('sock'), A.valueOrNull, A.any], {
    allowedIn: ['BPF_PROG_TYPE_TRACING'],
  }),
  /** `bpf_sk_setsockopt_proto` / `bpf_sk_getsockopt_proto`: a BTF socket, not the ctx (cgroup_sockopt, LSM). */
  skSetsockopt: def(49, 'RET_INTEGER', [A.btfSockCommon, A.any, A.any, A.memIn, A.size]),
  skGetsockopt: def(57, 'RET_INTEGER', [A.btfSockCommon, A.any, A.any, A.memOut, A.size]),
  skStorageDeleteTracing: def(108, 'RET_INTEGER', [A.map, A.btfIdOrNull('sock')], { allowedIn: ['BPF_PROG_TYPE_TRACING'] }),
} as const;

/** Every prototype of the default platform, sorted by id. */
export const LINUX_618_HELPERS: readonly HelperProto[] = Object.freeze(
  [...SPEC_HELPERS, ...GENERIC_HELPERS, ...TRACING_HELPERS, ...LSM_MISC_HELPERS, ...NET_HELPERS].sort((a, b) => a.id - b.id),
);
