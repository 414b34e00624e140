/**
 * End-to-end: `bpfkit bench` spawned as a process — engines side by side, the JSON shape, the
 * mode chosen by the verifier, faults (exit 1) and bad input (exit 2). No progress bar when
 * stderr is not a terminal (src/progress.test.ts covers the bar itself).
 */
import { describe, expect, test } from 'vitest';
import { bpfkit } from './testing/spawn.js';

interface BenchJson {
  results: { engine: string; mode: string; insnsPerRun: number; runs: number; nsPerRun: number; mInsnsPerSec: number }[];
}

describe('bpfkit bench', { timeout: 60_000 }, () => {
  test('--json, both engines: the schema and consistent figures', () => {
    const r = bpfkit(['--json', 'bench', 'fixtures/obj/csum.bpf.o', '--prog', 'csum', '--data-size', '1500', '--time', '150']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as BenchJson;
    expect(Object.keys(j)).toEqual(['results']);
    expect(j.results.map((x) => [x.engine, x.mode])).toEqual([
      ['wasm', 'verified'],
      ['ts', 'verified'],
    ]);
    for (const x of j.results) {
      expect(Object.keys(x)).toEqual(['engine', 'mode', 'insnsPerRun', 'runs', 'nsPerRun', 'mInsnsPerSec']);
      expect(x.runs).toBeGreaterThan(1);
      expect(x.nsPerRun).toBeGreaterThan(0);
      // M insns/s = insns per run / ns per run × 1000 (rounded to 0.1)
      expect(Math.abs(x.mInsnsPerSec - (x.insnsPerRun / x.nsPerRun) * 1000)).toBeLessThan(0.2 + x.mInsnsPerSec * 0.001);
    }
    // both engines execute the same program: the same instruction count
    expect(j.results[0]!.insnsPerRun).toBe(j.results[1]!.insnsPerRun);
    expect(j.results[0]!.insnsPerRun).toBeGreaterThan(1500);
  });

  test('human output: a table with one row per engine', () => {
    const r = bpfkit(['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--engine', 'wasm', '--time', '50']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('xdp_pass: 64-byte input, 50 ms per engine');
    expect(lines[1]).toMatch(/^ {2}engine {2}mode {6}insns\/run {2}runs +ns\/run +M insns\/s$/);
    expect(lines[2]).toMatch(/^ {2}wasm {4}verified {2}[\d,]+ +[\d,]+ +[\d,]+\.\d +[\d,]+\.\d$/);
    expect(lines).toHaveLength(3);
  });

  test('a program the verifier rejects is measured in checked mode', () => {
    // graph_list_fail's list_obj_head_no_lock is rejected (no lock held) but runs without a fault
    const r = bpfkit(['--json', 'bench', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'list_obj_head_no_lock', '--engine', 'ts', '--time', '50']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as BenchJson).results.map((x) => [x.engine, x.mode])).toEqual([['ts', 'checked']]);
  });

  test('a run-time fault: exit 1, one line naming the program, instruction and source line', () => {
    const r = bpfkit(['bench', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'obj_use_after_drop', '--time', '50']);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^bpfkit: fixtures\/obj\/graph_list_fail\.bpf\.o: prog 'obj_use_after_drop': bad memory access at insn \d+ .*graph_list_fail\.bpf\.c:\d+/);
  });

  test('bad input: exit 2, one line', () => {
    for (const args of [
      ['bench', 'fixtures/obj/plain.bpf.o'],
      ['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--prog', 'tc_count'],
      ['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--time', '0'],
      ['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--data', 'zz'],
      ['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'nope'],
    ]) {
      const r = bpfkit(args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^bpfkit: /);
    }
  });
});
