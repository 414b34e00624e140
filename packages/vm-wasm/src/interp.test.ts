import { describe, expect, it } from 'vitest';
import { FaultCode, FUNC_BASE } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load, loadBytes } from './test-util.js';

function runText(src: string, opts: { r1?: bigint; checked?: boolean; budget?: bigint } = {}) {
  const core = instantiateCoreSync();
  const p = load(core, src);
  const f = core.run(p.text, p.slots, 0, opts.r1 ?? 0n, opts.checked ?? true, opts.budget ?? 100_000_000n);
  return { core, f, r0: core.r0(), fault: core.fault(), insns: core.insns() };
}

describe('interpreter semantics', () => {
  it('64-bit and 32-bit arithmetic, BPF division by zero, signed division overflow', () => {
    expect(runText('r0 = 7\nr1 = 0\nr0 /= r1\nexit').r0).toBe(0n);
    expect(runText('r0 = 7\nr1 = 0\nr0 %= r1\nexit').r0).toBe(7n);
    expect(runText('r0 = -10\nw1 = 0\nw0 s%= w1\nexit').r0).toBe(0xfffffff6n);
    expect(runText('r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s/= r1\nexit').r0).toBe(0x8000000000000000n);
    expect(runText('r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s%= r1\nexit').r0).toBe(0n);
    expect(runText('r0 = -13\nr0 s%= 3\nexit').r0).toBe(BigInt.asUintN(64, -1n));
    expect(runText('r0 = -1\nw0 += 1\nexit').r0).toBe(0n);
    expect(runText('r0 = -1\nr0 /= -1\nexit').r0).toBe(1n); // divides by 2^64-1
  });

  it('masks shift amounts and sign-extends moves and loads', () => {
    expect(runText('r0 = 1\nr1 = 65\nr0 <<= r1\nexit').r0).toBe(2n);
    expect(runText('w0 = 1\nw1 = 60\nw0 <<= w1\nexit').r0).toBe(1n << 28n);
    expect(runText('r1 = 0x80\nr0 = (s8)r1\nexit').r0).toBe(BigInt.asUintN(64, -128n));
    expect(runText('r1 = 0x8000\nw0 = (s16)w1\nexit').r0).toBe(0xffff8000n);
    expect(runText('r1 = 0xff\n*(u8 *)(r10 -1) = r1\nr0 = *(s8 *)(r10 -1)\nexit').r0).toBe(BigInt.asUintN(64, -1n));
    expect(runText('r0 = 0x8877665544332211 ll\nr0 = bswap16 r0\nexit').r0).toBe(0x1122n);
    expect(runText('r0 = 0x8877665544332211 ll\nr0 = be32 r0\nexit').r0).toBe(0x11223344n);
    expect(runText('r0 = 0x8877665544332211 ll\nr0 = le16 r0\nexit').r0).toBe(0x2211n);
  });

  it('fused mov+alu pairs keep the semantics of both slots, also when jumping into the second', () => {
    const r = runText(`
      r1 = 5
      r2 = 1
      if r2 == 1 goto second
      r3 = r1
    second:
      r3 += 2
      r4 = r1
      r4 <<= 3
      r0 = r3
      r0 += r4
      exit`);
    expect(r.r0).toBe(42n); // r3 = 0 + 2 (jumped over the mov), r4 = 40
    expect(r.insns).toBe(9n);
  });

  it('atomics: fetch ops, xchg, cmpxchg (64 and 32 bits)', () => {
    const r = runText(`
      r1 = 10
      *(u64 *)(r10 -8) = r1
      r2 = 5
      r2 = atomic64_fetch_add((u64 *)(r10 -8), r2)
      r3 = *(u64 *)(r10 -8)
      r0 = 15
      r4 = 99
      r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r4)
      r5 = *(u64 *)(r10 -8)
      r0 *= 1000
      r0 += r5
      r0 *= 100
      r0 += r3
      r0 *= 100
      r0 += r2
      exit`);
    expect(r.f).toBe(FaultCode.None);
    expect(r.r0).toBe(((15n * 1000n + 99n) * 100n + 15n) * 100n + 10n);
    const w = runText(`
      r1 = -1
      *(u64 *)(r10 -8) = r1
      w2 = 7
      r2 = atomic_xchg((u32 *)(r10 -8), r2)
      r0 = *(u64 *)(r10 -8)
      r0 += r2
      exit`);
    expect(w.r0).toBe(BigInt.asUintN(64, 0xffffffff00000007n + 0xffffffffn)); // old value zero-extended from 32 bits
  });

  it('bpf-to-bpf calls keep r6-r9 and give each frame its own stack', () => {
    const r = runText(`
      r6 = 6
      r1 = 11
      *(u64 *)(r10 -8) = r1
      call sub
      r1 = *(u64 *)(r10 -8)
      r0 += r1
      r0 += r6
      exit
    sub:
      r6 = 100
      r2 = 22
      *(u64 *)(r10 -8) = r2
      r0 = *(u64 *)(r10 -8)
      exit`);
    expect(r.f).toBe(FaultCode.None);
    expect(r.r0).toBe(22n + 11n + 6n);
  });

  it('call depth beyond 8 frames is a Stack fault', () => {
    const r = runText('call f\nexit\nf: call f\nexit');
    expect(r.f).toBe(FaultCode.Stack);
    expect(r.fault.pc).toBe(2);
  });

  it('may_goto falls through 8M times per frame, then jumps', () => {
    const r = runText('r0 = 0\nl: may_goto done\nr0 += 1\ngoto l\ndone: exit', { checked: false, budget: 0n });
    expect(r.f).toBe(FaultCode.None);
    expect(r.r0).toBe(8n * 1024n * 1024n);
  });

  it('counts executed instructions', () => {
    const r = runText('r0 = 0\nr1 = 10\nl: r0 += r1\nr1 -= 1\nif r1 != 0 goto l\nexit');
    expect(r.r0).toBe(55n);
    expect(r.insns).toBe(2n + 30n + 1n);
  });

  it('gotol and a jump into the middle of ld_imm64', () => {
    expect(runText('r0 = 1\ngotol +1\nr0 = 2\nexit').r0).toBe(1n);
    const core = instantiateCoreSync();
    // goto +1 lands on the second slot of r0 = imm64
    const p = loadBytes(core, Uint8Array.from([0x05, 0, 1, 0, 0, 0, 0, 0, 0x18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]));
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadJump);
    expect(core.fault().pc).toBe(0);
  });
});

