/**
 * `struct __sk_buff` access rules (verifier-core.md §9.6): the generic
 * `bpf_skb_is_valid_access` plus the per-program-type filters of socket filter,
 * tc (sched_cls/sched_act), cgroup_skb, lwt_*, sk_skb and flow dissector.
 */
import type { CtxAccessOptions, CtxAccessResult, CtxValueKind } from '../types.js';
import { ROOT_CAPS } from '../availability.js';
import { fieldAt, inField, inRange, narrowOk, type CtxField } from './layout.js';

export const SK_BUFF_SIZE = 192;

const f = (name: string, off: number, size: number): CtxField => ({ name, off, size });

/** The 6.18 layout. `cb`, `remote_ip6`, `local_ip6` are arrays (whole extent listed). */
export const SK_BUFF_FIELDS: readonly CtxField[] = Object.freeze([
  f('len', 0, 4), f('pkt_type', 4, 4), f('mark', 8, 4), f('queue_mapping', 12, 4), f('protocol', 16, 4),
  f('vlan_present', 20, 4), f('vlan_tci', 24, 4), f('vlan_proto', 28, 4), f('priority', 32, 4), f('ingress_ifindex', 36, 4),
  f('ifindex', 40, 4), f('tc_index', 44, 4), f('cb', 48, 20), f('hash', 68, 4), f('tc_classid', 72, 4), f('data', 76, 4),
  f('data_end', 80, 4), f('napi_id', 84, 4), f('family', 88, 4), f('remote_ip4', 92, 4), f('local_ip4', 96, 4),
  f('remote_ip6', 100, 16), f('local_ip6', 116, 16), f('remote_port', 132, 4), f('local_port', 136, 4), f('data_meta', 140, 4),
  f('flow_keys', 144, 8), f('tstamp', 152, 8), f('wire_len', 160, 4), f('gso_segs', 164, 4), f('sk', 168, 8), f('gso_size', 176, 4),
  f('tstamp_type', 180, 1), f('hwtstamp', 184, 8),
]);

const F = SK_BUFF_FIELDS;
const is = (name: string, off: number): boolean => inField(F, name, off);
const anyOf = (names: readonly string[], off: number): boolean => names.some((n) => is(n, off));
/** family … local_port (88–139) */
const sockFields = (off: number): boolean => inRange(F, 'family', 'local_port', off);
const fieldName = (off: number): string | undefined => fieldAt(F, off)?.name;

type Ptr = Partial<Record<'data' | 'data_meta' | 'data_end', CtxValueKind>>;

/** `bpf_skb_is_valid_access`; `ptrs` are the packet pointer types the caller's filter assigned. */
function generic(off: number, size: number, write: boolean, ptrs: Ptr, opts: CtxAccessOptions): CtxAccessResult {
  if (off < 0 || off >= SK_BUFF_SIZE) return { ok: false };
  if (off % size !== 0) return { ok: false };
  const name = fieldName(off);
  switch (name) {
    case 'cb':
      if (off + size > 68) return { ok: false };
      return { ok: true, kind: 'scalar', field: 'cb' };
    case 'remote_ip6':
    case 'local_ip6':
    case 'remote_ip4':
    case 'local_ip4':
      return size === 4 ? { ok: true, kind: 'scalar', field: name } : { ok: false };
    case 'data':
    case 'data_meta':
    case 'data_end': {
      if (size !== 4) return { ok: false };
      const kind = ptrs[name];
      if (kind !== undefined && opts.signExtend) return { ok: false };
      return { ok: true, kind: kind ?? 'scalar', field: name };
    }
    case 'flow_keys':
      return { ok: false };
    case 'hwtstamp':
      return !write && size === 8 ? { ok: true, kind: 'scalar', field: name } : { ok: false };
    case 'tstamp':
      return size === 8 ? { ok: true, kind: 'scalar', field: name } : { ok: false };
    case 'sk':
      if (write || size !== 8 || off !== 168 || opts.signExtend) return { ok: false };
      return { ok: true, kind: 'sock_common_or_null', field: name };
    case 'tstamp_type':
    case undefined: // padding 181..183
      return { ok: false };
    default:
      if (write) return size === 4 ? { ok: true, kind: 'scalar', field: name } : { ok: false };
      if (!narrowOk(size, 4)) return { ok: false };
      return size < 4 ? { ok: true, kind: 'scalar', field: name, narrowedSize: 4 } : { ok: true, kind: 'scalar', field: name };
  }
}

const allow = (names: readonly string[]) => (off: number): boolean => anyOf(names, off);

export function checkSocketFilterCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (anyOf(['tc_classid', 'data', 'data_meta', 'data_end', 'tstamp', 'wire_len', 'hwtstamp'], off) || sockFields(off)) return { ok: false };
  if (write && !is('cb', off)) return { ok: false };
  return generic(off, size, write, {}, opts);
}

const tcWritable = allow(['mark', 'tc_index', 'priority', 'tc_classid', 'cb', 'tstamp', 'queue_mapping']);

export function checkTcCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (write && !tcWritable(off)) return { ok: false };
  if (sockFields(off)) return { ok: false };
  if (off === 180) return size === 1 ? { ok: true, kind: 'scalar', field: 'tstamp_type' } : { ok: false };
  return generic(off, size, write, { data: 'pkt', data_meta: 'pkt_meta', data_end: 'pkt_end' }, opts);
}

export function checkCgroupSkbCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  const caps = opts.caps ?? ROOT_CAPS;
  if (anyOf(['tc_classid', 'data_meta', 'wire_len'], off)) return { ok: false };
  if (anyOf(['data', 'data_end'], off) && !caps.bpf) return { ok: false };
  if (write) {
    if (is('tstamp', off)) {
      if (!caps.bpf) return { ok: false };
    } else if (!anyOf(['mark', 'priority', 'cb'], off)) return { ok: false };
  }
  return generic(off, size, write, { data: 'pkt', data_end: 'pkt_end' }, opts);
}

export function checkLwtCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (anyOf(['tc_classid', 'data_meta', 'tstamp', 'wire_len', 'hwtstamp'], off) || sockFields(off)) return { ok: false };
  if (write && !anyOf(['mark', 'priority', 'cb'], off)) return { ok: false };
  return generic(off, size, write, { data: 'pkt', data_end: 'pkt_end' }, opts);
}

export function checkSkSkbCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (anyOf(['tc_classid', 'data_meta', 'tstamp', 'wire_len', 'hwtstamp'], off)) return { ok: false };
  if (write && !anyOf(['tc_index', 'priority'], off)) return { ok: false };
  if (is('mark', off)) return { ok: false };
  return generic(off, size, write, { data: 'pkt', data_end: 'pkt_end' }, opts);
}

/** Flow dissector: reads of `data`, `data_end` (4 bytes) and `flow_keys` (8 bytes) only, at the field's offset. */
export function checkFlowDissectorCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (write || opts.signExtend) return { ok: false };
  if (off === 76 && size === 4) return { ok: true, kind: 'pkt', field: 'data' };
  if (off === 80 && size === 4) return { ok: true, kind: 'pkt_end', field: 'data_end' };
  if (off === 144 && size === 8) return { ok: true, kind: 'flow_keys', field: 'flow_keys' };
  return { ok: false };
}
