import { describe, expect, it } from 'vitest';
import { FaultCode } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load } from './test-util.js';

describe('heap (bpf_obj_new allocator)', () => {
  it('size classes include the 8-byte header; live accounting', () => {
    const core = instantiateCoreSync();
    const a = core.objNew(24, 0);
    expect(a).not.toBe(0);
    expect(a % 8).toBe(0);
    expect(core.liveObjects()).toBe(1);
    expect(core.liveBytes()).toBe(32);
    const b = core.objNew(4088, 0);
    expect(b).not.toBe(0);
    expect(core.objNew(4089, 0)).toBe(0);
    expect(core.objNew(0, 0)).toBe(0);
    expect(core.liveObjects()).toBe(2);
    expect(core.liveBytes()).toBe(32 + 4096);
    core.objDrop(a);
    core.objDrop(b);
    expect(core.liveObjects()).toBe(0);
    expect(core.liveBytes()).toBe(0);
  });

  it('objectOf maps interior pointers to the object, 0 for headers, dead objects and other memory', () => {
    const core = instantiateCoreSync();
    const a = core.objNew(100, 0); // class 128
    expect(core.objectOf(a)).toBe(a);
    expect(core.objectOf(a + 50)).toBe(a);
    expect(core.objectOf(a + 119)).toBe(a);
    expect(core.objectOf(a - 4)).toBe(0);
    expect(core.objectOf(core.scratch)).toBe(0);
    expect(core.objectOf(0)).toBe(0);
    core.objDrop(a);
    expect(core.objectOf(a + 8)).toBe(0);
  });

  it('frees are deferred until endRun: no address reuse within an invocation', () => {
    const core = instantiateCoreSync();
    const a = core.objNew(16, 0);
    core.objDrop(a);
    const b = core.objNew(16, 0);
    expect(b).not.toBe(a);
    core.endRun();
    const c = core.objNew(16, 0);
    expect(c).toBe(a);
  });

  it('the heap cap makes allocation return NULL; deferred frees still count until endRun', () => {
    const core = instantiateCoreSync({ heapCap: 1024 });
    const objs: number[] = [];
    for (;;) { const p = core.objNew(16, 0); if (p === 0) break; objs.push(p); }
    expect(objs.length).toBe(1024 / 32);
    core.objDrop(objs[0]);
    expect(core.objNew(16, 0)).toBe(0);
    core.endRun();
    expect(core.objNew(16, 0)).toBe(objs[0]);
  });

  it('bpf_obj_new returns zeroed memory even when reusing', () => {
    const core = instantiateCoreSync();
    const a = core.objNew(64, 0);
    core.u8.fill(0xaa, a, a + 64);
    core.objDrop(a);
    core.endRun();
    const b = core.objNew(64, 0);
    expect(b).toBe(a);
    expect([...core.u8.subarray(b, b + 64)].every((x) => x === 0)).toBe(true);
  });

  it('checked mode allows the live object payload only', () => {
    const core = instantiateCoreSync();
    const a = core.objNew(20, 0); // class 32: payload capacity 24
    expect(core.checkAccess(a, 24, true)).toBe(true);
    expect(core.checkAccess(a + 20, 8, false)).toBe(false);
    expect(core.checkAccess(a - 8, 8, false)).toBe(false);
    const p = load(core, 'r0 = *(u64 *)(r1 +16)\nr0 = *(u64 *)(r1 +24)\nexit');
    expect(core.run(p.text, p.slots, 0, BigInt(a), true, 100n)).toBe(FaultCode.BadAccess);
    expect(core.fault()).toMatchObject({ pc: 1, addr: a + 24 });
    core.objDrop(a);
    expect(core.run(p.text, p.slots, 0, BigInt(a), true, 100n)).toBe(FaultCode.BadAccess);
    expect(core.fault().pc).toBe(0);
  });

  it('grows the memory and refreshes views', () => {
    const core = instantiateCoreSync();
    const before = core.memory.buffer.byteLength;
    const big = core.staticAlloc(8 << 20, 8);
    expect(core.memory.buffer.byteLength).toBeGreaterThan(before);
    core.u8[big + (8 << 20) - 1] = 7;
    expect(core.view.getUint8(big + (8 << 20) - 1)).toBe(7);
  });
});
