/**
 * libbpf's program section table (`section_defs` in libbpf.c), common entries, in
 * libbpf's order (the first match wins). Matching follows `sec_def_matches`:
 * `"x/"` requires the prefix; `"x+"` accepts `x` exactly or `x/...`; otherwise exact.
 */
import { PROG_TYPE_NAMES, type ProgTypeName } from '@bpfkit/isa';

/** `enum bpf_prog_type` names, index = value (from @bpfkit/isa's UAPI tables). */
export const PROG_TYPES = PROG_TYPE_NAMES;
export type { ProgTypeName };

export interface SecDef {
  /** The libbpf pattern, e.g. `"fentry+"`, `"tc"`, `"xdp.frags/devmap"`. */
  readonly sec: string;
  readonly progType: ProgTypeName;
  /** `BPF_*` expected attach type name, or undefined for 0. */
  readonly attachType?: string;
  readonly sleepable?: boolean;
  /** SEC_ATTACH_BTF: the part after `/` names a kernel BTF function. */
  readonly attachBtf?: boolean;
  readonly xdpFrags?: boolean;
}

const d = (sec: string, t: string, attachType?: string, flags: Partial<SecDef> = {}): SecDef => ({
  sec,
  progType: `BPF_PROG_TYPE_${t}` as ProgTypeName,
  ...(attachType ? { attachType: `BPF_${attachType}` } : {}),
  ...flags,
});
const S = { sleepable: true };
const B = { attachBtf: true };
const BS = { attachBtf: true, sleepable: true };
const F = { xdpFrags: true };

