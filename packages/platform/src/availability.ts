/**
 * Which program types may call which helpers (the kernel's per-type `get_func_proto`).
 *
 * Fact from the spec (§11.5): the base set is available to every program type;
 * `bpf_trace_printk` and the other tracing helpers in it need CAP_PERFMON; network
 * helpers are per type (obs: `bpf_skb_load_bytes#26` is unavailable in XDP).
 * The membership lists below are from memory of `bpf_base_func_proto`,
 * `bpf_sk_base_func_proto`, `sk_filter_func_proto`, `tc_cls_act_func_proto`,
 * `xdp_func_proto`, `cg_skb_func_proto`, `lwt_*_func_proto`, `sk_skb_func_proto`
 * and `bpf_tracing_func_proto` (Linux 6.12–6.18) and only list helpers this
 * platform has prototypes for.
 */
import type { Caps } from './types.js';

/** A helper group: ids plus the capability the kernel asks for before handing them out. */
export interface HelperGroup {
  readonly ids: readonly number[];
  readonly needs?: 'bpf' | 'perfmon';
}

export const ROOT_CAPS: Caps = Object.freeze({ bpf: true, perfmon: true, sysAdmin: true });

/** `bpf_base_func_proto`, first switch: no capability needed. */
export const BASE_UNPRIV: HelperGroup = {
  ids: [1, 2, 3, 87, 88, 89, 195, 7, 8, 42, 12, 5, 125, 208, 130, 131, 132, 133, 134, 164, 181, 182, 105, 106],
};
/** `bpf_base_func_proto`, CAP_BPF switch. */
export const BASE_BPF: HelperGroup = {
  ids: [93, 94, 118, 169, 170, 171, 172, 194, 209, 80, 123, 14, 15, 120],
  needs: 'bpf',
};
/** `bpf_base_func_proto`, CAP_PERFMON switch. */
export const BASE_PERFMON: HelperGroup = {
  ids: [6, 177, 165, 153, 154, 35, 158, 112, 113, 114, 115],
  needs: 'perfmon',
};
export const BASE_GROUPS: readonly HelperGroup[] = [BASE_UNPRIV, BASE_BPF, BASE_PERFMON];

/** `bpf_sk_base_func_proto`: socket casts (CAP_PERFMON) and the coarse clock. */
export const SK_BASE_GROUPS: readonly HelperGroup[] = [
  ...BASE_GROUPS,
  { ids: [160] },
  { ids: [136, 137, 138, 139, 140, 178, 196], needs: 'perfmon' },
];

const SOCK_LOOKUP = [84, 85, 86, 99];

export const SOCKET_FILTER_GROUPS: readonly HelperGroup[] = [...SK_BASE_GROUPS, { ids: [26, 68, 46, 47, 25] }];

export const TC_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  {
    ids: [
      9, 26, 68, 39, 28, 40, 135, 10, 11, 13, 17, 18, 19, 31, 32, 50, 38, 43, 20, 21, 29, 30, 23, 24, 34, 41, 48, 25, 33, 46, 47, 69,
      151, 79, 83, ...SOCK_LOOKUP, 95, 96, 97, 98, 192, 152, 155,
    ],
  },
];

export const XDP_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [25, 28, 44, 54, 23, 51, 65, 69, 188, 189, 190, ...SOCK_LOOKUP] },
];

export const CGROUP_SKB_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [26, 68, 46, 47, 25, 79, 83, 95, 96, 97, 98, 80, 123] },
];

const LWT_OUT_IDS = [26, 39, 28, 17, 24, 34, 25, 33];
export const LWT_OUT_GROUPS: readonly HelperGroup[] = [...BASE_GROUPS, { ids: LWT_OUT_IDS }];
export const LWT_IN_GROUPS: readonly HelperGroup[] = LWT_OUT_GROUPS;
export const LWT_XMIT_GROUPS: readonly HelperGroup[] = [
  ...BASE_GROUPS,
  { ids: [...LWT_OUT_IDS, 20, 21, 29, 30, 23, 13, 38, 43, 9, 40, 135, 10, 11, 41] },
];

export const SK_SKB_GROUPS: readonly HelperGroup[] = [
  ...SK_BASE_GROUPS,
  { ids: [9, 26, 39, 38, 43, 50, 46, 47, 52, 72, 25, ...SOCK_LOOKUP] },
];

/** `bpf_tracing_func_proto` (the part common to kprobe, tracepoint, raw_tp, perf_event, tracing, syscall). */
export const TRACING_BASE_GROUPS: readonly HelperGroup[] = [
  ...BASE_GROUPS,
  { ids: [14, 15, 16, 80, 123, 120, 109, 117, 4, 45, 36, 160, 180] },
];

export const KPROBE_GROUPS: readonly HelperGroup[] = [...TRACING_BASE_GROUPS, { ids: [25, 27, 67, 58, 173, 174] }];
export const TRACEPOINT_GROUPS: readonly HelperGroup[] = [...TRACING_BASE_GROUPS, { ids: [25, 27, 67, 174] }];
export const PERF_EVENT_GROUPS: readonly HelperGroup[] = [...TRACING_BASE_GROUPS, { ids: [25, 27, 67, 174] }];
export const TRACING_GROUPS: readonly HelperGroup[] = [
  ...TRACING_BASE_GROUPS,
  { ids: [25, 27, 67, 173, 174, 183, 184, 185] },
  { ids: [136, 137, 138, 139, 140, 178, 196], needs: 'perfmon' },
];
export const SYSCALL_GROUPS: readonly HelperGroup[] = [...TRACING_BASE_GROUPS, { ids: [148] }];

/** Compiles groups into a predicate. */
export function availability(groups: readonly HelperGroup[]): (id: number, caps?: Caps) => boolean {
  const need = new Map<number, 'none' | 'bpf' | 'perfmon'>();
  const rank = { none: 0, bpf: 1, perfmon: 2 } as const;
  for (const g of groups) {
    const n = g.needs ?? 'none';
    for (const id of g.ids) {
      const prev = need.get(id);
      if (prev === undefined || rank[n] < rank[prev]) need.set(id, n);
    }
  }
  return (id, caps = ROOT_CAPS) => {
    const n = need.get(id);
    if (n === undefined) return false;
    if (n === 'bpf') return caps.bpf;
    if (n === 'perfmon') return caps.bpf && caps.perfmon;
    return true;
  };
}

/** All helper ids a group list mentions (for table sanity checks). */
export function groupIds(groups: readonly HelperGroup[]): number[] {
  return [...new Set(groups.flatMap((g) => g.ids))].sort((a, b) => a - b);
}
