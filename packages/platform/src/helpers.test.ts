import { HELPER_NAMES, helperName } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import { compatibleRegTypes, formatArg } from './arg-types.js';
import { LINUX_618_HELPERS, SPEC_HELPERS } from './helpers.js';
import { linux618 } from './linux.js';

describe('helper table sanity', () => {
  it('ids are unique and names match HELPER_NAMES', () => {
    const ids = LINUX_618_HELPERS.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const h of LINUX_618_HELPERS) {
      expect(h.name).toBe('bpf_' + HELPER_NAMES[h.id]);
      expect(h.name).toBe(helperName(h.id));
      expect(h.args.length).toBeLessThanOrEqual(5);
    }
  });

  it('every size argument follows a memory argument, and releases/callbacks point at real args', () => {
    for (const h of LINUX_618_HELPERS) {
      h.args.forEach((a, i) => {
        if (a.kind === 'ARG_CONST_SIZE' || a.kind === 'ARG_CONST_SIZE_OR_ZERO') expect(h.args[i - 1]?.kind, h.name).toBe('ARG_PTR_TO_MEM');
      });
      if (h.releases) expect(h.args[h.releases - 1]!.flags, h.name).toContain('OBJ_RELEASE');
      if (h.callback) expect(h.args[h.callback.arg - 1]!.kind, h.name).toBe('ARG_PTR_TO_FUNC');
      if (h.args.some((a) => a.flags?.includes('OBJ_RELEASE'))) expect(h.releases, h.name).toBeDefined();
    }
  });

  it('only §11.5 prototypes are marked as from the spec', () => {
    const fromSpec = LINUX_618_HELPERS.filter((h) => !h.fromMemory).map((h) => h.id);
    expect(fromSpec).toEqual([1, 2, 3, 5, 6, 7, 8, 12, 93, 94, 181, 194]);
    expect(SPEC_HELPERS.every((h) => h.fromMemory === undefined)).toBe(true);
  });
});

/** verifier-core.md §11.5, transcribed: [id, ret, args, gpl, pkt_access]. */
const SPEC_11_5: readonly [number, string, string[], boolean, boolean][] = [
  [1, 'RET_PTR_TO_MAP_VALUE_OR_NULL', ['ARG_CONST_MAP_PTR', 'ARG_PTR_TO_MAP_KEY'], false, true],
  [2, 'RET_INTEGER', ['ARG_CONST_MAP_PTR', 'ARG_PTR_TO_MAP_KEY', 'ARG_PTR_TO_MAP_VALUE', 'ARG_ANYTHING'], false, true],
  [3, 'RET_INTEGER', ['ARG_CONST_MAP_PTR', 'ARG_PTR_TO_MAP_KEY'], false, true],
  [5, 'RET_INTEGER', [], false, false],
  [6, 'RET_INTEGER', ['ARG_PTR_TO_MEM|MEM_RDONLY', 'ARG_CONST_SIZE'], true, false],
  [7, 'RET_INTEGER', [], false, false],
  [8, 'RET_INTEGER', [], false, false],
  [12, 'RET_VOID', ['ARG_PTR_TO_CTX', 'ARG_CONST_MAP_PTR', 'ARG_ANYTHING'], false, false],
  [93, 'RET_VOID', ['ARG_PTR_TO_SPIN_LOCK'], false, false],
  [94, 'RET_VOID', ['ARG_PTR_TO_SPIN_LOCK'], false, false],
  [181, 'RET_INTEGER', ['ARG_ANYTHING', 'ARG_PTR_TO_FUNC', 'ARG_PTR_TO_STACK_OR_NULL', 'ARG_ANYTHING'], false, false],
  [194, 'RET_PTR_TO_BTF_ID_OR_NULL', ['ARG_KPTR_XCHG_DEST', 'ARG_PTR_TO_BTF_ID_OR_NULL|OBJ_RELEASE'], false, false],
];

describe('§11.5 prototypes', () => {
  it.each(SPEC_11_5)('helper #%i', (id, ret, args, gpl, pkt) => {
    const h = linux618.helper(id)!;
    expect(h.ret).toBe(ret);
    expect(h.args.map(formatArg)).toEqual(args);
    expect(h.gplOnly).toBe(gpl);
    expect(h.pktAccess).toBe(pkt);
  });

  it('has the notes: smp_processor_id range, loop callback, kptr_xchg acquire/release', () => {
    expect(linux618.helper(8)!.retRange).toEqual({ kind: 'cpu_id' });
    expect(linux618.helper(181)!.callback).toMatchObject({ arg: 2, mode: 'sync', retRange: [0, 1] });
    expect(linux618.helper(194)).toMatchObject({ acquires: true, releases: 2 });
    expect(linux618.helper(6)!.args).toHaveLength(2); // R3-R5 never read
  });
});

describe('argument register types (§11.2)', () => {
  it('lists the memory set in log order', () => {
    expect(compatibleRegTypes('ARG_PTR_TO_MAP_KEY').join(', ')).toBe('fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
    expect(compatibleRegTypes('ARG_PTR_TO_MEM')).toEqual(compatibleRegTypes('ARG_PTR_TO_MAP_VALUE'));
  });
  it('map_ptr and ctx kinds (obs messages)', () => {
    expect(compatibleRegTypes('ARG_CONST_MAP_PTR').join(', ')).toBe('map_ptr');
    expect(compatibleRegTypes('ARG_PTR_TO_CTX').join(', ')).toBe('ctx');
    expect(compatibleRegTypes('ARG_PTR_TO_STACK')).toEqual(['fp']);
    expect(compatibleRegTypes('ARG_ANYTHING')).toEqual([]);
  });
});

describe('selected networking/tracing prototypes', () => {
  it('packet-changing helpers are flagged; readers are not', () => {
    for (const id of [9, 44, 54, 65, 39, 50]) expect(linux618.helper(id)!.changesPktData, String(id)).toBe(true);
    for (const id of [1, 26, 23, 25]) expect(linux618.helper(id)!.changesPktData, String(id)).toBe(false);
  });
  it('ringbuf reserve acquires, submit/discard release', () => {
    expect(linux618.helper(131)).toMatchObject({ ret: 'RET_PTR_TO_RINGBUF_MEM_OR_NULL', acquires: true });
    expect(linux618.helper(132)!.args.map(formatArg)).toEqual(['ARG_PTR_TO_RINGBUF_MEM|OBJ_RELEASE', 'ARG_ANYTHING']);
    expect(linux618.helper(133)!.releases).toBe(1);
  });
  it('lookup by name with or without the bpf_ prefix', () => {
    expect(linux618.helperByName('bpf_skb_load_bytes')!.id).toBe(26);
    expect(linux618.helperByName('ktime_get_boot_ns')!.id).toBe(125);
    expect(linux618.helperByName('no_such_helper')).toBeUndefined();
  });
});
