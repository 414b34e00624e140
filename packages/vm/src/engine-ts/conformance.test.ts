import { readFileSync } from 'node:fs';
import { instantiateCoreSync } from '@bpfkit/vm-wasm';
import { describe, expect, it } from 'vitest';
import { createTsEngine, type TsRunRequest } from './index.js';
import { hexBytes, imageOf, parseExpected, placeData, type ConformanceCase } from './test-util.js';

const cases: ConformanceCase[] = readFileSync(new URL('../../../../../shared/conformance/assembled.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as ConformanceCase);

// r1 = address of the test's memory (a read/write region), r2 = its length; checked mode.
describe('ts engine: bpf_conformance on the wasm core (checked mode)', () => {
  it('has all 313 programs', () => expect(cases.length).toBe(313));
  const engine = createTsEngine();
  const core = instantiateCoreSync();
  for (const c of cases) {
    it(c.test, () => {
      const mem = hexBytes(c.mem);
      const addr = mem.length ? placeData(core, mem) : 0;
      const prog = engine.prepare(core, imageOf(core, hexBytes(c.bytecode), c.test));
      try {
        const req: TsRunRequest = { r1: BigInt(addr), args: [BigInt(mem.length)], checked: true, budget: 1_000_000n };
        expect(prog.run(req).r0).toBe(parseExpected(c.expected));
      } finally {
        core.endRun();
      }
    });
  }
});
