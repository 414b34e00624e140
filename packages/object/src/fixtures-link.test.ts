import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slotOffsets } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import { linkProgram, loadObjectSpec } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs = [join(here, '__fixtures__'), join(here, '../../../fixtures/obj')];
const objects = dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.o')).sort().map((f) => join(d, f)) : []));

describe('linking every program of every fixture object', () => {
  it.each(objects.map((o) => [o.split('/').slice(-2).join('/'), o]))('%s', (_name, path) => {
    const spec = loadObjectSpec(new Uint8Array(readFileSync(path)));
    const ids = new Map<string, number>();
    const platform = { kfuncBtfId: (n: string) => ids.get(n) ?? (ids.set(n, 100 + ids.size), ids.get(n)), ksymAddress: () => 0x1000n, ksymVarBtfId: () => 7 };
    for (const p of spec.programs) {
      const l = linkProgram(spec, p.name, platform);
      const offs = slotOffsets(l.insns);
      const starts = new Set(l.functions.map((f) => f.start));
      expect(offs[l.insns.length]).toBe(l.slotCount);
      expect(l.slotCount).toBe(l.functions.reduce((n, f) => n + f.slotCount, 0));
      l.insns.forEach((i, k) => {
        const slot = offs[k];
        if (i.code === 0x85 && i.src === 1) expect(starts.has(slot + i.imm + 1)).toBe(true);
        if (i.code === 0x85 && i.src === 2) expect([...ids.values()]).toContain(i.imm);
        if (i.code === 0x18 && i.src === 4) expect(starts.has(slot + i.imm + 1)).toBe(true);
        if (i.code === 0x18 && (i.src === 5 || i.src === 6)) {
          expect(i.imm).toBeGreaterThanOrEqual(0);
          expect(i.imm).toBeLessThan(spec.maps.length);
          if (i.src === 6) expect(i.imm2).toBeLessThan(spec.maps[i.imm].valueSize);
        }
        expect(i.code === 0x18 && i.src === 1).toBe(false); // never an fd form
      });
      if (spec.btfExt && l.funcInfo.length) expect(l.funcInfo.map((f) => f.insn)).toEqual(l.functions.map((f) => f.start));
      for (const li of l.lineInfo) expect(li.insn).toBeLessThan(l.slotCount);
    }
  });
});
