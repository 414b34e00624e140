/**
 * Program contexts, the way `BPF_PROG_TEST_RUN` builds them (net/bpf/test_run.c), without the
 * kernel's context rewriting: the program reads the UAPI struct itself, so its data pointers are
 * u32 addresses in the UAPI fields.
 *
 * | program type | ctx (r1) | packet |
 * | --- | --- | --- |
 * | `tc` (sched_cls / sched_act) | `struct __sk_buff` (192 bytes): len, pkt_type, protocol, ifindex 1, data / data_end / data_meta, wire_len, gso_segs 1 | `data`, the Ethernet header included |
 * | socket filter, cgroup_skb, lwt_* | `struct __sk_buff` | `data` after the 14-byte Ethernet header (test_run's `eth_type_trans`), len = size − 14 |
 * | `xdp` | `struct xdp_md` (24 bytes): data, data_end, data_meta (= data), ingress_ifindex 1 | `data` after 256 bytes of headroom |
 * | `syscall` | the user bytes (`ctx`, or `data` when no ctx is given) | — |
 * | anything else | `ctx` bytes as given (r1 = 0 when none) | — |
 *
 * A `ctx` given for a `__sk_buff` program is copied over the struct first (as test_run's `ctx_in`);
 * the packet fields are then set by the runtime.
 */
import type { ProgTypeName } from '@bpfkit/object';

export type ContextKind = 'skb-l2' | 'skb-l3' | 'xdp' | 'raw';

export const SK_BUFF_SIZE = 192;
export const XDP_MD_SIZE = 24;
export const XDP_HEADROOM = 256;
export const ETH_HLEN = 14;

export function contextKind(progType: ProgTypeName | string): ContextKind {
  switch (progType) {
    case 'BPF_PROG_TYPE_SCHED_CLS':
    case 'BPF_PROG_TYPE_SCHED_ACT':
      return 'skb-l2';
    case 'BPF_PROG_TYPE_SOCKET_FILTER':
    case 'BPF_PROG_TYPE_CGROUP_SKB':
    case 'BPF_PROG_TYPE_LWT_IN':
    case 'BPF_PROG_TYPE_LWT_OUT':
    case 'BPF_PROG_TYPE_LWT_XMIT':
    case 'BPF_PROG_TYPE_LWT_SEG6LOCAL':
      return 'skb-l3';
    case 'BPF_PROG_TYPE_XDP':
      return 'xdp';
    default:
      return 'raw';
  }
}

/** `eth_type_trans` on a loopback device: protocol (as the be16 the struct stores) and pkt_type. */
export function ethInfo(pkt: Uint8Array): { protocol: number; pktType: number } {
  if (pkt.byteLength < ETH_HLEN) return { protocol: 0, pktType: 0 };
  let pktType = 0; // PACKET_HOST
  if (pkt[0]! & 1) {
    pktType = pkt.subarray(0, 6).every((b) => b === 0xff) ? 1 /* BROADCAST */ : 2; /* MULTICAST */
  } else if (!pkt.subarray(0, 6).every((b) => b === 0)) {
    pktType = 3; // OTHERHOST (the loopback device's address is all zero)
  }
  const be = (pkt[12]! << 8) | pkt[13]!;
  let proto: number;
  if (be >= 0x0600) proto = be;
  else if (pkt.byteLength >= 16 && pkt[14] === 0xff && pkt[15] === 0xff) proto = 0x0001; // ETH_P_802_3
  else proto = 0x0004; // ETH_P_802_2
  // __sk_buff.protocol holds the big-endian value as stored in memory
  return { protocol: ((proto & 0xff) << 8) | (proto >> 8), pktType };
}

export interface SkbFill {
  readonly len: number;
  readonly data: number;
  readonly dataEnd: number;
  readonly protocol: number;
  readonly pktType: number;
}

/** Writes the runtime-owned fields of `struct __sk_buff` into `ctx` (192 bytes). */
export function fillSkb(ctx: DataView, f: SkbFill): void {
  ctx.setUint32(0, f.len, true); // len
  ctx.setUint32(4, f.pktType, true); // pkt_type
  ctx.setUint32(16, f.protocol, true); // protocol
  if (ctx.getUint32(40, true) === 0) ctx.setUint32(40, 1, true); // ifindex: lo
  ctx.setUint32(76, f.data, true); // data
  ctx.setUint32(80, f.dataEnd, true); // data_end
  ctx.setUint32(140, f.data, true); // data_meta: no metadata
  if (ctx.getUint32(160, true) === 0) ctx.setUint32(160, f.len, true); // wire_len
  if (ctx.getUint32(164, true) === 0) ctx.setUint32(164, 1, true); // gso_segs
}

/** Writes `struct xdp_md`. */
export function fillXdp(ctx: DataView, data: number, dataEnd: number): void {
  ctx.setUint32(0, data, true);
  ctx.setUint32(4, dataEnd, true);
  ctx.setUint32(8, data, true);
  if (ctx.getUint32(12, true) === 0) ctx.setUint32(12, 1, true);
}
