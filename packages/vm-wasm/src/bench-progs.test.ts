import { readFileSync } from 'node:fs';
import { loadObject } from '@bpfkit/object';
import { describe, expect, it } from 'vitest';
import { FaultCode } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { loadBytes } from './test-util.js';

const fixtures = new URL('../../../fixtures/', import.meta.url);
interface KernelRun { object: string; sequence: string[]; data?: string; results: { prog: string; retval: number }[] }
const kernel = JSON.parse(readFileSync(new URL('kernel-runs.json', fixtures), 'utf8')) as { runs: KernelRun[] };

// instructions per run: /work/shared/bench/README.md (counted by uBPF on the same bytecode)
const INSNS: Record<string, bigint> = { arith: 750_007n, csum: 240_334n, bsearch: 254_105n };

describe('the CPU-bound anchor programs (fixtures/obj) give the kernel results', () => {
  for (const name of ['arith', 'csum', 'bsearch']) {
    for (const checked of [false, true]) {
      it(`${name} (${checked ? 'checked' : 'verified'})`, () => {
        const run = kernel.runs.find((r) => r.object === name && r.sequence.length === 1);
        expect(run).toBeDefined();
        const core = instantiateCoreSync();
        const prog = loadObject(readFileSync(new URL(`obj/${name}.bpf.o`, fixtures)), { name }).spec.programs[0];
        const p = loadBytes(core, prog.bytes);
        const data = Uint8Array.from((run!.data ?? '').match(/../g)?.map((b) => parseInt(b, 16)) ?? []);
        const pkt = core.staticAlloc(Math.max(data.length, 8), 8);
        core.u8.set(data, pkt);
        const ctx = core.staticAlloc(24, 8); // struct xdp_md
        core.view.setUint32(ctx, pkt, true);
        core.view.setUint32(ctx + 4, pkt + data.length, true);
        core.regionAdd(pkt, Math.max(data.length, 8), 3);
        core.regionAdd(ctx, 24, 1);
        expect(core.run(p.text, p.slots, 0, BigInt(ctx), checked, 10_000_000n)).toBe(FaultCode.None);
        expect(Number(BigInt.asIntN(32, core.r0()))).toBe(run!.results[0].retval);
        expect(core.insns()).toBe(INSNS[name]);
      });
    }
  }
});
