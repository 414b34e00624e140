import { describe, expect, it } from 'vitest';
import { BASE_GROUPS, groupIds } from './availability.js';
import { linux618 } from './linux.js';
import { PROG_TYPE_NAMES } from './prog-types.js';

const t = (k: string | number) => linux618.progType(k)!;
const NO_CAPS = { bpf: false, perfmon: false, sysAdmin: false };

describe('program type lookup', () => {
  it('by enum name, short name, alias and id', () => {
    expect(t('BPF_PROG_TYPE_XDP').id).toBe(6);
    expect(t('xdp').name).toBe('BPF_PROG_TYPE_XDP');
    expect(t('tc')).toBe(t('sched_cls'));
    expect(t('socket').name).toBe('BPF_PROG_TYPE_SOCKET_FILTER');
    expect(t('syscall').id).toBe(31);
    expect(t('cgroup_skb').id).toBe(8);
    expect(t(3).name).toBe('BPF_PROG_TYPE_SCHED_CLS');
    expect(linux618.progType('unspec')).toBeUndefined();
    expect(linux618.progType('nope')).toBeUndefined();
  });
  it('ids follow enum bpf_prog_type', () => {
    for (const p of linux618.progTypes) expect(PROG_TYPE_NAMES[p.id]).toBe(p.name);
    expect(linux618.progTypes).toHaveLength(PROG_TYPE_NAMES.length - 1);
  });
  it('ctx layouts', () => {
    expect(t('xdp').ctx).toEqual({ name: 'xdp_md', size: 24 });
    expect(t('tc').ctx).toEqual({ name: '__sk_buff', size: 192 });
    expect(t('syscall').ctxIsMemory).toBe(true);
  });
});

describe('direct packet access (§9.5)', () => {
  it.each([
    ['sched_cls', true, true], ['sched_act', true, true], ['xdp', true, true], ['lwt_xmit', true, true], ['sk_skb', true, true],
    ['sk_msg', true, true], ['lwt_in', true, false], ['lwt_out', true, false], ['lwt_seg6local', true, false],
    ['sk_reuseport', true, false], ['flow_dissector', true, false], ['cgroup_skb', true, false], ['cgroup_sockopt', true, true],
    ['socket_filter', false, false], ['kprobe', false, false], ['syscall', false, false],
  ])('%s read=%s write=%s', (name, read, write) => {
    expect(t(name).packet).toEqual({ read, write });
  });
});

describe('return ranges (§13)', () => {
  it('unchecked types', () => {
    for (const n of ['xdp', 'tc', 'socket', 'kprobe', 'tracepoint', 'perf_event', 'raw_tp', 'sk_skb', 'syscall', 'ext']) {
      expect(t(n).returnRange(), n).toBeUndefined();
    }
  });
  it('cgroup_skb ingress [0,1] / egress [0,3]', () => {
    expect(t('cgroup_skb').returnRange('BPF_CGROUP_INET_INGRESS')).toEqual({ min: 0, max: 1 });
    expect(t('cgroup_skb').returnRange('BPF_CGROUP_INET_EGRESS')).toEqual({ min: 0, max: 3 });
  });
  it('sock_addr, tracing, raw_tp with BTF, kprobe session', () => {
    expect(t('cgroup_sock_addr').returnRange('BPF_CGROUP_UDP4_RECVMSG')).toEqual({ min: 1, max: 1 });
    expect(t('cgroup_sock_addr').returnRange('BPF_CGROUP_INET6_BIND')).toEqual({ min: 0, max: 3 });
    expect(t('cgroup_sock_addr').returnRange('BPF_CGROUP_INET4_CONNECT')).toEqual({ min: 0, max: 1 });
    expect(t('tracing').returnRange('BPF_TRACE_FENTRY')).toEqual({ min: 0, max: 0 });
    expect(t('tracing').returnRange('BPF_MODIFY_RETURN')).toBeUndefined();
    expect(t('tracing').returnRange('BPF_TRACE_ITER')).toEqual({ min: 0, max: 1 });
    expect(t('raw_tp').returnRange(undefined, { attachBtf: true })).toEqual({ min: 0, max: 0 });
    expect(t('kprobe').returnRange('BPF_TRACE_KPROBE_SESSION')).toEqual({ min: 0, max: 1 });
    expect(t('sk_lookup').returnRange()).toEqual({ min: 0, max: 1 });
  });
});

describe('helper availability', () => {
  it('skb_load_bytes is not available in XDP (obs) but is in tc and socket filters', () => {
    expect(t('xdp').helperAllowed(26)).toBe(false);
    expect(t('tc').helperAllowed(26)).toBe(true);
    expect(t('socket').helperAllowed(26)).toBe(true);
  });
  it('xdp-only and tc-only helpers', () => {
    expect(t('xdp').helperAllowed(44)).toBe(true);
    expect(t('tc').helperAllowed(44)).toBe(false);
    expect(t('tc').helperAllowed(9)).toBe(true);
    expect(t('xdp').helperAllowed(9)).toBe(false);
    expect(t('kprobe').helperAllowed(23)).toBe(false);
  });
  it('the base set is available to every program type as root', () => {
    const base = groupIds(BASE_GROUPS);
    for (const p of linux618.progTypes) for (const id of base) expect(p.helperAllowed(id), `${p.name} #${id}`).toBe(true);
    for (const p of linux618.progTypes) for (const id of [1, 2, 3, 5, 7, 8, 12, 93, 94, 181, 194]) expect(p.helperAllowed(id)).toBe(true);
  });
  it('trace_printk needs CAP_PERFMON, spin_lock CAP_BPF, map lookup nothing', () => {
    expect(t('xdp').helperAllowed(6, NO_CAPS)).toBe(false);
    expect(t('xdp').helperAllowed(6, { ...NO_CAPS, bpf: true, perfmon: true })).toBe(true);
    expect(t('xdp').helperAllowed(93, NO_CAPS)).toBe(false);
    expect(t('xdp').helperAllowed(93, { ...NO_CAPS, bpf: true })).toBe(true);
    expect(t('socket').helperAllowed(1, NO_CAPS)).toBe(true);
  });
  it('every available helper has a prototype', () => {
    for (const p of linux618.progTypes) for (let id = 0; id < linux618.helperIdCount; id++) {
      if (p.helperAllowed(id)) expect(linux618.helper(id), `${p.name} #${id}`).toBeDefined();
    }
  });
  it('tracing helpers: probe_read_kernel in kprobe; override_return nowhere on the reference kernel', () => {
    expect(t('kprobe').helperAllowed(113)).toBe(true);
    // CONFIG_BPF_KPROBE_OVERRIDE is off on the reference 6.18 kernel (observed: kprobe cannot use #58)
    expect(t('kprobe').helperAllowed(58)).toBe(false);
    expect(t('tracepoint').helperAllowed(58)).toBe(false);
    expect(t('tracing').helperAllowed(183)).toBe(true);
    expect(t('kprobe').helperAllowed(183)).toBe(false);
  });
});
