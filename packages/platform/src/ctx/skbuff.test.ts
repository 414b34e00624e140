import { describe, expect, it } from 'vitest';
import { checkCtxAccess } from '../ctx-access.js';
import { PlatformError } from '../errors.js';
import { SK_BUFF_FIELDS, SK_BUFF_SIZE } from './skbuff.js';

const off = (name: string): number => SK_BUFF_FIELDS.find((f) => f.name === name)!.off;
const r = (t: string, name: string | number, size: number) => checkCtxAccess(t, typeof name === 'number' ? name : off(name), size, false);
const w = (t: string, name: string | number, size: number) => checkCtxAccess(t, typeof name === 'number' ? name : off(name), size, true);

describe('__sk_buff layout', () => {
  it('is the 192-byte 6.18 layout without overlaps', () => {
    const sorted = [...SK_BUFF_FIELDS].sort((a, b) => a.off - b.off);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.off).toBeGreaterThanOrEqual(sorted[i - 1]!.off + sorted[i - 1]!.size);
    const last = sorted[sorted.length - 1]!;
    expect(last.off + last.size).toBe(SK_BUFF_SIZE);
    expect([off('cb'), off('data'), off('flow_keys'), off('tstamp'), off('sk'), off('tstamp_type'), off('hwtstamp')]).toEqual([
      48, 76, 144, 152, 168, 180, 184,
    ]);
  });
});

describe('generic __sk_buff rules (§9.6)', () => {
  it('narrow reads: 1-byte read of len+1 accepted, 8-byte read of len rejected (obs)', () => {
    expect(r('tc', 1, 1)).toEqual({ ok: true, kind: 'scalar', field: 'len', narrowedSize: 4 });
    expect(r('socket', 1, 1).ok).toBe(true);
    expect(r('tc', 'len', 8).ok).toBe(false);
    expect(r('tc', 2, 2)).toEqual({ ok: true, kind: 'scalar', field: 'len', narrowedSize: 4 });
    expect(r('tc', 1, 2).ok).toBe(false); // off % size
    expect(r('tc', 'len', 4)).toEqual({ ok: true, kind: 'scalar', field: 'len' });
  });

  it('cb[] any size inside 48..67', () => {
    for (const size of [1, 2, 4, 8]) expect(r('socket', 48, size).ok).toBe(true);
    expect(r('socket', 64, 4).ok).toBe(true);
    expect(r('socket', 64, 8).ok).toBe(false); // runs past cb[4]
    expect(w('socket', 56, 8).ok).toBe(true);
    expect(w('socket', 67, 1).ok).toBe(true);
  });

  it('exact sizes for ip fields, tstamp, hwtstamp and sk', () => {
    expect(r('cgroup_skb', 'remote_ip6', 4).ok).toBe(true);
    expect(r('cgroup_skb', 104, 4).ok).toBe(true);
    expect(r('cgroup_skb', 'remote_ip6', 8).ok).toBe(false);
    expect(r('cgroup_skb', 'local_ip4', 2).ok).toBe(false);
    expect(r('tc', 'tstamp', 8).ok).toBe(true);
    expect(r('tc', 'tstamp', 4).ok).toBe(false);
    expect(r('tc', 'hwtstamp', 8).ok).toBe(true);
    expect(w('tc', 'hwtstamp', 8).ok).toBe(false);
    expect(r('tc', 'sk', 8)).toEqual({ ok: true, kind: 'sock_common_or_null', field: 'sk' });
    expect(r('tc', 'sk', 4).ok).toBe(false);
    expect(r('tc', 172, 4).ok).toBe(false);
    expect(w('tc', 'sk', 8).ok).toBe(false);
  });

  it('flow_keys never outside the flow dissector; padding never; out of range never', () => {
    expect(r('tc', 'flow_keys', 8).ok).toBe(false);
    for (const o of [181, 182, 183]) expect(r('tc', o, 1).ok).toBe(false);
    expect(r('tc', SK_BUFF_SIZE, 4).ok).toBe(false);
    expect(r('tc', -4, 4).ok).toBe(false);
  });

  it('writes of ordinary fields must be exactly 4 bytes', () => {
    expect(w('tc', 'mark', 4).ok).toBe(true);
    expect(w('tc', 'mark', 2).ok).toBe(false);
    expect(w('tc', 'mark', 1).ok).toBe(false);
  });
});

describe('socket filter', () => {
  it('rejects packet pointers, tc_classid, socket fields, tstamp, wire_len, hwtstamp', () => {
    for (const n of ['data', 'data_end', 'data_meta', 'tc_classid', 'family', 'remote_ip4', 'local_port', 'wire_len']) expect(r('socket', n, 4).ok).toBe(false);
    expect(r('socket', 'tstamp', 8).ok).toBe(false);
    expect(r('socket', 'hwtstamp', 8).ok).toBe(false);
  });
  it('writes cb only (obs: mark write rejected)', () => {
    expect(w('socket', 'mark', 4).ok).toBe(false);
    expect(w('socket', 'cb', 4).ok).toBe(true);
    expect(w('socket', 'priority', 4).ok).toBe(false);
  });
  it('reads ordinary fields, sk and gso fields', () => {
    for (const n of ['mark', 'protocol', 'ifindex', 'hash', 'napi_id', 'gso_segs', 'gso_size']) expect(r('socket', n, 4).ok).toBe(true);
    expect(r('socket', 'sk', 8).ok).toBe(true);
    expect(r('socket', 'tstamp_type', 1).ok).toBe(false);
  });
});