export const SECTION_DEFS: readonly SecDef[] = [
  d('socket', 'SOCKET_FILTER'),
  d('sk_reuseport/migrate', 'SK_REUSEPORT', 'SK_REUSEPORT_SELECT_OR_MIGRATE'),
  d('sk_reuseport', 'SK_REUSEPORT', 'SK_REUSEPORT_SELECT'),
  d('kprobe+', 'KPROBE'),
  d('uprobe+', 'KPROBE'),
  d('uprobe.s+', 'KPROBE', undefined, S),
  d('kretprobe+', 'KPROBE'),
  d('uretprobe+', 'KPROBE'),
  d('uretprobe.s+', 'KPROBE', undefined, S),
  d('kprobe.multi+', 'KPROBE', 'TRACE_KPROBE_MULTI'),
  d('kretprobe.multi+', 'KPROBE', 'TRACE_KPROBE_MULTI'),
  d('uprobe.multi+', 'KPROBE', 'TRACE_UPROBE_MULTI'),
  d('uretprobe.multi+', 'KPROBE', 'TRACE_UPROBE_MULTI'),
  d('uprobe.multi.s+', 'KPROBE', 'TRACE_UPROBE_MULTI', S),
  d('uretprobe.multi.s+', 'KPROBE', 'TRACE_UPROBE_MULTI', S),
  d('ksyscall+', 'KPROBE'),
  d('kretsyscall+', 'KPROBE'),
  d('usdt+', 'KPROBE'),
  d('usdt.s+', 'KPROBE', undefined, S),
  d('tc/ingress', 'SCHED_CLS', 'TCX_INGRESS'),
  d('tc/egress', 'SCHED_CLS', 'TCX_EGRESS'),
  d('tcx/ingress', 'SCHED_CLS', 'TCX_INGRESS'),
  d('tcx/egress', 'SCHED_CLS', 'TCX_EGRESS'),
  d('netkit/primary', 'SCHED_CLS', 'NETKIT_PRIMARY'),
  d('netkit/peer', 'SCHED_CLS', 'NETKIT_PEER'),
  d('tc', 'SCHED_CLS'),
  d('classifier', 'SCHED_CLS'),
  d('action', 'SCHED_ACT'),
  d('tracepoint+', 'TRACEPOINT'),
  d('tp+', 'TRACEPOINT'),
  d('raw_tracepoint+', 'RAW_TRACEPOINT'),
  d('raw_tp+', 'RAW_TRACEPOINT'),
  d('raw_tracepoint.w+', 'RAW_TRACEPOINT_WRITABLE'),
  d('raw_tp.w+', 'RAW_TRACEPOINT_WRITABLE'),
  d('tp_btf+', 'TRACING', 'TRACE_RAW_TP', B),
  d('fentry+', 'TRACING', 'TRACE_FENTRY', B),
  d('fmod_ret+', 'TRACING', 'MODIFY_RETURN', B),
  d('fexit+', 'TRACING', 'TRACE_FEXIT', B),
  d('fentry.s+', 'TRACING', 'TRACE_FENTRY', BS),
  d('fmod_ret.s+', 'TRACING', 'MODIFY_RETURN', BS),
  d('fexit.s+', 'TRACING', 'TRACE_FEXIT', BS),
  d('freplace+', 'EXT', undefined, B),
  d('lsm+', 'LSM', 'LSM_MAC', B),
  d('lsm.s+', 'LSM', 'LSM_MAC', BS),
  d('lsm_cgroup+', 'LSM', 'LSM_CGROUP', B),
  d('iter+', 'TRACING', 'TRACE_ITER', B),
  d('iter.s+', 'TRACING', 'TRACE_ITER', BS),
  d('syscall', 'SYSCALL', undefined, S),
  d('xdp.frags/devmap', 'XDP', 'XDP_DEVMAP', F),
  d('xdp/devmap', 'XDP', 'XDP_DEVMAP'),
  d('xdp.frags/cpumap', 'XDP', 'XDP_CPUMAP', F),
  d('xdp/cpumap', 'XDP', 'XDP_CPUMAP'),
  d('xdp.frags', 'XDP', 'XDP', F),
  d('xdp', 'XDP', 'XDP'),
  d('perf_event', 'PERF_EVENT'),
  d('lwt_in', 'LWT_IN'),
  d('lwt_out', 'LWT_OUT'),
  d('lwt_xmit', 'LWT_XMIT'),
  d('lwt_seg6local', 'LWT_SEG6LOCAL'),
  d('sockops', 'SOCK_OPS', 'CGROUP_SOCK_OPS'),
  d('sk_skb/stream_parser', 'SK_SKB', 'SK_SKB_STREAM_PARSER'),
  d('sk_skb/stream_verdict', 'SK_SKB', 'SK_SKB_STREAM_VERDICT'),
  d('sk_skb/verdict', 'SK_SKB', 'SK_SKB_VERDICT'),
  d('sk_skb', 'SK_SKB'),
  d('sk_msg', 'SK_MSG', 'SK_MSG_VERDICT'),
  d('lirc_mode2', 'LIRC_MODE2', 'LIRC_MODE2'),
  d('flow_dissector', 'FLOW_DISSECTOR', 'FLOW_DISSECTOR'),
  d('cgroup_skb/ingress', 'CGROUP_SKB', 'CGROUP_INET_INGRESS'),
  d('cgroup_skb/egress', 'CGROUP_SKB', 'CGROUP_INET_EGRESS'),
  d('cgroup/skb', 'CGROUP_SKB'),
  d('cgroup/sock_create', 'CGROUP_SOCK', 'CGROUP_INET_SOCK_CREATE'),
  d('cgroup/sock_release', 'CGROUP_SOCK', 'CGROUP_INET_SOCK_RELEASE'),
  d('cgroup/sock', 'CGROUP_SOCK', 'CGROUP_INET_SOCK_CREATE'),
  d('cgroup/post_bind4', 'CGROUP_SOCK', 'CGROUP_INET4_POST_BIND'),
  d('cgroup/post_bind6', 'CGROUP_SOCK', 'CGROUP_INET6_POST_BIND'),
  d('cgroup/bind4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_BIND'),
  d('cgroup/bind6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_BIND'),
  d('cgroup/connect4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_CONNECT'),
  d('cgroup/connect6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_CONNECT'),
  d('cgroup/sendmsg4', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP4_SENDMSG'),
  d('cgroup/sendmsg6', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP6_SENDMSG'),
  d('cgroup/recvmsg4', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP4_RECVMSG'),
  d('cgroup/recvmsg6', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP6_RECVMSG'),
  d('cgroup/getpeername4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_GETPEERNAME'),
  d('cgroup/getpeername6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_GETPEERNAME'),
  d('cgroup/getsockname4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_GETSOCKNAME'),
  d('cgroup/getsockname6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_GETSOCKNAME'),
  d('cgroup/sysctl', 'CGROUP_SYSCTL', 'CGROUP_SYSCTL'),
  d('cgroup/getsockopt', 'CGROUP_SOCKOPT', 'CGROUP_GETSOCKOPT'),
  d('cgroup/setsockopt', 'CGROUP_SOCKOPT', 'CGROUP_SETSOCKOPT'),
  d('cgroup/dev', 'CGROUP_DEVICE', 'CGROUP_DEVICE'),
  d('struct_ops+', 'STRUCT_OPS'),
  d('struct_ops.s+', 'STRUCT_OPS', undefined, S),
  d('sk_lookup', 'SK_LOOKUP', 'SK_LOOKUP'),
  d('netfilter', 'NETFILTER', 'NETFILTER'),
];

export function secDefMatches(def: SecDef, secName: string): boolean {
  const pat = def.sec;
  const last = pat[pat.length - 1];
  if (last === '/') return secName.startsWith(pat);
  if (last === '+') {
    const p = pat.slice(0, -1);
    if (!secName.startsWith(p)) return false;
    return secName.length === p.length || secName[p.length] === '/';
  }
  return secName === pat;
}

export interface ProgramKind {
  readonly progType: ProgTypeName;
  /** Numeric `enum bpf_prog_type`. */
  readonly progTypeId: number;
  readonly attachType?: string;
  readonly sleepable: boolean;
  /** The matched libbpf pattern; undefined when libbpf would not recognise the section. */
  readonly secDef?: string;
  /** The text after `prefix/` for `+` definitions (tracepoint, kprobe target, fentry function...). */
  readonly attachTo?: string;
  readonly attachBtf: boolean;
  readonly xdpFrags: boolean;
}

/** libbpf `find_sec_def`: classify a program section name (without its `?`). */
export function programKindForSection(secName: string): ProgramKind {
  for (const def of SECTION_DEFS) {
    if (!secDefMatches(def, secName)) continue;
    const base = def.sec.endsWith('+') ? def.sec.slice(0, -1) : undefined;
    const attachTo = base !== undefined && secName.length > base.length + 1 ? secName.slice(base.length + 1) : undefined;
    return {
      progType: def.progType,
      progTypeId: PROG_TYPES.indexOf(def.progType),
      ...(def.attachType ? { attachType: def.attachType } : {}),
      sleepable: def.sleepable === true,
      secDef: def.sec,
      ...(attachTo !== undefined ? { attachTo } : {}),
      attachBtf: def.attachBtf === true,
      xdpFrags: def.xdpFrags === true,
    };
  }
  return { progType: 'BPF_PROG_TYPE_UNSPEC', progTypeId: 0, sleepable: false, attachBtf: false, xdpFrags: false };
}
