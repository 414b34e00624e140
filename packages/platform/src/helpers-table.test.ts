/**
 * Walks the helper table: every id 1..211 of Linux 6.18's UAPI has a prototype whose name matches
 * HELPER_NAMES, every argument kind is known to arg-types.ts, availability groups only name real helpers,
 * the kernel-observed facts (gpl_only, might_sleep, first-argument kinds, availability) hold, and the
 * generated case file (packages/verifier/cases/helpers-table.txt) is current.
 * `UPDATE_CASES=1 npx vitest run --project platform src/helpers-table.test.ts` rewrites the case file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { BPF_FUNC_MAX_ID, HELPER_NAMES } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import { compatibleRegTypes, formatArg } from './arg-types.js';
import * as AV from './availability.js';
import { LINUX_618_HELPERS, VARIANT_HELPERS } from './helpers.js';
import { linux618 } from './linux.js';
import { helperTableCases } from './testing/helper-cases.js';
import type { ArgKind, HelperProto } from './types.js';

const t = (k: string | number) => linux618.progType(k)!;
const ids = Array.from({ length: 211 }, (_, i) => i + 1);
const CASES_FILE = new URL('../../verifier/cases/helpers-table.txt', import.meta.url);

/** The kinds arg-types.ts knows (an unknown kind would make compatibleRegTypes return undefined). */
const KNOWN: ReadonlySet<string> = new Set<ArgKind>([
  'ARG_DONTCARE', 'ARG_ANYTHING', 'ARG_CONST_MAP_PTR', 'ARG_PTR_TO_MAP_KEY', 'ARG_PTR_TO_MAP_VALUE', 'ARG_PTR_TO_MEM', 'ARG_PTR_TO_ARENA',
  'ARG_CONST_SIZE', 'ARG_CONST_SIZE_OR_ZERO', 'ARG_PTR_TO_CTX', 'ARG_PTR_TO_STACK', 'ARG_PTR_TO_FUNC', 'ARG_PTR_TO_SPIN_LOCK',
  'ARG_KPTR_XCHG_DEST', 'ARG_PTR_TO_BTF_ID', 'ARG_PTR_TO_BTF_ID_SOCK_COMMON', 'ARG_PTR_TO_CONST_STR', 'ARG_CONST_ALLOC_SIZE_OR_ZERO',
  'ARG_PTR_TO_SOCK_COMMON', 'ARG_PTR_TO_SOCKET', 'ARG_PTR_TO_ALLOC_MEM', 'ARG_PTR_TO_RINGBUF_MEM', 'ARG_PTR_TO_TIMER', 'ARG_PTR_TO_DYNPTR',
  'ARG_PTR_TO_PERCPU_BTF_ID',
]);

const allGroups = Object.values(AV).filter((v): v is readonly AV.HelperGroup[] => Array.isArray(v) && v.every((g) => typeof g === 'object' && 'ids' in g));
const variants: HelperProto[] = [...Object.values(VARIANT_HELPERS), ...allGroups.flatMap((gs) => gs.flatMap((g) => g.protos ?? []))];

describe('the helper table covers the 6.18 UAPI', () => {
  it('every id 1..211 has a prototype named as in HELPER_NAMES', () => {
    expect(BPF_FUNC_MAX_ID).toBe(212);
    for (const id of ids) {
      const h = linux618.helper(id);
      expect(h, `#${id}`).toBeDefined();
      expect(h!.name).toBe('bpf_' + HELPER_NAMES[id]);
    }
    expect(LINUX_618_HELPERS).toHaveLength(211);
    expect(linux618.helper(0)).toBeUndefined();
  });

  it('every argument kind is known to arg-types.ts and has register types (or takes any value)', () => {
    for (const h of [...LINUX_618_HELPERS, ...variants]) {
      for (const a of h.args) {
        expect(KNOWN.has(a.kind), `${h.name}: ${a.kind}`).toBe(true);
        const types = compatibleRegTypes(a.kind);
        if (a.kind === 'ARG_ANYTHING' || a.kind === 'ARG_DONTCARE') expect(types).toEqual([]);
        else expect(types.length, `${h.name}: ${a.kind}`).toBeGreaterThan(0);
        if (a.flags?.includes('MEM_FIXED_SIZE')) expect(a.size, h.name).toBeGreaterThan(0);
        if (a.kind === 'ARG_PTR_TO_BTF_ID' && h.id !== 194) expect(a.btfType, h.name).toMatch(/^[a-z_0-9]+$/);
      }
      if (h.ret.startsWith('RET_PTR_TO_BTF_ID') && h.id !== 194) expect(h.retBtfType, h.name).toBeDefined();
    }
  });

  it('size arguments follow memory, releases and callbacks point at real arguments (variants too)', () => {
    for (const h of [...LINUX_618_HELPERS, ...variants]) {
      h.args.forEach((a, i) => {
        if (a.kind === 'ARG_CONST_SIZE' || a.kind === 'ARG_CONST_SIZE_OR_ZERO') expect(h.args[i - 1]?.kind, h.name).toBe('ARG_PTR_TO_MEM');
      });
      if (h.releases) expect(h.args[h.releases - 1]!.flags, h.name).toContain('OBJ_RELEASE');
      if (h.callback) expect(h.args[h.callback.arg - 1]!.kind, h.name).toBe('ARG_PTR_TO_FUNC');
      expect(h.name).toBe('bpf_' + HELPER_NAMES[h.id]);
    }
  });
});

