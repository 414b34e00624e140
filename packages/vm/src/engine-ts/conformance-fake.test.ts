import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTsEngine } from './index.js';
import { FakeCore } from './fake-core.js';
import { hexBytes, imageOf, parseExpected, placeData, type ConformanceCase } from './test-util.js';

const cases: ConformanceCase[] = readFileSync(new URL('../../../../../shared/conformance/assembled.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as ConformanceCase);

describe('ts engine: bpf_conformance on the memory-only test core (checked mode)', () => {
  it('has all 313 programs', () => expect(cases.length).toBe(313));
  const engine = createTsEngine();
  for (const c of cases) {
    it(c.test, () => {
      const core = new FakeCore();
      const mem = hexBytes(c.mem);
      const addr = mem.length ? placeData(core, mem) : 0;
      const prog = engine.prepare(core, imageOf(core, hexBytes(c.bytecode), c.test));
      const r = prog.run({ r1: BigInt(addr), args: [BigInt(mem.length)], checked: true, budget: 1_000_000n } as Parameters<typeof prog.run>[0]);
      expect(r.r0).toBe(parseExpected(c.expected));
    });
  }
});
