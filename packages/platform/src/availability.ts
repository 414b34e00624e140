/**
 * Which program types may call which helpers (the kernel's per-type `get_func_proto`).
 *
 * Provenance: the membership of every group of a program type that loads without BTF or
 * a device (all but TRACING, LSM, STRUCT_OPS, EXT, LIRC_MODE2) was read off the running
 * Linux 6.18 kernel: each helper id 1..211 was called from each such type (as root, with
 * the listed attach types) and `program of this type cannot use helper` noted; the
 * CAP_BPF / CAP_PERFMON split of the base set and the socket casts comes from the same
 * calls made with only CAP_BPF (+CAP_NET_ADMIN). The split between the unprivileged and
 * the CAP_BPF part of the base set cannot be observed here (unprivileged BPF is disabled)
 * and is from memory of `bpf_base_func_proto`. The TRACING, LSM, STRUCT_OPS and
 * LIRC_MODE2 lists are from memory of `tracing_prog_func_proto`, `bpf_lsm_func_proto`,
 * `bpf_tcp_ca_get_func_proto` and `lirc_mode2_func_proto`.
 *
 * Kernel-config notes: `bpf_override_return` (#58) needs CONFIG_BPF_KPROBE_OVERRIDE and
 * `bpf_probe_write_user` (#36) is refused under lockdown; the reference kernel has neither,
 * so no type here offers them (KPROBE_OVERRIDE_GROUPS shows the kprobe set with #58).
 */
import { VARIANT_HELPERS as V } from './helpers.js';
import type { Caps, HelperProto } from './types.js';

/** A helper group: ids plus the capability the kernel asks for before handing them out. */
export interface HelperGroup {
  readonly ids: readonly number[];
  readonly needs?: 'bpf' | 'perfmon';
  /** Only for these expected attach types (`BPF_*` names); an unknown attach type does not qualify. */
  readonly onlyAttach?: readonly string[];
  /** Not for these expected attach types. */
  readonly exceptAttach?: readonly string[];
  /**
   * Type-specific prototypes for some of `ids` (the kernel hands out another `bpf_func_proto` for the
   * id here). The last group listing an id decides: a later group listing it without a proto restores
   * the platform's default prototype.
   */
  readonly protos?: readonly HelperProto[];
}

export const ROOT_CAPS: Caps = Object.freeze({ bpf: true, perfmon: true, sysAdmin: true });

/** `bpf_base_func_proto`, first switch: no capability needed (membership from memory, see above). */
export const BASE_UNPRIV: HelperGroup = {
  ids: [1, 2, 3, 5, 7, 8, 12, 42, 87, 88, 89, 105, 106, 125, 130, 131, 132, 133, 134, 164, 181, 182, 195, 208],
};
/** `bpf_base_func_proto`, CAP_BPF switch (kernel-observed). `get_cgroup_classid` here is the no-argument form. */
export const BASE_BPF: HelperGroup = {
  ids: [
    14, 15, 17, 37, 80, 93, 94, 118, 120, 123, 153, 154, 156, 157, 169, 170, 171, 172, 194, 197, 198, 199, 200, 201, 202, 203,
    209, 210, 211,
  ],
  needs: 'bpf',
  protos: [V.getCgroupClassidCurr],
};
/** `bpf_base_func_proto`, CAP_PERFMON switch (kernel-observed). */
export const BASE_PERFMON: HelperGroup = {
  ids: [6, 16, 22, 35, 55, 109, 112, 113, 114, 115, 117, 141, 148, 149, 158, 165, 175, 176, 177, 180, 191],
  needs: 'perfmon',
};
export const BASE_GROUPS: readonly HelperGroup[] = [BASE_UNPRIV, BASE_BPF, BASE_PERFMON];

/** `bpf_skc_to_*` casts: CAP_PERFMON (`bpf_sk_base_func_proto`). */
export const SOCK_CASTS: HelperGroup = { ids: [136, 137, 138, 139, 140, 178, 196], needs: 'perfmon' };
/** `bpf_sk_base_func_proto`: socket casts (CAP_PERFMON) and the coarse clock. */
export const SK_BASE_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [160] }, SOCK_CASTS];

const SOCK_LOOKUP = [84, 85, 86, 99];
const SYNCOOKIES = [100, 110, 204, 205, 206, 207];

export const SOCKET_FILTER_GROUPS: readonly HelperGroup[] = [...SK_BASE_GROUPS, { ids: [25, 26, 46, 47, 68, 122] }];

