import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelBtfBytes, linkProgram, loadObject, ObjectError, parseElf } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('mutated objects', () => {
  for (const f of ['kitchen.bpf.o', 'kitchen.bpf.eb.o']) {
    it(`${f}: byte flips in loader-relevant sections give only ObjectErrors`, () => {
      const base = new Uint8Array(readFileSync(join(here, '__fixtures__', f)));
      const secs = parseElf(base).sections.filter((s) => s.size > 0 && s.type !== 8 && !s.name.includes('debug'));
      let seed = 99;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      let rejected = 0;
      for (let t = 0; t < 400; t++) {
        const c = new Uint8Array(base);
        const s = secs[Math.floor(rnd() * secs.length)];
        for (let k = 0; k < 2; k++) c[s.offset + Math.floor(rnd() * s.size)] ^= 1 << Math.floor(rnd() * 8);
        try {
          const { spec, btfFixups } = loadObject(c);
          if (spec.btf && btfFixups) kernelBtfBytes(spec.btf, btfFixups);
          for (const p of spec.programs) linkProgram(spec, p.name, { kfuncBtfId: () => 7 });
        } catch (e) {
          expect(e).toBeInstanceOf(ObjectError);
          rejected++;
        }
      }
      expect(rejected).toBeGreaterThan(0);
    }, 60_000);
  }
});