describe('tc (sched_cls / sched_act)', () => {
  it('gives packet pointers', () => {
    expect(r('tc', 'data', 4)).toMatchObject({ ok: true, kind: 'pkt' });
    expect(r('sched_act', 'data_meta', 4)).toMatchObject({ ok: true, kind: 'pkt_meta' });
    expect(r('sched_cls', 'data_end', 4)).toMatchObject({ ok: true, kind: 'pkt_end' });
    expect(r('tc', 'data', 2).ok).toBe(false);
    expect(checkCtxAccess('tc', 76, 4, false, { signExtend: true }).ok).toBe(false);
  });
  it('writes mark, cb (obs), tc_index, priority, tc_classid, tstamp, queue_mapping; not len (obs)', () => {
    for (const n of ['mark', 'cb', 'tc_index', 'priority', 'tc_classid', 'queue_mapping']) expect(w('tc', n, 4).ok).toBe(true);
    expect(w('tc', 'tstamp', 8).ok).toBe(true);
    expect(w('tc', 'len', 4).ok).toBe(false);
    expect(w('tc', 'data', 4).ok).toBe(false);
  });
  it('has no socket fields; tstamp_type is a 1-byte read', () => {
    expect(r('tc', 'family', 4).ok).toBe(false);
    expect(r('tc', 'remote_port', 4).ok).toBe(false);
    expect(r('tc', 'tstamp_type', 1)).toEqual({ ok: true, kind: 'scalar', field: 'tstamp_type' });
    expect(r('tc', 'tstamp_type', 2).ok).toBe(false);
    expect(r('tc', 'tstamp_type', 4).ok).toBe(false);
    expect(w('tc', 'tstamp_type', 1).ok).toBe(false);
    expect(r('tc', 'wire_len', 4).ok).toBe(true);
  });
});

describe('cgroup_skb, lwt, sk_skb, flow dissector', () => {
  it('cgroup_skb: data/data_end need CAP_BPF, no data_meta/tc_classid/wire_len', () => {
    expect(r('cgroup_skb', 'data', 4)).toMatchObject({ ok: true, kind: 'pkt' });
    expect(r('cgroup_skb', 'data_end', 4)).toMatchObject({ ok: true, kind: 'pkt_end' });
    const unpriv = { caps: { bpf: false, perfmon: false, sysAdmin: false } };
    expect(checkCtxAccess('cgroup_skb', 76, 4, false, unpriv).ok).toBe(false);
    expect(checkCtxAccess('cgroup_skb', 152, 8, true, unpriv).ok).toBe(false);
    expect(w('cgroup_skb', 'tstamp', 8).ok).toBe(true);
    for (const n of ['data_meta', 'tc_classid', 'wire_len']) expect(r('cgroup_skb', n, 4).ok).toBe(false);
    expect(r('cgroup_skb', 'family', 4).ok).toBe(true);
    expect(w('cgroup_skb', 'mark', 4).ok).toBe(true);
    expect(w('cgroup_skb', 'tc_index', 4).ok).toBe(false);
  });
  it('lwt: mark/priority/cb writable; no socket fields, tstamp', () => {
    for (const t of ['lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local']) {
      expect(w(t, 'mark', 4).ok).toBe(true);
      expect(w(t, 'tc_index', 4).ok).toBe(false);
      expect(r(t, 'family', 4).ok).toBe(false);
      expect(r(t, 'tstamp', 8).ok).toBe(false);
      expect(r(t, 'data', 4)).toMatchObject({ kind: 'pkt' });
      expect(r(t, 'data_meta', 4).ok).toBe(false);
    }
  });
  it('sk_skb: no mark at all; tc_index and priority writable', () => {
    expect(r('sk_skb', 'mark', 4).ok).toBe(false);
    expect(w('sk_skb', 'tc_index', 4).ok).toBe(true);
    expect(w('sk_skb', 'cb', 4).ok).toBe(false);
    expect(r('sk_skb', 'data_end', 4)).toMatchObject({ kind: 'pkt_end' });
  });
  it('flow dissector: data, data_end, flow_keys reads only', () => {
    expect(r('flow_dissector', 'data', 4)).toMatchObject({ kind: 'pkt' });
    expect(r('flow_dissector', 'flow_keys', 8)).toMatchObject({ kind: 'flow_keys' });
    expect(r('flow_dissector', 'flow_keys', 4).ok).toBe(false);
    expect(r('flow_dissector', 'len', 4).ok).toBe(false);
    expect(w('flow_dissector', 'data', 4).ok).toBe(false);
  });
});

describe('checkCtxAccess dispatch', () => {
  it('accepts enum names and ids; unknown names throw PlatformError', () => {
    expect(checkCtxAccess('BPF_PROG_TYPE_SCHED_CLS', 8, 4, true).ok).toBe(true);
    expect(checkCtxAccess(1, 8, 4, true).ok).toBe(false); // socket filter
    expect(() => checkCtxAccess('nope', 0, 4, false)).toThrow(PlatformError);
  });
  it('types without a modelled layout reject', () => {
    expect(checkCtxAccess('sock_ops', 0, 8, false).ok).toBe(false);
  });
});