export const TC_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  {
    ids: [
      9, 10, 11, 13, 17, 18, 19, 20, 21, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33, 34, 38, 39, 40, 41, 43, 46, 47, 48, 50, 66, 68,
      69, 79, 83, ...SOCK_LOOKUP, 95, 96, 97, 98, 107, 108, 122, 124, 135, 151, 152, 155, 163, 192, ...SYNCOOKIES,
    ],
  },
];

export const XDP_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [23, 25, 28, 44, 51, 54, 65, 69, ...SOCK_LOOKUP, 163, 188, 189, 190, ...SYNCOOKIES] },
];

export const CGROUP_SKB_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [25, 26, 46, 47, 68, 79, 81, 83, ...SOCK_LOOKUP, 95, 96, 97, 98, 107, 108, 122, 128, 129] },
];

/** Attach types whose programs must return 1 (no `get_retval`/`set_retval`). */
const SOCK_ADDR_RET_ONE = [
  'BPF_CGROUP_UDP4_RECVMSG', 'BPF_CGROUP_UDP6_RECVMSG', 'BPF_CGROUP_UNIX_RECVMSG', 'BPF_CGROUP_INET4_GETPEERNAME',
  'BPF_CGROUP_INET6_GETPEERNAME', 'BPF_CGROUP_UNIX_GETPEERNAME', 'BPF_CGROUP_INET4_GETSOCKNAME', 'BPF_CGROUP_INET6_GETSOCKNAME',
  'BPF_CGROUP_UNIX_GETSOCKNAME',
];

export const CGROUP_SOCK_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [25, 46, 81, 107, 122, 160, 186, 187] }];

export const CGROUP_SOCK_ADDR_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [25, 46, 49, 57, 81, ...SOCK_LOOKUP, 107, 108, 122] },
  { ids: [64], onlyAttach: ['BPF_CGROUP_INET4_CONNECT', 'BPF_CGROUP_INET6_CONNECT'] },
  { ids: [186, 187], exceptAttach: SOCK_ADDR_RET_ONE },
];

const LWT_OUT_IDS = [17, 24, 25, 26, 28, 33, 34, 39];
export const LWT_OUT_GROUPS: readonly HelperGroup[] = [...SK_BASE_GROUPS, { ids: LWT_OUT_IDS }];
export const LWT_IN_GROUPS: readonly HelperGroup[] = [...LWT_OUT_GROUPS, { ids: [73] }];
export const LWT_XMIT_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [...LWT_OUT_IDS, 9, 10, 11, 13, 20, 21, 23, 29, 30, 38, 40, 41, 43, 73, 135] },
];
export const LWT_SEG6LOCAL_GROUPS: readonly HelperGroup[] = [...LWT_OUT_GROUPS, { ids: [74, 75, 76] }];

export const SOCK_OPS_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [25, 46, 49, 53, 57, 59, 70, 81, 96, 107, 108, 122, 142, 143, 144] },
];

export const SK_SKB_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [9, 25, 26, 38, 39, 43, 46, 47, 50, 52, 72, ...SOCK_LOOKUP] },
];

export const SK_MSG_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [25, 60, 61, 62, 63, 71, 90, 91, 107, 108, 122] },
];

export const CGROUP_DEVICE_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [25, 81] }];
export const SK_REUSEPORT_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [26, 46, 68, 82, 160] }];
export const FLOW_DISSECTOR_GROUPS: readonly HelperGroup[] = [...SK_BASE_GROUPS, { ids: [26] }];
export const CGROUP_SYSCTL_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [25, 81, 101, 102, 103, 104, 160] }];
export const CGROUP_SOCKOPT_GROUPS: readonly HelperGroup[] = [
  ...BASE_GROUPS,
  { ids: [25, 81, 96, 107, 108, 122, 186, 187] },
  // bpf_sk_setsockopt/getsockopt: a BTF socket, not the ctx
  {
    ids: [49, 57],
    onlyAttach: ['BPF_CGROUP_SETSOCKOPT'],
    protos: [V.skSetsockopt, V.skGetsockopt],
  },
];
export const SK_LOOKUP_GROUPS: readonly HelperGroup[] = [...SK_BASE_GROUPS, { ids: [25, 86, 124] }];
export const NETFILTER_GROUPS: readonly HelperGroup[] = BASE_GROUPS;
export const LIRC_MODE2_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [77, 78, 92] }];

