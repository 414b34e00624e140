/**
 * Required R0 ranges at program exit (verifier-core.md §13). `undefined` = anything.
 */
import type { ReturnRange } from './types.js';

const R = (min: number, max: number): ReturnRange => ({ min, max });
const ZERO_ONE = R(0, 1);

export interface ReturnRangeContext {
  /** RAW_TRACEPOINT loaded with an `attach_btf_id` (BTF raw tracepoint). */
  readonly attachBtf?: boolean;
}

const SOCK_ADDR_ONE = new Set([
  'BPF_CGROUP_UDP4_RECVMSG', 'BPF_CGROUP_UDP6_RECVMSG', 'BPF_CGROUP_UNIX_RECVMSG',
  'BPF_CGROUP_INET4_GETPEERNAME', 'BPF_CGROUP_INET6_GETPEERNAME', 'BPF_CGROUP_UNIX_GETPEERNAME',
  'BPF_CGROUP_INET4_GETSOCKNAME', 'BPF_CGROUP_INET6_GETSOCKNAME', 'BPF_CGROUP_UNIX_GETSOCKNAME',
]);

/** §13 table as a function of the program type's enum name and the expected attach type. */
export function returnRangeFor(progType: string, attachType?: string, ctx: ReturnRangeContext = {}): ReturnRange | undefined {
  switch (progType) {
    case 'BPF_PROG_TYPE_CGROUP_SKB':
      return attachType === 'BPF_CGROUP_INET_EGRESS' ? R(0, 3) : ZERO_ONE;
    case 'BPF_PROG_TYPE_CGROUP_SOCK':
    case 'BPF_PROG_TYPE_SOCK_OPS':
    case 'BPF_PROG_TYPE_CGROUP_DEVICE':
    case 'BPF_PROG_TYPE_CGROUP_SYSCTL':
    case 'BPF_PROG_TYPE_CGROUP_SOCKOPT':
    case 'BPF_PROG_TYPE_SK_LOOKUP':
    case 'BPF_PROG_TYPE_NETFILTER':
      return ZERO_ONE;
    case 'BPF_PROG_TYPE_CGROUP_SOCK_ADDR':
      if (attachType !== undefined && SOCK_ADDR_ONE.has(attachType)) return R(1, 1);
      if (attachType === 'BPF_CGROUP_INET4_BIND' || attachType === 'BPF_CGROUP_INET6_BIND') return R(0, 3);
      return ZERO_ONE;
    case 'BPF_PROG_TYPE_RAW_TRACEPOINT':
      return ctx.attachBtf ? R(0, 0) : undefined;
    case 'BPF_PROG_TYPE_TRACING':
      switch (attachType) {
        case 'BPF_TRACE_FENTRY':
        case 'BPF_TRACE_FEXIT':
          return R(0, 0);
        case 'BPF_TRACE_RAW_TP':
        case 'BPF_MODIFY_RETURN':
          return undefined;
        case 'BPF_TRACE_ITER':
          return ZERO_ONE;
        default:
          return ZERO_ONE;
      }
    case 'BPF_PROG_TYPE_KPROBE':
      return attachType === 'BPF_TRACE_KPROBE_SESSION' || attachType === 'BPF_TRACE_UPROBE_SESSION' ? ZERO_ONE : undefined;
    case 'BPF_PROG_TYPE_LSM':
      // Hook-specific ranges (checked on 32-bit bounds) need the hook's BTF; only LSM_CGROUP is table data.
      return attachType === 'BPF_LSM_CGROUP' ? ZERO_ONE : undefined;
    default:
      return undefined;
  }
}
