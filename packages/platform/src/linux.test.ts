import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors.js';
import { LINUX_618_HELPERS } from './helpers.js';
import { createPlatform, linux618 } from './linux.js';
import type { HelperProto } from './types.js';

describe('linux618', () => {
  it('limits (§10, §12, §14.1)', () => {
    expect(linux618.limits).toMatchObject({ maxInsnsProcessed: 1_000_000, maxStack: 512, maxFrames: 8, maxJmpSeq: 8192, maxSubprogs: 256 });
    expect(linux618.helperIdCount).toBe(212);
  });
  it('declares the graph kfuncs once, by name and by BTF id', () => {
    const graph = ['bpf_obj_new_impl', 'bpf_obj_drop_impl', 'bpf_percpu_obj_new_impl', 'bpf_percpu_obj_drop_impl', 'bpf_refcount_acquire_impl',
      'bpf_list_push_front_impl', 'bpf_list_push_back_impl', 'bpf_list_pop_front', 'bpf_list_pop_back', 'bpf_list_front', 'bpf_list_back',
      'bpf_rbtree_add_impl', 'bpf_rbtree_remove', 'bpf_rbtree_first', 'bpf_rbtree_root', 'bpf_rbtree_left', 'bpf_rbtree_right'];
    for (const name of graph) {
      const k = linux618.kfunc(name);
      expect(k, name).toBeDefined();
      expect(linux618.kfuncByBtfId(k!.btfId!)).toBe(k);
    }
    expect(linux618.kfunc('bpf_obj_new_impl')!.flags).toEqual(['KF_ACQUIRE', 'KF_RET_NULL']);
    expect(linux618.kfunc('bpf_list_pop_front')!.lock).toBe('required');
    expect(linux618.kfunc('bpf_rbtree_add_impl')!.args.map((a) => a.name)).toEqual(['root', 'node', 'less', 'meta__ign', 'off']);
    expect(linux618.kfuncByBtfId(1)).toBeUndefined();
  });
  it('is frozen', () => {
    expect(Object.isFrozen(linux618)).toBe(true);
    expect(Object.isFrozen(linux618.limits)).toBe(true);
  });
});

describe('createPlatform', () => {
  it('overrides limits and keeps the rest', () => {
    const p = createPlatform({ limits: { nrCpuIds: 64 }, name: 'big' });
    expect(p.limits.nrCpuIds).toBe(64);
    expect(p.limits.maxStack).toBe(512);
    expect(p.name).toBe('big');
    expect(p.helper(1)).toBe(linux618.helper(1));
  });
  it('accepts kfunc declarations', () => {
    const p = createPlatform({ kfuncs: [{ name: 'bpf_obj_new_impl', btfId: 1234, ret: 'void *', args: [], flags: ['KF_ACQUIRE', 'KF_RET_NULL'] }] });
    expect(p.kfuncBtfId('bpf_obj_new_impl')).toBe(1234);
    expect(p.kfunc('bpf_obj_new_impl')!.flags).toContain('KF_ACQUIRE');
  });
  it('can drop helpers', () => {
    const p = createPlatform({ helpers: LINUX_618_HELPERS.filter((h) => h.id !== 26) });
    expect(p.helper(26)).toBeUndefined();
    expect(p.helper(1)).toBeDefined();
  });
  it('rejects inconsistent tables with PlatformError', () => {
    const dup: HelperProto = { ...linux618.helper(1)!, name: 'bpf_other' };
    const err = (() => { try { createPlatform({ helpers: [...LINUX_618_HELPERS, dup] }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).code).toBe('BAD_HELPER_TABLE');
    expect((err as PlatformError).location.helperId).toBe(1);
    expect(() => createPlatform({ limits: { maxStack: -1 } })).toThrow(PlatformError);
    const k = { name: 'k', ret: 'int', args: [], flags: [] };
    expect(() => createPlatform({ kfuncs: [k, k] })).toThrow(PlatformError);
    expect(() => createPlatform({ progTypes: [linux618.progTypes[0]!, linux618.progTypes[0]!] })).toThrow(PlatformError);
  });
});
