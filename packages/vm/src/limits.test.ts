/**
 * Run-time limits on both engines (issue 7): the instruction budget, the heap cap making
 * bpf_obj_new return NULL (seen by a verified program), and an 8-frame call chain.
 * Programs run in the graph_types world of scripts/fuzz-soundness.mjs (maps, BTF, type table).
 */
import { describe, expect, test } from 'vitest';
import { FaultCode } from '@bpfkit/vm-wasm';
import { insn, type Insn } from '@bpfkit/isa';
// @ts-expect-error plain ESM script without declarations
import { World, objectContext, verdict } from '../../../scripts/fuzz-soundness.mjs';

const ENGINES = ['wasm', 'ts'] as const;
const KF_OBJ_NEW = 65205; // bpf_obj_new_impl (Linux 6.18 BTF id, as in the generated programs)

describe('run-time limits, both engines', () => {
  for (const engine of ENGINES) {
    test(`${engine}: an endless loop ends with a BUDGET fault near the budget`, async () => {
      const w = await World.create(engine, { budget: 10_000 });
      const o = w.run([insn(0xb7, 0, 0, 0, 0), insn(0x07, 0, 0, 0, 1), insn(0x05, 0, 0, -2, 0)]);
      expect(o.fault?.code).toBe(FaultCode.Budget);
    });

    test(`${engine}: past the heap cap bpf_obj_new returns NULL to a verified program`, async () => {
      const { T, M, V } = objectContext();
      // 12 times: p = bpf_obj_new(elem); if (!p) nulls++; else { lock; push_back(ghead, p); unlock }
      const p: Insn[] = [insn(0xb7, 8, 0, 0, 0)];
      const pushBack = 64454; // bpf_list_push_back_impl
      for (let k = 0; k < 12; k++) {
        p.push(insn(0xb7, 1, 0, 0, T.elem), insn(0xb7, 2, 0, 0, 0), insn(0x85, 0, 2, 0, KF_OBJ_NEW));
        p.push(insn(0x55, 0, 0, 2, 0), insn(0x07, 8, 0, 0, 1), insn(0x05, 0, 0, 14, 0));
        p.push(insn(0xbf, 7, 0), insn(0x18, 1, 6, 0, M.A, V.glock), insn(0x85, 0, 0, 0, 93));
        p.push(insn(0x18, 1, 6, 0, M.A, V.ghead), insn(0xbf, 2, 7), insn(0x07, 2, 0, 0, 8), insn(0xb7, 3, 0, 0, 0), insn(0xb7, 4, 0, 0, 0), insn(0x85, 0, 2, 0, pushBack));
        p.push(insn(0x18, 1, 6, 0, M.A, V.glock), insn(0x85, 0, 0, 0, 94));
      }
      p.push(insn(0xbf, 0, 8), insn(0x95));
      expect(verdict(p)).toEqual({ accepted: true });
      const small = await World.create(engine, { heapCap: 160 });
      const a = small.run(p);
      expect(a.fault).toBeUndefined();
      expect(Number(a.r0)).toBeGreaterThan(0); // some allocations failed …
      expect(Number(a.r0)).toBeLessThan(12); // … not all
      expect(a.leaked).toBe(0); // the drained list freed what was allocated
      const big = await World.create(engine);
      expect(big.run(p).r0).toBe(0n);
    });

    test(`${engine}: an 8-frame call chain runs; 9 frames fault in checked mode`, async () => {
      const chain = (d: number): Insn[] => {
        const p: Insn[] = [insn(0x85, 0, 1, 0, 1), insn(0x95)];
        for (let k = 1; k <= d; k++) p.push(...(k < d ? [insn(0x85, 0, 1, 0, 1), insn(0x07, 0, 0, 0, 1), insn(0x95)] : [insn(0xb7, 0, 0, 0, 0), insn(0x95)]));
        return p;
      };
      // relative call offsets: each link calls the next function, 3 slots further
      const fix = (p: Insn[]) => p.map((x, i) => (x.code === 0x85 && x.src === 1 ? { ...x, imm: i === 0 ? 1 : 2 } : x));
      const ok = fix(chain(7));
      expect(verdict(ok)).toEqual({ accepted: true });
      const w = await World.create(engine);
      const r = w.run(ok);
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(6n);
      const deep = fix(chain(8));
      expect(verdict(deep).accepted).toBe(false);
      expect(w.run(deep).fault?.code).toBe(FaultCode.Stack);
    });
  }
});
