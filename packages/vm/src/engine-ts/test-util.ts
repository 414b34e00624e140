/** Shared helpers of the ts engine's tests (not exported from the package). */
import type { Core } from '@bpfkit/vm-wasm';
import type { ProgramImage } from '../engine.js';

/** Copies program bytes into core memory as a relocated image would be. */
export function imageOf(core: Core, text: Uint8Array, name = 'prog', describeCall?: (src: number, imm: number) => string): ProgramImage {
  const addr = core.staticAlloc(Math.max(text.length, 8), 8);
  core.u8.set(text, addr);
  return { name, text, textAddr: addr, slots: text.length >> 3, describeCall };
}

/** Places bytes in core memory as a readable and writable region; returns the address. */
export function placeData(core: Core, bytes: Uint8Array): number {
  const addr = core.staticAlloc(Math.max(bytes.length, 8), 8);
  core.u8.set(bytes, addr);
  core.regionAdd(addr, bytes.length, 3);
  return addr;
}

export function hexBytes(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface ConformanceCase {
  readonly test: string;
  readonly mem: string;
  readonly expected: string;
  readonly bytecode: string;
}

export function parseExpected(s: string): bigint {
  const t = s.trim();
  return BigInt.asUintN(64, t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t));
}

/**
 * A deterministic synthetic program with one large function: a loop of `iters` iterations whose
 * body has about `body` instructions of 64/32-bit ALU work, stack spills and reloads, stores to the
 * data region at r1 (256 bytes), and short forward branches; `inner` adds a small inner loop per
 * iteration (a hot spot a function split must not cut badly). r0 = a hash of the registers.
 */
export function largeProgram(body: number, iters: number, seed = 1, inner = false): string {
  let x = seed >>> 0 || 1;
  const rnd = (n: number): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
  const R = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r7', 'r8'];
  const r = (): string => R[rnd(R.length)];
  const w = (): string => r().replace('r', 'w');
  const lines: string[] = ['r9 = r1', `r6 = ${iters}`];
  for (let i = 0; i < R.length; i++) lines.push(`${R[i]} = ${0x1234567 * (i + 1)}`);
  for (let off = 8; off <= 128; off += 8) lines.push(`*(u64 *)(r10 -${off}) = r6`);
  lines.push('loop:');
  let n = 0;
  let label = 0;
  const pending: [number, string][] = []; // (instruction count at which to place, label)
  while (n < body) {
    for (let k = pending.length - 1; k >= 0; k--) {
      if (pending[k][0] <= n) {
        lines.push(`${pending[k][1]}:`);
        pending.splice(k, 1);
      }
    }
    const c = rnd(20);
    if (c < 6) {
      const op = ['+=', '-=', '^=', '|=', '&=', '*='][rnd(6)];
      lines.push(rnd(2) ? `${r()} ${op} ${r()}` : `${r()} ${op} ${rnd(1 << 20) - (1 << 19)}`);
    } else if (c < 9) {
      const op = ['+=', '-=', '^=', '*=', '<<=', '>>=', 's>>='][rnd(7)];
      const shift = op.includes('<') || op.includes('>');
      lines.push(`${w()} ${op} ${shift ? rnd(32) : rnd(1 << 16)}`);
    } else if (c < 11) {
      const op = ['<<=', '>>=', 's>>='][rnd(3)];
      lines.push(`${r()} ${op} ${rnd(64)}`);
    } else if (c < 12) {
      lines.push(`${r()} ${['/=', '%='][rnd(2)]} ${1 + rnd(1000)}`);
    } else if (c < 14) {
      lines.push(`*(u64 *)(r10 -${8 * (1 + rnd(16))}) = ${r()}`);
    } else if (c < 16) {
      lines.push(`${r()} = *(u64 *)(r10 -${8 * (1 + rnd(16))})`);
    } else if (c < 17) {
      lines.push(`*(u32 *)(r9 +${4 * rnd(64)}) = ${r()}`);
    } else if (c < 18) {
      lines.push(`${r()} = *(u32 *)(r9 +${4 * rnd(64)})`);
    } else {
      const l = `f${label++}`;
      const cmp = ['==', '!=', '>', '<', 's>', 's<', '&'][rnd(7)];
      lines.push(`if ${r()} ${cmp} ${rnd(2) ? r() : String(rnd(1000))} goto ${l}`);
      pending.push([n + 2 + rnd(12), l]);
    }
    n++;
    if (inner && n === body >> 1) {
      // a small hot loop in the middle of the body
      lines.push('r6 <<= 8', 'r6 |= 16', `inner${label}:`, 'r0 += r6', 'r0 ^= 0x55', 'r6 -= 1', `if r6 & 255 goto inner${label}`, 'r6 >>= 8');
      n += 7;
    }
  }
  for (const [, l] of pending) lines.push(`${l}:`);
  lines.push('r6 -= 1', 'if r6 != 0 goto loop');
  for (const reg of R.slice(1)) lines.push(`r0 ^= ${reg}`, 'r0 *= 0x9e3779b1');
  lines.push('exit');
  return lines.join('\n');
}
