/** The graph-collection part of `check_map_prog_compatibility` (graph-collections.md §4.1). */
import { BPF_LIST_HEAD, BPF_RB_ROOT, BPF_RES_SPIN_LOCK, BPF_SPIN_LOCK, recordHas } from '@bpfkit/btf';
import type { ProgTypeInfo } from '@bpfkit/platform';
import { reject } from '../errors.js';
import type { VerifierMap } from '../types.js';

/** `is_tracing_prog_type`: kprobe, tracepoint, perf_event, raw_tracepoint (+writable). */
const TRACING_PROG_TYPES = new Set(['BPF_PROG_TYPE_KPROBE', 'BPF_PROG_TYPE_TRACEPOINT', 'BPF_PROG_TYPE_PERF_EVENT', 'BPF_PROG_TYPE_RAW_TRACEPOINT', 'BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE']);

export function checkGraphMapCompat(progType: ProgTypeInfo, map: VerifierMap): void {
  if (recordHas(map.record, BPF_LIST_HEAD | BPF_RB_ROOT) && TRACING_PROG_TYPES.has(progType.name)) {
    reject(-1, 'EINVAL', 'tracing progs cannot use bpf_{list_head,rb_root} yet');
  }
  if (recordHas(map.record, BPF_SPIN_LOCK | BPF_RES_SPIN_LOCK) && progType.name === 'BPF_PROG_TYPE_SOCKET_FILTER') {
    reject(-1, 'EINVAL', 'socket filter progs cannot use bpf_spin_lock yet');
  }
}
