/**
 * `struct xdp_md` access rules (verifier-core.md §9.6; the kernel's `xdp_is_valid_access`).
 */
import type { CtxAccessOptions, CtxAccessResult, CtxValueKind } from '../types.js';
import type { CtxField } from './layout.js';

export const XDP_MD_SIZE = 24;

export const XDP_MD_FIELDS: readonly CtxField[] = Object.freeze([
  { name: 'data', off: 0, size: 4 },
  { name: 'data_end', off: 4, size: 4 },
  { name: 'data_meta', off: 8, size: 4 },
  { name: 'ingress_ifindex', off: 12, size: 4 },
  { name: 'rx_queue_index', off: 16, size: 4 },
  { name: 'egress_ifindex', off: 20, size: 4 },
]);

const POINTERS: Readonly<Record<number, CtxValueKind>> = { 0: 'pkt', 4: 'pkt_end', 8: 'pkt_meta' };

/** `__is_valid_xdp_access`: inside the struct, exactly 4 bytes, 4-aligned. */
function validXdpAccess(off: number, size: number): boolean {
  return off >= 0 && off < XDP_MD_SIZE && off % size === 0 && size === 4;
}

export function checkXdpCtxAccess(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (opts.attachType !== 'BPF_XDP_DEVMAP' && off === 20) return { ok: false };
  if (write) {
    // Only offloaded programs may write, and only rx_queue_index.
    if (opts.offloaded && off === 16 && validXdpAccess(off, size)) return { ok: true, kind: 'scalar', field: 'rx_queue_index' };
    return { ok: false };
  }
  const ptr = POINTERS[off];
  if (ptr !== undefined && opts.signExtend) return { ok: false };
  if (!validXdpAccess(off, size)) return { ok: false };
  const field = XDP_MD_FIELDS.find((f) => f.off === off)!.name;
  return { ok: true, kind: ptr ?? 'scalar', field };
}