describe('checked-mode faults', () => {
  it('NULL dereference names the instruction and the address', () => {
    const r = runText('r2 = 1\nr0 = *(u64 *)(r1 +16)\nexit', { r1: 0n });
    expect(r.f).toBe(FaultCode.BadAccess);
    expect(r.fault).toMatchObject({ code: FaultCode.BadAccess, pc: 1, addr: 16 });
  });

  it('out of bounds of a host region, read-only regions, stack below r10-512', () => {
    const core = instantiateCoreSync();
    const buf = core.staticAlloc(16, 8);
    core.regionAdd(buf, 16, 1);
    const rd = load(core, 'r0 = *(u64 *)(r1 +8)\nr0 = *(u64 *)(r1 +12)\nexit');
    expect(core.run(rd.text, rd.slots, 0, BigInt(buf), true, 1000n)).toBe(FaultCode.BadAccess);
    expect(core.fault()).toMatchObject({ pc: 1, addr: buf + 12 });
    const wr = load(core, 'r0 = 1\n*(u64 *)(r1 +0) = r0\nexit');
    expect(core.run(wr.text, wr.slots, 0, BigInt(buf), true, 1000n)).toBe(FaultCode.BadAccess);
    expect(core.fault().pc).toBe(1);
    const st = load(core, 'r0 = *(u64 *)(r10 -512)\nr0 = *(u64 *)(r10 -520)\nexit');
    expect(core.run(st.text, st.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadAccess);
    expect(core.fault().pc).toBe(1);
    // the hidden may_goto slot above r10 is not program memory
    const hi = load(core, 'r0 = *(u64 *)(r10 +0)\nexit');
    expect(core.run(hi.text, hi.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadAccess);
    // atomics are checked too
    const at = load(core, 'r2 = 1\nlock *(u64 *)(r1 +0) += r2\nexit');
    expect(core.run(at.text, at.slots, 0, BigInt(buf), true, 1000n)).toBe(FaultCode.BadAccess);
    expect(core.fault().pc).toBe(1);
  });

  it('a runaway loop ends with Budget', () => {
    const r = runText('r0 = 0\nl: r0 += 1\ngoto l', { budget: 10_000n });
    expect(r.f).toBe(FaultCode.Budget);
    expect(r.fault.pc).toBe(2);
    expect(r.insns).toBeGreaterThanOrEqual(10_000n);
    expect(r.insns).toBeLessThan(10_010n);
  });

  it('unknown helper and kfunc ids are BadCall with the id', () => {
    const h = runText('r0 = 0\ncall 999\nexit');
    expect(h.f).toBe(FaultCode.BadCall);
    expect(h.fault).toMatchObject({ pc: 1, arg: 999 });
    const k = runText('call kfunc#77\nexit');
    expect(k.fault).toMatchObject({ code: FaultCode.BadCall, pc: 0, arg: 77 });
  });

  it('bad opcodes, jumps out of the program and falling off the end', () => {
    const core = instantiateCoreSync();
    const bad = loadBytes(core, Uint8Array.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0]));
    expect(core.run(bad.text, bad.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadInsn);
    expect(core.fault().pc).toBe(1);
    const far = loadBytes(core, Uint8Array.from([0x05, 0, 5, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]));
    expect(core.run(far.text, far.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadJump);
    const off = load(core, 'r0 = 1');
    expect(core.run(off.text, off.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadJump);
    expect(core.fault().pc).toBe(1);
  });

  it('verified mode: an access outside the linear memory is reported, the core stays usable', () => {
    const core = instantiateCoreSync();
    const p = load(core, 'r1 = 0xfffffff0 ll\nr0 = *(u64 *)(r1 +0)\nexit');
    expect(core.run(p.text, p.slots, 0, 0n, false, 0n)).toBe(FaultCode.BadAccess);
    const q = load(core, 'r0 = 3\nexit');
    expect(core.run(q.text, q.slots, 0, 0n, false, 0n)).toBe(FaultCode.None);
    expect(core.r0()).toBe(3n);
  });
});

describe('helpers', () => {
  it('trace_printk formats into the captured buffer', () => {
    const core = instantiateCoreSync();
    const fmt = new TextEncoder().encode('v=%d x=%llx s=%s %%\n\0');
    const str = new TextEncoder().encode('hi\0');
    const f = core.staticAlloc(fmt.length); core.u8.set(fmt, f); core.regionAdd(f, fmt.length, 1);
    const s = core.staticAlloc(str.length); core.u8.set(str, s); core.regionAdd(s, str.length, 1);
    const want = 'v=-5 x=deadbeefcafe s=hi %\n';
    expect(core.callHelper(6, 0, BigInt(f), BigInt(fmt.length), BigInt.asUintN(64, -5n), 0xdeadbeefcafen, BigInt(s))).toBe(BigInt(want.length));
    // %u takes the low 32 bits; more than 3 conversions is -EINVAL
    const f2 = new TextEncoder().encode('%u %u %u %u\0');
    const a2 = core.staticAlloc(f2.length); core.u8.set(f2, a2);
    expect(core.callHelper(6, 0, BigInt(a2), 9n, 0x1_0000_0007n, 0n, 0n)).toBe(6n); // fmt_size 9 = '%u %u %u '
    expect(core.callHelper(6, 0, BigInt(a2), BigInt(f2.length), 1n, 2n, 3n)).toBe(BigInt.asUintN(64, -22n));
    expect(core.printk()).toBe(want + '7 0 0 ');
    core.printkClear();
    expect(core.printk()).toBe('');
  });

  it('prandom is seedable; smp_processor_id follows setCpu; ktime comes from the host', () => {
    const a = instantiateCoreSync({ seed: 42n });
    const b = instantiateCoreSync({ seed: 42n });
    const c = instantiateCoreSync({ seed: 43n, now: () => 123456789n });
    const seq = (core: typeof a) => [0, 1, 2].map(() => core.callHelper(7, 0, 0n, 0n, 0n, 0n, 0n));
    const sa = seq(a);
    expect(seq(b)).toEqual(sa);
    expect(seq(c)).not.toEqual(sa);
    a.setCpu(1);
    expect(a.callHelper(8, 0, 0n, 0n, 0n, 0n, 0n)).toBe(1n);
    expect(c.callHelper(5, 0, 0n, 0n, 0n, 0n, 0n)).toBe(123456789n);
  });

  it('bpf_loop calls the callback in the wasm engine (re-entrant interpreter)', () => {
    const r = runText(`
      r1 = 0
      *(u64 *)(r10 -8) = r1
      r1 = 10
      r2 = subprog[cb]
      r3 = r10
      r3 += -8
      r4 = 0
      call bpf_loop
      r6 = r0
      r0 = *(u64 *)(r10 -8)
      r0 *= 100
      r0 += r6
      exit
    cb:
      r3 = *(u64 *)(r2 +0)
      r3 += r1
      *(u64 *)(r2 +0) = r3
      r0 = 0
      if r1 != 6 goto out
      r0 = 1
    out:
      exit`);
    expect(r.f).toBe(FaultCode.None);
    expect(r.r0).toBe(21n * 100n + 7n); // 0+…+6, stopped after 7 iterations
  });

  it('bpf_loop from a host engine goes through the callback handler', () => {
    const core = instantiateCoreSync();
    const seen: bigint[] = [];
    core.setCallbackHandler((pc, r1, r2) => { expect(pc).toBe(12); expect(r2).toBe(77n); seen.push(r1); return 0n; });
    expect(core.callHelper(181, 3, 4n, FUNC_BASE + 12n, 77n, 0n, 0n)).toBe(4n);
    expect(seen).toEqual([0n, 1n, 2n, 3n]);
    expect(core.callHelper(181, 3, 4n, FUNC_BASE + 12n, 77n, 1n, 0n)).toBe(BigInt.asUintN(64, -22n));
  });

  it('spin lock misuse is a Lock fault in checked mode; kptr_xchg swaps', () => {
    const lockTwice = runText('r1 = r10\nr1 += -8\nr2 = 0\n*(u64 *)(r10 -8) = r2\ncall bpf_spin_lock\nr1 = r10\nr1 += -8\ncall bpf_spin_lock\nexit');
    expect(lockTwice.fault).toMatchObject({ code: FaultCode.Lock, pc: 7 });
    const unlockFree = runText('r1 = r10\nr1 += -8\nr2 = 0\n*(u64 *)(r10 -8) = r2\ncall bpf_spin_unlock\nexit');
    expect(unlockFree.fault).toMatchObject({ code: FaultCode.Lock, pc: 4 });
    const held = runText('r1 = r10\nr1 += -8\nr2 = 0\n*(u64 *)(r10 -8) = r2\ncall bpf_spin_lock\nr0 = 0\nexit');
    expect(held.fault).toMatchObject({ code: FaultCode.Lock, pc: 6 }); // the exit
    expect(held.core.locksHeld()).toBe(1); // what host engines check at exit
    held.core.endRun();
    expect(held.core.locksHeld()).toBe(0);
    const ok = runText('r1 = r10\nr1 += -8\nr2 = 0\n*(u64 *)(r10 -8) = r2\ncall bpf_spin_lock\nr1 = r10\nr1 += -8\ncall bpf_spin_unlock\nr0 = 0\nexit');
    expect(ok.f).toBe(FaultCode.None);
    expect(ok.core.locksHeld()).toBe(0);
    const x = runText('r2 = 5\n*(u64 *)(r10 -8) = r2\nr1 = r10\nr1 += -8\nr2 = 9\ncall bpf_kptr_xchg\nr1 = *(u64 *)(r10 -8)\nr0 *= 10\nr0 += r1\nexit');
    expect(x.r0).toBe(59n);
  });
});
