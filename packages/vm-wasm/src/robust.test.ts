import { describe, expect, it } from 'vitest';
import { FaultCode } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load, loadBytes } from './test-util.js';

/** Deterministic xorshift32. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

describe('checked mode never traps on unverified programs', () => {
  it('random instruction streams end normally or with a fault naming an instruction', () => {
    const core = instantiateCoreSync();
    const mem = core.staticAlloc(64, 8);
    core.regionAdd(mem, 64, 3);
    const r = rng(12345);
    const codes: number[] = [];
    for (let c = 0; c < 256; c++) if (c !== 0x85 && c !== 0x8d) codes.push(c); // calls are exercised below
    const seen = new Set<number>();
    for (let t = 0; t < 3000; t++) {
      const slots = 4 + (r() % 12);
      const bytes = new Uint8Array(slots * 8);
      for (let i = 0; i < slots; i++) {
        const o = i * 8;
        bytes[o] = r() % 4 === 0 ? 0xb7 : codes[r() % codes.length];
        bytes[o + 1] = (r() % 11) | ((r() % 11) << 4);
        const off = (r() % 3 === 0) ? (r() % 64) - 8 : (r() % 0x10000) - 0x8000;
        bytes[o + 2] = off & 0xff; bytes[o + 3] = (off >> 8) & 0xff;
        const imm = r() % 2 ? r() % 64 : r();
        bytes.set([imm & 0xff, (imm >>> 8) & 0xff, (imm >>> 16) & 0xff, imm >>> 24], o + 4);
      }
      bytes.set([0x95, 0, 0, 0, 0, 0, 0, 0], (slots - 1) * 8);
      const p = loadBytes(core, bytes);
      const f = core.run(p.text, p.slots, 0, BigInt(mem), true, 10_000n);
      seen.add(f);
      if (f !== FaultCode.None) {
        const fl = core.fault();
        expect(fl.pc, `program ${t}`).toBeGreaterThanOrEqual(0);
        expect(fl.pc).toBeLessThanOrEqual(slots);
      }
      core.endRun();
    }
    expect(seen.has(FaultCode.None)).toBe(true);
    expect(seen.has(FaultCode.BadAccess)).toBe(true);
    expect(seen.has(FaultCode.BadInsn)).toBe(true);
  });

  it('random helper and kfunc calls with random arguments are refused cleanly', () => {
    const core = instantiateCoreSync();
    const r = rng(777);
    const ids = [1, 2, 3, 5, 6, 7, 8, 93, 94, 153, 154, 181, 194, 195];
    const stack = BigInt(core.stackFrameTop(0) - 64);
    const arg = (): bigint => [0n, stack, BigInt(r()), BigInt(r()) << 32n, 0x10000n][r() % 5];
    for (let t = 0; t < 2000; t++) {
      const kfunc = r() % 2 === 0;
      const id = kfunc ? 1 + (r() % 24) : ids[r() % ids.length];
      // a program that loads the arguments and calls: r1..r5 = args
      const args = [arg(), arg(), arg(), arg(), arg()];
      const bytes: number[] = [];
      args.forEach((v, i) => {
        const lo = Number(v & 0xffffffffn), hi = Number(v >> 32n);
        bytes.push(0x18, i + 1, 0, 0, lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24);
        bytes.push(0, 0, 0, 0, hi & 0xff, (hi >>> 8) & 0xff, (hi >>> 16) & 0xff, hi >>> 24);
      });
      bytes.push(0x85, kfunc ? 0x20 : 0, 0, 0, id & 0xff, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0);
      const p = loadBytes(core, Uint8Array.from(bytes));
      const f = core.run(p.text, p.slots, 0, 0n, true, 10_000n);
      if (f === FaultCode.Lock) expect([10, 11]).toContain(core.fault().pc); // lock word busy, or still held at the exit
      else if (f !== FaultCode.None) expect(core.fault().pc, `${kfunc ? 'kfunc' : 'helper'} ${id}`).toBe(10);
      core.endRun();
    }
  });

  it('a corrupted list head that sends the collections outside the memory is a BadAccess at the call', () => {
    const core = instantiateCoreSync();
    const p = load(core, `
      r1 = 0xffffff00 ll
      *(u64 *)(r10 -16) = r1
      *(u64 *)(r10 -8) = r1
      r1 = r10
      r1 += -16
      call kfunc#8
      exit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadAccess);
    expect(core.fault().pc).toBe(6);
    const q = load(core, 'r0 = 1\nexit');
    expect(core.run(q.text, q.slots, 0, 0n, true, 1000n)).toBe(FaultCode.None);
  });
});
