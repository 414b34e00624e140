import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// assembly/interp.ts uses literal case labels (binaryen builds one br_table only from plain constants);
// each label is annotated with the ops.ts name it stands for. Keep them in sync.
describe('interpreter dispatch labels', () => {
  it('every literal case label equals its ops.ts constant (+ form), without duplicates', () => {
    const ops = new Map<string, number>();
    for (const m of readFileSync(new URL('../assembly/ops.ts', import.meta.url), 'utf8').matchAll(/export const (\w+): i32 = (\d+);/g)) ops.set(m[1]!, Number(m[2]));
    const interp = readFileSync(new URL('../assembly/interp.ts', import.meta.url), 'utf8');
    const all = [...interp.matchAll(/case (\d+): \/\*/g)].map((m) => Number(m[1]));
    expect(all.length).toBeGreaterThan(180);
    expect(new Set(all).size).toBe(all.length);
    let plain = 0, fused = 0;
    for (const m of interp.matchAll(/case (\d+): \/\* (\w+?)(?:\+(\d+))? \*\//g)) {
      const base = ops.get(m[2]!);
      expect(base, `unknown op ${m[2]}`).toBeDefined();
      expect(Number(m[1]), `${m[2]}+${m[3] ?? 0}`).toBe(base! + Number(m[3] ?? 0));
      plain++;
    }
    // fused labels: FUSED_BASE + index*2 + form, index = (A_op - A_ADD) / 4
    for (const m of interp.matchAll(/case (\d+): \/\* FUSED_MOVX\+A_(\w+)\+(\d):/g)) {
      const idx = (ops.get(`A_${m[2]}`)! - ops.get('A_ADD')!) / 4;
      expect(Number(m[1])).toBe(ops.get('FUSED_BASE')! + idx * 2 + Number(m[3]));
      fused++;
    }
    expect(plain + fused).toBe(all.length);
  });
});
