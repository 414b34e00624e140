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