/** `bpf_tracing_func_proto` extras of kprobe, tracepoint, raw_tracepoint(.w) (kernel-observed). */
const TRACE_IDS = [4, 25, 27, 45, 67, 173, 174];
export const KPROBE_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: TRACE_IDS }];
/** KPROBE with CONFIG_BPF_KPROBE_OVERRIDE (not the reference kernel). */
export const KPROBE_OVERRIDE_GROUPS: readonly HelperGroup[] = [...KPROBE_GROUPS, { ids: [58] }];
export const TRACEPOINT_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: TRACE_IDS }];
export const RAW_TRACEPOINT_GROUPS: readonly HelperGroup[] = TRACEPOINT_GROUPS;
export const PERF_EVENT_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: [...TRACE_IDS, 56, 119] }];

/** `tracing_prog_func_proto` forms shared by SYSCALL and the BTF tracing types. */
const TRACING_VARIANTS: HelperGroup = {
  ids: [46, 107, 108, 188],
  protos: [V.getSocketPtrCookie, V.skStorageGetTracing, V.skStorageDeleteTracing, V.xdpGetBuffLenTrace],
};
const TRACING_COMMON = [4, 25, 27, 45, 67, 111, 121, 147, 162, 173];

/** SYSCALL (kernel-observed; loads only as sleepable). */
export const SYSCALL_GROUPS: readonly HelperGroup[] = [
  ...BASE_GROUPS,
  SOCK_CASTS,
  { ids: [...TRACING_COMMON, 166, 167, 168, 179] },
  TRACING_VARIANTS,
];

/** TRACING (fentry/fexit/fmod_ret/iter/raw_tp with BTF): from memory, not observable without BTF of a target. */
export const TRACING_GROUPS: readonly HelperGroup[] = [
  ...BASE_GROUPS,
  SOCK_CASTS,
  { ids: [...TRACING_COMMON, 174, 183, 184, 185] },
  TRACING_VARIANTS,
  { ids: [126, 127, 150], onlyAttach: ['BPF_TRACE_ITER'] },
];
/** LSM: from memory. */
export const LSM_GROUPS: readonly HelperGroup[] = [
  ...TRACING_GROUPS.filter((g) => !g.onlyAttach),
  { ids: [145, 146, 159, 161, 193] },
  { ids: [186, 187], onlyAttach: ['BPF_LSM_CGROUP'] },
];
/** STRUCT_OPS (tcp congestion control): from memory. */
export const STRUCT_OPS_GROUPS: readonly HelperGroup[] = [...TRACING_GROUPS.filter((g) => !g.onlyAttach), { ids: [116] }];

function applies(g: HelperGroup, attachType: string | undefined): boolean {
  if (g.onlyAttach && (attachType === undefined || !g.onlyAttach.includes(attachType))) return false;
  if (g.exceptAttach && attachType !== undefined && g.exceptAttach.includes(attachType)) return false;
  return true;
}

/** Compiles groups into a predicate: may a program of these groups call helper `id`? */
export function availability(groups: readonly HelperGroup[]): (id: number, caps?: Caps, attachType?: string) => boolean {
  const rank = { none: 0, bpf: 1, perfmon: 2 } as const;
  return (id, caps = ROOT_CAPS, attachType) => {
    let need: keyof typeof rank | undefined;
    for (const g of groups) {
      if (!g.ids.includes(id) || !applies(g, attachType)) continue;
      const n = g.needs ?? 'none';
      if (need === undefined || rank[n] < rank[need]) need = n;
    }
    if (need === undefined) return false;
    if (need === 'bpf') return caps.bpf;
    if (need === 'perfmon') return caps.bpf && caps.perfmon;
    return true;
  };
}

/** The type-specific prototype of helper `id` for these groups, or `undefined` for the platform's default. */
export function helperVariants(groups: readonly HelperGroup[]): (id: number, attachType?: string) => HelperProto | undefined {
  return (id, attachType) => {
    let proto: HelperProto | undefined;
    for (const g of groups) {
      if (!g.ids.includes(id) || !applies(g, attachType)) continue;
      proto = g.protos?.find((p) => p.id === id);
    }
    return proto;
  };
}

/** All helper ids a group list mentions (for table sanity checks). */
export function groupIds(groups: readonly HelperGroup[]): number[] {
  return [...new Set(groups.flatMap((g) => g.ids))].sort((a, b) => a - b);
}
