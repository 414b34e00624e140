import { readFileSync } from 'node:fs';
import { assemble, encode } from '@bpfkit/isa';
import { FaultCode, instantiateCoreSync, type Core } from '@bpfkit/vm-wasm';
import { describe, expect, it } from 'vitest';
import { RunFault, type PreparedProgram, type RunRequest } from '../engine.js';
import { createWasmEngine } from '../engine-wasm.js';
import { PART_SIZE, SPLIT_OVER } from './codegen.js';
import { createTsEngine, type TsEngineOptions } from './index.js';
import { hexBytes, imageOf, largeProgram, parseExpected, placeData, type ConformanceCase } from './test-util.js';

type Source = { source(entry: number, checked: boolean): string };

/** Runs a prepared program on fresh data (256 zero bytes at r1); result, fault and the data bytes after. */
function runOn(core: Core, p: PreparedProgram, data: number, req: Partial<RunRequest> = {}) {
  core.u8.fill(0, data, data + 256);
  let res: { r0: bigint; insns: number } | undefined;
  let fault: { code: number; pc: number } | undefined;
  try {
    res = p.run({ r1: BigInt(data), checked: true, budget: 0n, ...req });
  } catch (e) {
    if (!(e instanceof RunFault)) throw e;
    fault = { code: e.code, pc: e.pc };
  } finally {
    core.endRun();
  }
  return { res, fault, bytes: Array.from(core.u8.subarray(data, data + 256)) };
}