describe('kernel-observed facts (Linux 6.18, root)', () => {
  // `cannot call GPL-restricted function from non-GPL compatible program` for a MIT-licensed caller
  const GPL = [
    4, 6, 22, 25, 27, 35, 45, 55, 56, 67, 69, 100, 110, 111, 112, 113, 114, 115, 119, 121, 158, 163, 165, 169, 170, 171, 172, 173, 175, 176,
    177, 191, 204, 205, 206, 207,
  ];
  /** Not loadable here (LSM/struct_ops/iter/lirc/config): from memory. */
  const GPL_UNCHECKED = [36, 58, 77, 78, 92, 126, 127];
  it('gpl_only', () => {
    expect(LINUX_618_HELPERS.filter((h) => h.gplOnly).map((h) => h.id)).toEqual([...GPL, ...GPL_UNCHECKED].sort((a, b) => a - b));
  });
  it('might_sleep (observed: copy_from_user, copy_from_user_task)', () => {
    expect(LINUX_618_HELPERS.filter((h) => h.mightSleep).map((h) => h.id)).toEqual([148, 161, 191, 193]);
  });

  /** The kernel's `R1 type=... expected=...` lists for a sample of first arguments. */
  it.each([
    [1, 'map_ptr'], [9, 'ctx'], [4, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_'],
    [86, 'sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_'], [95, 'sock_common, sock, tcp_sock, xdp_sock'],
    [196, 'sock_common, sock, tcp_sock, xdp_sock'], [93, 'map_value, ptr_'], [132, 'ringbuf_mem'], [141, 'ptr_, trusted_ptr_, rcu_ptr_'],
    [153, 'percpu_ptr_, percpu_rcu_ptr_, percpu_trusted_ptr_'], [169, 'map_value'], [199, 'fp, dynptr_ptr'], [202, 'fp, dynptr_ptr'],
  ] as const)('helper #%i R1 expects %s', (id, list) => {
    expect(compatibleRegTypes(linux618.helper(id)!.args[0]!.kind).join(', ')).toBe(list);
  });

  it('NULL is accepted where the kernel accepts a zero R1 (csum_diff, get_netns_cookie, snprintf)', () => {
    for (const id of [28, 122, 165]) expect(linux618.helper(id)!.args[0]!.flags, String(id)).toContain('PTR_MAYBE_NULL');
    expect(formatArg(linux618.helper(122)!.args[0]!)).toBe('ARG_PTR_TO_CTX_OR_NULL');
  });
});

describe('availability groups', () => {
  it('only name helpers of the table, and every allowed helper has a prototype', () => {
    for (const gs of allGroups) for (const id of AV.groupIds(gs)) expect(linux618.helper(id), `#${id}`).toBeDefined();
    for (const p of linux618.progTypes) for (const id of ids) if (p.helperAllowed(id)) expect(linux618.helper(id)).toBeDefined();
  });

  it('group variants carry the id they stand for', () => {
    for (const gs of allGroups) for (const g of gs) for (const v of g.protos ?? []) expect(g.ids, v.name).toContain(v.id);
  });

  it('the base set (kernel-observed: available to every type loadable here)', () => {
    expect(AV.groupIds(AV.BASE_GROUPS)).toEqual([
      1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 35, 37, 42, 55, 80, 87, 88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120,
      123, 125, 130, 131, 132, 133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182,
      191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ]);
    for (const p of linux618.progTypes) for (const id of AV.groupIds(AV.BASE_GROUPS)) expect(p.helperAllowed(id), `${p.name} #${id}`).toBe(true);
  });

  it('CAP_BPF without CAP_PERFMON loses the tracing part of the base set and the socket casts (observed)', () => {
    const bpfOnly = { bpf: true, perfmon: false, sysAdmin: false };
    const sf = ids.filter((id) => t('socket').helperAllowed(id, bpfOnly));
    expect(sf).toEqual([
      1, 2, 3, 5, 7, 8, 12, 14, 15, 17, 25, 26, 37, 42, 46, 47, 68, 80, 87, 88, 89, 93, 94, 105, 106, 118, 120, 122, 123, 125, 130, 131, 132,
      133, 134, 153, 154, 156, 157, 160, 164, 169, 170, 171, 172, 181, 182, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ]);
    expect(t('tc').helperAllowed(136, bpfOnly)).toBe(false);
    expect(t('tc').helperAllowed(136)).toBe(true);
  });

  it.each([
    ['kprobe', [4, 25, 27, 45, 67, 173, 174]],
    ['tracepoint', [4, 25, 27, 45, 67, 173, 174]],
    ['raw_tp', [4, 25, 27, 45, 67, 173, 174]],
    ['raw_tp.w', [4, 25, 27, 45, 67, 173, 174]],
    ['perf_event', [4, 25, 27, 45, 56, 67, 119, 173, 174]],
    ['socket', [25, 26, 46, 47, 68, 122, 136, 137, 138, 139, 140, 160, 178, 196]],
    ['cgroup_device', [25, 81]],
    ['sk_reuseport', [26, 46, 68, 82, 160]],
    ['netfilter', []],
  ] as const)('%s: helpers beyond the base set (observed)', (name, extra) => {
    const base = new Set(AV.groupIds(AV.BASE_GROUPS));
    expect(ids.filter((id) => !base.has(id) && t(name).helperAllowed(id))).toEqual(extra);
  });

  it('attach-dependent helpers (observed): bind only for connect, sockopt in setsockopt, no retval for recvmsg', () => {
    const sa = t('cgroup_sock_addr');
    expect(sa.helperAllowed(64, undefined, 'BPF_CGROUP_INET4_CONNECT')).toBe(true);
    expect(sa.helperAllowed(64, undefined, 'BPF_CGROUP_INET4_BIND')).toBe(false);
    expect(sa.helperAllowed(64)).toBe(false);
    expect(sa.helperAllowed(186, undefined, 'BPF_CGROUP_UDP4_RECVMSG')).toBe(false);
    expect(sa.helperAllowed(186, undefined, 'BPF_CGROUP_INET4_CONNECT')).toBe(true);
    const so = t('cgroup_sockopt');
    expect(so.helperAllowed(49, undefined, 'BPF_CGROUP_SETSOCKOPT')).toBe(true);
    expect(so.helperAllowed(49, undefined, 'BPF_CGROUP_GETSOCKOPT')).toBe(false);
    expect(so.helperVariant(49, 'BPF_CGROUP_SETSOCKOPT')!.args[0]!.kind).toBe('ARG_PTR_TO_BTF_ID_SOCK_COMMON');
  });

  it('type-specific prototypes (observed): get_cgroup_classid, get_socket_cookie, xdp_get_buff_len, sk_storage in syscall', () => {
    expect(t('kprobe').helperVariant(17)!.args).toEqual([]);
    expect(t('xdp').helperVariant(17)!.args).toEqual([]);
    expect(t('tc').helperVariant(17)).toBeUndefined();
    expect(t('lwt_out').helperVariant(17)).toBeUndefined();
    expect(linux618.helper(17)!.args.map(formatArg)).toEqual(['ARG_PTR_TO_CTX']);
    expect(t('syscall').helperVariant(46)!.args.map(formatArg)).toEqual(['ARG_PTR_TO_BTF_ID_SOCK_COMMON']);
    expect(t('tc').helperVariant(46)).toBeUndefined();
    expect(t('syscall').helperVariant(188)!.args[0]).toMatchObject({ kind: 'ARG_PTR_TO_BTF_ID', btfType: 'xdp_buff' });
    expect(t('syscall').helperVariant(107)!.allowedIn).toEqual(['BPF_PROG_TYPE_TRACING']);
  });

  it('a program type that cannot use a helper is told so, for a sample of each group', () => {
    // one helper per group kind, and a type of another family
    const samples: [string, number, boolean][] = [
      ['xdp', 26, false], ['tc', 26, true], ['kprobe', 9, false], ['kprobe', 27, true], ['tc', 27, false], ['xdp', 44, true],
      ['tc', 44, false], ['sock_ops', 59, true], ['tc', 59, false], ['sk_msg', 60, true], ['sk_skb', 60, false], ['perf_event', 119, true],
      ['kprobe', 119, false], ['cgroup_sysctl', 101, true], ['cgroup_skb', 101, false], ['syscall', 166, true], ['kprobe', 166, false],
      ['tracing', 183, true], ['kprobe', 183, false], ['lsm', 145, true], ['tracing', 145, false], ['struct_ops', 116, true],
      ['lsm', 116, false], ['lirc_mode2', 78, true], ['xdp', 78, false], ['kprobe', 58, false], ['netfilter', 25, false],
    ];
    for (const [name, id, ok] of samples) expect(t(name).helperAllowed(id), `${name} #${id}`).toBe(ok);
  });
});

describe('the helpers-table case file', () => {
  it('is generated from this table (UPDATE_CASES=1 to rewrite)', () => {
    const text = helperTableCases(linux618);
    if (process.env.UPDATE_CASES === '1') writeFileSync(CASES_FILE, text);
    expect(readFileSync(CASES_FILE, 'utf8')).toBe(text);
    // (i) + (ii) for each helper that some loadable type may and some may not call
    expect(text.match(/^case: /gm)!.length).toBeGreaterThan(300);
  });
});
