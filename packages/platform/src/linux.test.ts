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
  it('has an empty kfunc table for now', () => {
    expect(linux618.kfuncs.size).toBe(0);
    expect(linux618.kfuncBtfId('bpf_obj_new_impl')).toBeUndefined();
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
