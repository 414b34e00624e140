/**
 * The failure catalogue of spec graph-collections.md §4 against our fixtures:
 * every row (fixtures/graph-rows.json) has at least one fixture program of our
 * own (fixtures/index.json `covers: spec-4.R.N`), and Linux 6.18's recorded
 * first error line for it (fixtures/kernel-verdicts.json) is the row's message
 * — or, where the kernel prints something else, the line listed under
 * `kernelWins` (the kernel wins; fixtures/README.md explains each).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../', import.meta.url);
const json = <T>(p: string) => JSON.parse(readFileSync(new URL(p, ROOT), 'utf8')) as T;

const rows = json<{ rows: Record<string, { what: string; message: string | null }>; kernelWins: Record<string, { firstLine: string }> }>('fixtures/graph-rows.json');
const index = json<{ name: string; programs: { name: string; expect?: string; covers?: string[] }[] }[]>('fixtures/index.json');
const verdicts = json<{ objects: { name: string; programs: { name: string; accepted: boolean; meantToBeAccepted: boolean; firstErrorLine?: string; btfLoaded?: boolean }[] }[] }>('fixtures/kernel-verdicts.json');

const recorded = new Map(verdicts.objects.flatMap((o) => o.programs.map((p) => [`${o.name}/${p.name}`, p] as const)));

/** `%d` / `%s` of a spec message as a regular expression. */
function messagePattern(m: string): RegExp {
  const esc = m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(esc.replace(/%d/g, '-?\\d+').replace(/%s/g, '\\S+'));
}

function programsFor(row: string): string[] {
  return index.flatMap((f) => f.programs.filter((p) => p.covers?.includes(`spec-${row}`)).map((p) => `${f.name}/${p.name}`));
}

describe('spec §4 failure catalogue: fixtures confirmed by Linux 6.18', () => {
  it('has the 43 rows of tables 4.1-4.3', () => {
    expect(Object.keys(rows.rows).filter((r) => r.startsWith('4.1.')).length).toBe(27);
    expect(Object.keys(rows.rows).filter((r) => r.startsWith('4.2.')).length).toBe(9);
    expect(Object.keys(rows.rows).filter((r) => r.startsWith('4.3.')).length).toBe(7);
  });

  it.each(Object.entries(rows.rows))('row %s has a fixture program with the kernel-confirmed message', (row, r) => {
    const progs = programsFor(row);
    expect(progs.length, `no fixture covers spec-${row}`).toBeGreaterThan(0);
    for (const key of progs) {
      const p = recorded.get(key);
      expect(p, `${key} not in kernel-verdicts.json`).toBeDefined();
      expect(p!.btfLoaded, `${key}: loaded without BTF`).not.toBe(false);
      expect(p!.accepted, key).toBe(p!.meantToBeAccepted);
      if (r.message === null) {
        expect(p!.accepted, key).toBe(true);
        continue;
      }
      expect(p!.accepted, key).toBe(false);
      const wins = rows.kernelWins[key];
      if (wins) expect(p!.firstErrorLine, key).toContain(wins.firstLine);
      else expect(p!.firstErrorLine, key).toMatch(messagePattern(r.message));
    }
  });

  it('every graph fixture program got the verdict it was written for', () => {
    const graph = verdicts.objects.filter((o) => o.name.startsWith('graph_') && o.name !== 'graph_bench');
    expect(graph.length).toBe(5);
    for (const o of graph) for (const p of o.programs) expect(p.accepted, `${o.name}/${p.name}`).toBe(p.meantToBeAccepted);
  });
});
