/**
 * Loop fixtures (fixtures/src/loops.bpf.c, issue 8) and the graph benchmark's
 * fill/drain programs against Linux 6.18's recorded verdicts: same verdict and
 * first error line, and for accepted programs a processed-instruction count
 * within 2× of the kernel's (loops converge by widening and range-within
 * pruning, not by unrolling).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseBtf } from '@bpfkit/btf';
import { kernelBtfBytes, loadObject } from '@bpfkit/object';
import { linux618 } from '@bpfkit/platform';
import { objectProgramInput } from './object-input.js';
import { verify } from './verify.js';

const ROOT = new URL('../../../', import.meta.url);

interface KernelProgram {
  name: string;
  accepted: boolean;
  lastLogLine: string;
  firstErrorLine?: string;
}
const verdicts = JSON.parse(readFileSync(new URL('fixtures/kernel-verdicts.json', ROOT), 'utf8')) as {
  objects: { name: string; object: string; programs: KernelProgram[] }[];
};

const processedOf = (line: string): number => Number(/^processed (\d+) insns/.exec(line)?.[1] ?? NaN);

for (const objName of ['loops', 'graph_bench']) {
  const o = verdicts.objects.find((x) => x.name === objName)!;
  describe(`${objName}: loops against the kernel`, () => {
    const bytes = new Uint8Array(readFileSync(new URL(o.object, ROOT)));
    const { spec, btfFixups } = loadObject(bytes, { name: o.name });
    const kernelBtf = spec.btf && btfFixups ? parseBtf(kernelBtfBytes(spec.btf, btfFixups)) : spec.btf;
    test('the object has the programs the issue asks for', () => {
      if (objName === 'loops') {
        expect(o.programs.map((p) => p.name).sort()).toEqual(
          ['iter_before_new', 'iter_leaked', 'list_bpf_for', 'list_can_loop', 'may_goto_forever', 'nested_iters', 'rb_bpf_for', 'rb_can_loop'],
        );
      }
      expect(o.programs.length).toBeGreaterThan(4);
    });
    for (const p of o.programs) {
      test(`${p.name}: ${p.accepted ? `accepted within 2x of Linux's ${processedOf(p.lastLogLine)} insns` : `rejected with "${p.firstErrorLine}"`}`, () => {
        const { input } = objectProgramInput(spec, p.name, linux618, kernelBtf);
        const r = verify(input, { logLevel: 0 });
        if (!p.accepted) {
          expect(r.error?.message).toBe(p.firstErrorLine);
          return;
        }
        expect(r.error?.message).toBeUndefined();
        const kernel = processedOf(p.lastLogLine);
        const ours = r.stats.insnsProcessed;
        expect(ours, `ours ${ours} vs Linux ${kernel}`).toBeLessThanOrEqual(2 * kernel);
        expect(ours, `ours ${ours} vs Linux ${kernel}`).toBeGreaterThanOrEqual(kernel / 2);
      });
    }
  });
}
