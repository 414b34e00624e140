import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaultCode } from './core-api.js';
import { instantiateCoreSync } from './core.js';

interface Case { test: string; mem: string; expected: string; bytecode: string }

const file = new URL('../../../../shared/conformance/assembled.jsonl', import.meta.url);
const cases: Case[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case);
const hex = (s: string): Uint8Array => Uint8Array.from((s.match(/../g) ?? []).map((b) => parseInt(b, 16)));

describe('bpf_conformance through core.run (checked mode)', () => {
  it('has the 313 programs', () => expect(cases.length).toBe(313));

  it('every program gives the expected r0', () => {
    const core = instantiateCoreSync();
    const failures: string[] = [];
    for (const c of cases) {
      const code = hex(c.bytecode);
      const mem = hex(c.mem);
      const text = core.staticAlloc(code.length, 8);
      core.u8.set(code, text);
      let memAddr = 0;
      if (mem.length > 0) {
        memAddr = core.staticAlloc(mem.length, 8);
        core.u8.set(mem, memAddr);
        core.regionAdd(memAddr, mem.length, 3);
      }
      const f = core.run(text, code.length / 8, 0, BigInt(memAddr), true, 10_000_000n, BigInt(mem.length));
      core.endRun();
      const want = BigInt.asUintN(64, BigInt(c.expected));
      if (f !== FaultCode.None) failures.push(`${c.test}: fault ${JSON.stringify(core.fault())}`);
      else if (core.r0() !== want) failures.push(`${c.test}: r0 0x${core.r0().toString(16)} want 0x${want.toString(16)}`);
    }
    expect(failures).toEqual([]);
  });
});
