/**
 * Program types (`enum bpf_prog_type`, Linux 6.18) with their ctx layouts, direct
 * packet access (verifier-core.md §9.5), return ranges (§13) and helper availability.
 */
import { PROG_TYPE_NAMES as ISA_PROG_TYPE_NAMES } from '@bpfkit/isa';
import {
  availability, BASE_GROUPS, CGROUP_DEVICE_GROUPS, CGROUP_SKB_GROUPS, CGROUP_SOCK_ADDR_GROUPS, CGROUP_SOCK_GROUPS,
  CGROUP_SOCKOPT_GROUPS, CGROUP_SYSCTL_GROUPS, FLOW_DISSECTOR_GROUPS, helperVariants, KPROBE_GROUPS, LIRC_MODE2_GROUPS,
  LSM_GROUPS, LWT_IN_GROUPS, LWT_OUT_GROUPS, LWT_SEG6LOCAL_GROUPS, LWT_XMIT_GROUPS, NETFILTER_GROUPS, PERF_EVENT_GROUPS,
  RAW_TRACEPOINT_GROUPS, SK_LOOKUP_GROUPS, SK_MSG_GROUPS, SK_REUSEPORT_GROUPS, SK_SKB_GROUPS, SOCK_OPS_GROUPS,
  SOCKET_FILTER_GROUPS, STRUCT_OPS_GROUPS, SYSCALL_GROUPS, TC_GROUPS, TRACEPOINT_GROUPS, TRACING_GROUPS, XDP_GROUPS,
  type HelperGroup,
} from './availability.js';
import {
  checkCgroupSkbCtx, checkFlowDissectorCtx, checkLwtCtx, checkSkSkbCtx, checkSocketFilterCtx, checkTcCtx, SK_BUFF_SIZE,
} from './ctx/skbuff.js';
import { checkSyscallCtx, SYSCALL_CTX_MAX } from './ctx/syscall.js';
import {
  checkBtfArgsCtx, checkKprobeCtx, checkPerfEventCtx, checkRawTpCtx, checkRawTpWritableCtx, checkTracepointCtx, PERF_EVENT_DATA_SIZE,
  PT_REGS_SIZE, RAW_TP_CTX_SIZE, TRACEPOINT_CTX_MAX,
} from './ctx/tracing.js';
import { checkXdpCtxAccess, XDP_MD_SIZE } from './ctx/xdp.js';
import { returnRangeFor } from './return-ranges.js';
import type { CtxAccessFn, PacketAccess, ProgTypeInfo } from './types.js';

/** `enum bpf_prog_type` names, index = value. */
export const PROG_TYPE_NAMES: readonly string[] = ISA_PROG_TYPE_NAMES;

const RW: PacketAccess = { read: true, write: true };
const RO: PacketAccess = { read: true, write: false };
const NONE: PacketAccess = { read: false, write: false };

interface Row {
  readonly aliases?: readonly string[];
  readonly ctx: readonly [string, number];
  readonly packet?: PacketAccess;
  readonly access?: CtxAccessFn;
  readonly groups?: readonly HelperGroup[];
  readonly ctxIsMemory?: boolean;
}

/*
 * ctx sizes: xdp_md, __sk_buff and the syscall bound are from the spec; the tracing ones from
 * ctx/tracing.ts (the bound of the access check: pt_regs, PERF_MAX_TRACE_SIZE, 12 u64 slots); the
 * rest are the UAPI struct names with size 0 (layout not modelled on this platform yet).
 */
