import { assemble, encode } from '@bpfkit/isa';
import { FaultCode, instantiateCoreSync, type Core } from '@bpfkit/vm-wasm';
import { describe, expect, it } from 'vitest';
import { RunFault } from '../engine.js';
import { createTsEngine, type TsRunRequest } from './index.js';
import { imageOf, placeData } from './test-util.js';

const engine = createTsEngine();
const describeCall = (src: number, imm: number): string => (src === 2 ? `kfunc#${imm}` : imm === 181 ? 'bpf_loop#181' : `helper_${imm}#${imm}`);

function prog(core: Core, text: string | Uint8Array) {
  const bytes = typeof text === 'string' ? encode(assemble(text)) : text;
  return engine.prepare(core, imageOf(core, bytes, 'faulty', describeCall));
}

/** Runs and returns the RunFault it must throw. */
function fault(core: Core, text: string | Uint8Array, req: Partial<TsRunRequest> = {}): RunFault {
  try {
    prog(core, text).run({ r1: 0n, checked: true, budget: 1_000_000n, ...req } as TsRunRequest);
  } catch (e) {
    if (e instanceof RunFault) return e;
    throw e;
  } finally {
    core.endRun();
  }
  throw new Error('the run did not fault');
}

describe('ts engine: faults on the wasm core', () => {
  const core = instantiateCoreSync();
  const data = placeData(core, new Uint8Array(16));
  const ro = core.staticAlloc(16, 8);
  core.regionAdd(ro, 16, 1);

  it('NULL dereference in checked mode: BadAccess naming the instruction and the address', () => {
    const f = fault(core, 'r2 = 1\nr0 = *(u64 *)(r1 +0)\nexit');
    expect(f.code).toBe(FaultCode.BadAccess);
    expect(f.pc).toBe(1);
    expect(f.addr).toBe(0);
    expect(f.message).toBe('bad memory access at insn 1: read of 8 bytes at 0x0');
  });
  it('out of bounds of a region, writes to a read-only region, pointers above 4 GiB', () => {
    const oob = fault(core, 'r0 = *(u64 *)(r1 +12)\nexit', { r1: BigInt(data) });
    expect([oob.code, oob.pc, oob.addr]).toEqual([FaultCode.BadAccess, 0, data + 12]);
    const okRead = prog(core, 'r0 = *(u64 *)(r1 +8)\nexit').run({ r1: BigInt(ro), checked: true, budget: 0n });
    expect(okRead.r0).toBe(0n);
    const w = fault(core, 'r2 = 1\n*(u32 *)(r1 +4) = r2\nexit', { r1: BigInt(ro) });
    expect([w.code, w.pc]).toEqual([FaultCode.BadAccess, 1]);
    expect(w.message).toContain('write of 4 bytes');
    const atomic = fault(core, 'r2 = 1\nlock *(u64 *)(r1 +0) += r2\nexit', { r1: BigInt(ro) });
    expect([atomic.code, atomic.pc]).toEqual([FaultCode.BadAccess, 1]);
    const hi = fault(core, 'r0 = *(u8 *)(r1 +0)\nexit', { r1: (1n << 32n) + BigInt(data) });
    expect([hi.code, hi.pc]).toEqual([FaultCode.BadAccess, 0]);
    expect(hi.message).toContain(`0x1${data.toString(16).padStart(8, '0')}`);
    const neg = fault(core, 'r0 = *(u8 *)(r1 -1)\nexit', { r1: 0n });
    expect(neg.message).toContain('0xffffffffffffffff');
  });
  it('unchecked mode: an access outside core memory still ends in BadAccess at the instruction', () => {
    const f = fault(core, 'r2 = 0\nr0 = *(u64 *)(r1 +0)\nexit', { r1: 0xfffffff0n, checked: false });
    expect([f.code, f.pc]).toEqual([FaultCode.BadAccess, 1]);
  });
  it('budget: a runaway loop ends with Budget at the first instruction past it', () => {
    const f = fault(core, 'r0 = 0\nr0 += 1\ngoto -2', { budget: 4n });
    expect([f.code, f.pc]).toEqual([FaultCode.Budget, 2]);
    const g = fault(core, 'r0 = 0\nr0 += 1\ngoto -2', { budget: 1001n });
    expect([g.code, g.pc]).toEqual([FaultCode.Budget, 1]);
    // exactly at the budget is fine
    const ok = prog(core, 'r0 = 1\nr0 += 1\nexit').run({ r1: 0n, checked: true, budget: 3n });
    expect(ok).toEqual({ r0: 2n, insns: 3 });
    core.endRun();
  });
  it('unknown helper and kfunc: BadCall naming the call', () => {
    const h = fault(core, 'r1 = 1\ncall 9999\nexit');
    expect([h.code, h.pc]).toEqual([FaultCode.BadCall, 1]);
    expect(h.message).toContain('helper_9999#9999');
    const k = fault(core, 'call kfunc#999\nexit');
    expect([k.code, k.pc]).toEqual([FaultCode.BadCall, 0]);
    expect(k.message).toContain('kfunc#999');
  });
  it('bad opcodes fault when reached (dead ones do not); bad jumps and falling off the end', () => {
    const bad = Uint8Array.from([0xb7, 0, 0, 0, 1, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
    const f = fault(core, bad);
    expect([f.code, f.pc]).toEqual([FaultCode.BadInsn, 1]);
    const dead = Uint8Array.from([0x05, 0, 1, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
    expect(prog(core, dead).run({ r1: 0n, checked: true, budget: 0n }).r0).toBe(0n);
    const reg = fault(core, Uint8Array.from([0xb7, 0x0c, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]));
    expect([reg.code, reg.pc]).toEqual([FaultCode.BadInsn, 0]);
    const out = fault(core, 'r0 = 0\nif r0 == 0 goto +5\nexit');
    expect([out.code, out.pc]).toEqual([FaultCode.BadJump, 1]);
    const mid = fault(core, 'goto +1\nr0 = 0x123456789 ll\nexit');
    expect([mid.code, mid.pc]).toEqual([FaultCode.BadJump, 0]);
    const end = fault(core, 'r0 = 0\nr0 += 1');
    expect([end.code, end.pc]).toEqual([FaultCode.BadJump, 1]);
    expect(end.message).toBe('bad jump at insn 1: falls off the end of the program');
  });
  it('bpf_loop through the core calls back into the ts engine; a fault in the callback names its instruction', () => {
    const src = (cbBody: string) => `r6 = 0
*(u64 *)(r10 -8) = r6
r1 = 4
r2 = 0x10000000d ll
r3 = r10
r3 += -8
r4 = 0
call 181
r1 = *(u64 *)(r10 -8)
r0 *= 100
r0 += r1
exit
${cbBody}`;
    const p = prog(core, src('r3 = *(u64 *)(r2 +0)\nr3 += r1\nr3 += 10\n*(u64 *)(r2 +0) = r3\nr0 = 0\nexit'));
    const r = p.run({ r1: 0n, checked: true, budget: 0n });
    core.endRun();
    expect(r.r0).toBe(4n * 100n + (0n + 1n + 2n + 3n) + 40n);
    expect(r.insns).toBe(12 + 4 * 6);
    const f = fault(core, src('r0 = *(u64 *)(r1 +0)\nexit'));
    expect([f.code, f.pc]).toEqual([FaultCode.BadAccess, 13]);
  });
  it('spin locks: exit with a lock held is a Lock fault at the exit in checked mode, as on the wasm engine', () => {
    const lock = placeData(core, new Uint8Array(8));
    const held = `r1 = ${lock} ll\ncall 93\nr0 = 0\nexit`;
    const f = fault(core, held);
    expect([f.code, f.pc]).toEqual([FaultCode.Lock, 4]);
    expect(f.message).toBe('spin lock misuse at insn 4: program exit with a bpf_spin_lock held');
    expect(core.locksHeld()).toBe(0); // endRun released it
    // a subprogram's exit is not the program's exit: the fault names the main exit
    const sub = fault(core, `r1 = ${lock} ll\ncall pc+2\nr0 = 0\nexit\ncall 93\nexit`);
    expect([sub.code, sub.pc]).toEqual([FaultCode.Lock, 4]);
    // lock + unlock is fine; unchecked mode does not check
    const ok = prog(core, `r1 = ${lock} ll\ncall 93\nr1 = ${lock} ll\ncall 94\nr0 = 7\nexit`).run({ r1: 0n, checked: true, budget: 0n });
    core.endRun();
    expect(ok.r0).toBe(7n);
    expect(prog(core, held).run({ r1: 0n, checked: false, budget: 0n }).r0).toBe(0n);
    core.endRun();
    // the wasm engine agrees on the same image
    const img = imageOf(core, encode(assemble(held)), 'held', describeCall);
    expect(core.run(img.textAddr, img.slots, 0, 0n, true, 0n)).toBe(FaultCode.Lock);
    expect(core.fault().pc).toBe(4);
    core.endRun();
  });
  it('call depth: more than 8 frames is a Stack fault at the call', () => {
    const f = fault(core, 'call pc-1\nexit');
    expect(f.code).toBe(FaultCode.Stack);
    expect(f.pc).toBe(0);
  });
});
