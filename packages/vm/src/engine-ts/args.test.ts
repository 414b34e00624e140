import { assemble, encode } from '@bpfkit/isa';
import { instantiateCoreSync } from '@bpfkit/vm-wasm';
import { describe, expect, it } from 'vitest';
import type { RunRequest } from '../engine.js';
import { createWasmEngine } from '../engine-wasm.js';
import { createTsEngine } from './index.js';
import { imageOf } from './test-util.js';

describe('RunRequest args (r2..r5) on both engines', () => {
  const core = instantiateCoreSync();
  // r0 = r1 + 2*r2 + 4*r3 + 8*r4 + 16*r5 (64-bit)
  const img = imageOf(core, encode(assemble('r0 = r1\nr2 <<= 1\nr0 += r2\nr3 <<= 2\nr0 += r3\nr4 <<= 3\nr0 += r4\nr5 <<= 4\nr0 += r5\nexit')), 'args');
  const ts = createTsEngine().prepare(core, img);
  const wasm = createWasmEngine().prepare(core, img);
  const run = (p: typeof ts, req: Partial<RunRequest>) => {
    try {
      return p.run({ r1: 1n, checked: true, budget: 0n, ...req });
    } finally {
      core.endRun();
    }
  };

  it('r2 reaches the program on both engines (missing args = 0)', () => {
    for (const checked of [true, false]) {
      expect(run(ts, { checked }).r0).toBe(1n);
      expect(run(wasm, { checked }).r0).toBe(1n);
      const big = 0x1_2345_6789n;
      expect(run(ts, { args: [big], checked }).r0).toBe(1n + 2n * big);
      expect(run(wasm, { args: [big], checked }).r0).toBe(1n + 2n * big);
      // negative values are two's complement
      expect(run(ts, { args: [-1n], checked }).r0).toBe(BigInt.asUintN(64, 1n - 2n));
      expect(run(wasm, { args: [-1n], checked }).r0).toBe(BigInt.asUintN(64, 1n - 2n));
      // explicit zeros for r3..r5 are fine on the wasm engine
      expect(run(wasm, { args: [3n, 0n, 0n, 0n], checked }).r0).toBe(7n);
    }
  });
  it('r3..r5: the ts engine takes them, the wasm engine refuses non-zero ones; more than 4 args is an error', () => {
    expect(run(ts, { args: [1n, 2n, 3n, 4n] }).r0).toBe(1n + 2n + 8n + 24n + 64n);
    expect(() => run(wasm, { args: [1n, 2n] })).toThrow(RangeError);
    expect(() => run(wasm, { args: [0n, 0n, 0n, 0n, 0n] })).toThrow(/at most 4/);
    expect(() => run(ts, { args: [0n, 0n, 0n, 0n, 0n] })).toThrow(/r2\.\.r5/);
  });
});