const ROWS: Readonly<Record<string, Row>> = {
  SOCKET_FILTER: { aliases: ['socket'], ctx: ['__sk_buff', SK_BUFF_SIZE], access: checkSocketFilterCtx, groups: SOCKET_FILTER_GROUPS },
  KPROBE: { aliases: ['kretprobe', 'uprobe', 'uretprobe'], ctx: ['pt_regs', PT_REGS_SIZE], access: checkKprobeCtx, groups: KPROBE_GROUPS },
  SCHED_CLS: { aliases: ['tc', 'classifier', 'tcx'], ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RW, access: checkTcCtx, groups: TC_GROUPS },
  SCHED_ACT: { aliases: ['action'], ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RW, access: checkTcCtx, groups: TC_GROUPS },
  TRACEPOINT: { aliases: ['tp'], ctx: ['trace_event_raw', TRACEPOINT_CTX_MAX], access: checkTracepointCtx, groups: TRACEPOINT_GROUPS },
  XDP: { ctx: ['xdp_md', XDP_MD_SIZE], packet: RW, access: checkXdpCtxAccess, groups: XDP_GROUPS },
  PERF_EVENT: { ctx: ['bpf_perf_event_data', PERF_EVENT_DATA_SIZE], access: checkPerfEventCtx, groups: PERF_EVENT_GROUPS },
  CGROUP_SKB: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RO, access: checkCgroupSkbCtx, groups: CGROUP_SKB_GROUPS },
  CGROUP_SOCK: { ctx: ['bpf_sock', 0], groups: CGROUP_SOCK_GROUPS },
  LWT_IN: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RO, access: checkLwtCtx, groups: LWT_IN_GROUPS },
  LWT_OUT: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RO, access: checkLwtCtx, groups: LWT_OUT_GROUPS },
  LWT_XMIT: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RW, access: checkLwtCtx, groups: LWT_XMIT_GROUPS },
  SOCK_OPS: { ctx: ['bpf_sock_ops', 0], groups: SOCK_OPS_GROUPS },
  SK_SKB: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RW, access: checkSkSkbCtx, groups: SK_SKB_GROUPS },
  CGROUP_DEVICE: { ctx: ['bpf_cgroup_dev_ctx', 0], groups: CGROUP_DEVICE_GROUPS },
  SK_MSG: { ctx: ['sk_msg_md', 0], packet: RW, groups: SK_MSG_GROUPS },
  RAW_TRACEPOINT: { aliases: ['raw_tp'], ctx: ['bpf_raw_tracepoint_args', RAW_TP_CTX_SIZE], access: checkRawTpCtx, groups: RAW_TRACEPOINT_GROUPS },
  CGROUP_SOCK_ADDR: { ctx: ['bpf_sock_addr', 0], groups: CGROUP_SOCK_ADDR_GROUPS },
  LWT_SEG6LOCAL: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RO, access: checkLwtCtx, groups: LWT_SEG6LOCAL_GROUPS },
  LIRC_MODE2: { ctx: ['u32', 0], groups: LIRC_MODE2_GROUPS },
  SK_REUSEPORT: { ctx: ['sk_reuseport_md', 0], packet: RO, groups: SK_REUSEPORT_GROUPS },
  FLOW_DISSECTOR: { ctx: ['__sk_buff', SK_BUFF_SIZE], packet: RO, access: checkFlowDissectorCtx, groups: FLOW_DISSECTOR_GROUPS },
  CGROUP_SYSCTL: { ctx: ['bpf_sysctl', 0], groups: CGROUP_SYSCTL_GROUPS },
  RAW_TRACEPOINT_WRITABLE: {
    aliases: ['raw_tp.w', 'raw_tp_w', 'raw_tracepoint.w'], ctx: ['bpf_raw_tracepoint_args', RAW_TP_CTX_SIZE], access: checkRawTpWritableCtx,
    groups: RAW_TRACEPOINT_GROUPS,
  },
  CGROUP_SOCKOPT: { ctx: ['bpf_sockopt', 0], packet: RW, groups: CGROUP_SOCKOPT_GROUPS },
  TRACING: { aliases: ['fentry', 'fexit', 'fmod_ret'], ctx: ['btf_args', RAW_TP_CTX_SIZE], access: checkBtfArgsCtx, groups: TRACING_GROUPS },
  STRUCT_OPS: { ctx: ['btf_args', 0], groups: STRUCT_OPS_GROUPS },
  EXT: { ctx: ['target', 0] },
  LSM: { ctx: ['btf_args', RAW_TP_CTX_SIZE], access: checkBtfArgsCtx, groups: LSM_GROUPS },
  SK_LOOKUP: { ctx: ['bpf_sk_lookup', 0], groups: SK_LOOKUP_GROUPS },
  SYSCALL: { ctx: ['syscall', SYSCALL_CTX_MAX], access: checkSyscallCtx, groups: SYSCALL_GROUPS, ctxIsMemory: true },
  NETFILTER: { ctx: ['bpf_nf_ctx', 0], groups: NETFILTER_GROUPS },
};

function build(id: number, name: string): ProgTypeInfo | undefined {
  const short = name.slice('BPF_PROG_TYPE_'.length);
  const row = ROWS[short];
  if (!row) return undefined;
  const groups = row.groups ?? BASE_GROUPS;
  const helperAllowed = availability(groups);
  const helperVariant = helperVariants(groups);
  return Object.freeze({
    name,
    aliases: Object.freeze([short.toLowerCase(), ...(row.aliases ?? [])]),
    id,
    ctx: Object.freeze({ name: row.ctx[0], size: row.ctx[1] }),
    ctxIsMemory: row.ctxIsMemory ?? false,
    packet: row.packet ?? NONE,
    ...(row.access ? { checkCtxAccess: row.access } : {}),
    returnRange: (attachType?: string, opts?: { readonly attachBtf?: boolean }) => returnRangeFor(name, attachType, opts),
    helperAllowed,
    helperVariant,
  });
}

/** Every program type of Linux 6.18 except `UNSPEC`, in enum order. */
export const LINUX_618_PROG_TYPES: readonly ProgTypeInfo[] = Object.freeze(
  PROG_TYPE_NAMES.map((n, i) => build(i, n)).filter((p): p is ProgTypeInfo => p !== undefined),
);

/** Finds a type by enum name, short name/alias (case-insensitive) or enum value. */
export function findProgType(types: readonly ProgTypeInfo[], key: string | number): ProgTypeInfo | undefined {
  if (typeof key === 'number') return types.find((t) => t.id === key);
  const k = key.trim();
  const upper = k.toUpperCase();
  const lower = k.toLowerCase();
  return types.find((t) => t.name === upper || t.name === 'BPF_PROG_TYPE_' + upper || t.aliases.includes(lower));
}