describe('ts engine: large functions are split into parts', () => {
  const core = instantiateCoreSync();
  const data = placeData(core, new Uint8Array(256));
  const wasm = createWasmEngine();
  const ts = createTsEngine();

  for (const [body, iters, inner] of [[1000, 40, false], [3000, 12, true]] as const) {
    it(`a ${body}-instruction loop body${inner ? ' with a small inner loop' : ''} agrees with the wasm engine (r0, insns, memory; both modes)`, () => {
      const img = imageOf(core, encode(assemble(largeProgram(body, iters, 3, inner))), 'large');
      const pt = ts.prepare(core, img);
      const src = (pt as unknown as Source).source(0, false);
      // several parts: one function each, and the driver
      const parts = src.match(/^function part_0_\d+\(/gm) ?? [];
      expect(parts.length).toBeGreaterThanOrEqual(Math.floor(body / (1.5 * PART_SIZE)));
      expect(parts.length).toBeLessThanOrEqual(Math.ceil((body + 60) / (0.5 * PART_SIZE)));
      const pw = wasm.prepare(core, img);
      for (const checked of [false, true]) {
        const a = runOn(core, pt, data, { checked });
        const b = runOn(core, pw, data, { checked });
        expect(a.fault).toBeUndefined();
        expect(a.res).toEqual(b.res);
        expect(a.res!.insns).toBeGreaterThan((body * iters) / 2);
        expect(a.bytes).toEqual(b.bytes);
        expect(a.bytes.some((x) => x !== 0)).toBe(true);
      }
    });
  }

  it('small functions keep one JS function; the threshold is the reachable instruction count', () => {
    const small = ts.prepare(core, imageOf(core, encode(assemble(largeProgram(SPLIT_OVER - 100, 1))), 'small')) as unknown as Source;
    expect(small.source(0, true)).not.toContain('function part_');
    // the same program is split when the threshold is lower
    const img = imageOf(core, encode(assemble(largeProgram(SPLIT_OVER - 100, 1))), 'small');
    const forced = createTsEngine({ splitOver: 100 }).prepare(core, img) as unknown as Source;
    expect(forced.source(0, true)).toContain('function part_0_1(');
  });

  it('a cut avoids small loops: the inner loop stays inside one part', () => {
    const img = imageOf(core, encode(assemble(largeProgram(3000, 1, 3, true))), 'inner');
    const src = (ts.prepare(core, img) as unknown as Source).source(0, false);
    // the inner loop's back edge stays a dispatch inside its part (`continue`), not a part switch (`break out`)
    const lines = src.split('\n');
    const back = lines.findIndex((l) => /if \(\(L6 & 255\) !== 0/.test(l));
    expect(back).toBeGreaterThan(0);
    expect(lines[back]).toContain('continue;');
    expect(lines[back]).not.toContain('break out');
  });

  it('budget faults and the executed instruction count do not depend on the split', () => {
    const img = imageOf(core, encode(assemble(largeProgram(1500, 5, 9))), 'budget');
    const whole = createTsEngine({ splitOver: 1e9 }).prepare(core, img);
    const split = ts.prepare(core, img);
    const tiny = createTsEngine({ splitOver: 0, partSize: 3 }).prepare(core, img);
    for (const budget of [1n, 17n, 999n, 1501n, 2345n, 4321n]) {
      const w = runOn(core, whole, data, { budget });
      expect(w.fault?.code).toBe(FaultCode.Budget);
      expect(runOn(core, split, data, { budget })).toEqual(w);
      expect(runOn(core, tiny, data, { budget })).toEqual(w);
    }
    const ok = runOn(core, whole, data);
    expect(runOn(core, split, data)).toEqual(ok);
    expect(runOn(core, tiny, data)).toEqual(ok);
  });
});

describe('ts engine: forced splitting (every few instructions) keeps the semantics', () => {
  const core = instantiateCoreSync();
  const data = placeData(core, new Uint8Array(256));
  const opts: TsEngineOptions[] = [{ splitOver: 0, partSize: 1 }, { splitOver: 0, partSize: 4 }];

  it('bpf_conformance: 313/313 with parts of 1 and 4 instructions', () => {
    const cases: ConformanceCase[] = readFileSync(new URL('../../../../../shared/conformance/assembled.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as ConformanceCase);
    expect(cases.length).toBe(313);
    for (const o of opts) {
      const engine = createTsEngine(o);
      const failed: string[] = [];
      for (const c of cases) {
        const mem = hexBytes(c.mem);
        const addr = mem.length ? placeData(core, mem) : 0;
        const prog = engine.prepare(core, imageOf(core, hexBytes(c.bytecode), c.test));
        try {
          const r0 = prog.run({ r1: BigInt(addr), args: [BigInt(mem.length)], checked: true, budget: 1_000_000n }).r0;
          if (r0 !== parseExpected(c.expected)) failed.push(`${c.test}: ${r0}`);
        } catch (e) {
          failed.push(`${c.test}: ${String(e)}`);
        } finally {
          core.endRun();
        }
      }
      expect(failed).toEqual([]);
    }
  });

  it('recursion (registers per frame), callbacks, faults and the lock check at exit in split functions', () => {
    // f(n) = n == 0 ? 0 : n + f(n - 1), through r6 kept across the call
    const rec = 'r1 = *(u64 *)(r1 +0)\ncall pc+1\nexit\nr6 = r1\nr0 = 0\nif r1 == 0 goto +3\nr1 += -1\ncall pc-5\nr0 += r6\nexit';
    const loop = `r6 = 0
*(u64 *)(r10 -8) = r6
r1 = 5
r2 = 0x10000000d ll
r3 = r10
r3 += -8
r4 = 0
call 181
r0 *= 1000
r1 = *(u64 *)(r10 -8)
r0 += r1
exit
r3 = *(u64 *)(r2 +0)
r3 += r1
*(u64 *)(r2 +0) = r3
r0 = 0
exit`;
    const lock = placeData(core, new Uint8Array(8));
    const held = `r1 = ${lock} ll\ncall pc+3\nr0 = 0\nr0 += 1\nexit\ncall 93\nexit`;
    const bad = 'r2 = 1\nr3 = 2\nif r2 > r3 goto +1\nr0 = *(u64 *)(r2 +0)\nexit';
    const mayGoto = 'r0 = 0\nmay_goto +2\nr0 += 1\ngoto -3\nexit';
    const ref = createTsEngine({ splitOver: 1e9 });
    const wasm = createWasmEngine();
    for (const text of [rec, loop, held, bad, mayGoto]) {
      const img = imageOf(core, encode(assemble(text)), 'p');
      const want = runOn(core, ref.prepare(core, img), data, { budget: 100_000_000n });
      core.view.setBigUint64(data, 6n, true);
      for (const o of opts) {
        const p = createTsEngine(o).prepare(core, img);
        if (o.partSize === 1) expect((p as unknown as Source).source(0, true)).toContain('function part_0_1(');
        expect(runOn(core, p, data, { budget: 100_000_000n })).toEqual(want);
        expect(runOn(core, p, data, { budget: 100_000_000n, checked: false })).toEqual(runOn(core, ref.prepare(core, img), data, { budget: 100_000_000n, checked: false }));
      }
      expect(runOn(core, wasm.prepare(core, img), data, { budget: 100_000_000n })).toEqual(want);
    }
  });
});
