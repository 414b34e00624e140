/**
 * End-to-end: `bpfkit run`, `bpfkit map dump` and `bpfkit-conformance-plugin` spawned as processes
 * (the built CLI). Exit codes: 0 ok, 1 fault or rejected, 2 bad input; errors are one line.
 */
import { describe, expect, test } from 'vitest';
import { bpfkit } from './testing/spawn.js';

const LIST_MAP = 'fixtures/obj/list_map.bpf.o';
const FAIL = 'fixtures/obj/graph_list_fail.bpf.o';
const PACKET = '030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc';

function oneLineError(r: { status: number | null; stderr: string }, status: number, pattern: RegExp): void {
  expect(r.status).toBe(status);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bpfkit: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bpfkit run', () => {
  test('a sequence in one instance, human output like bpftool', () => {
    const r = bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--prog', 'list_map_pop', '--prog', 'list_map_pop', '--data', PACKET]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    // the kernel's retvals for this sequence: push 0, pop 12 (the pushed element), pop 0 (empty)
    expect(lines[0]).toMatch(/^list_map_push: Return value: 0, duration \(average\): \d+ns$/);
    expect(lines[1]).toMatch(/^list_map_pop: Return value: 12, duration \(average\): \d+ns$/);
    expect(lines[2]).toMatch(/^list_map_pop: Return value: 0, duration \(average\): \d+ns$/);
  });

  test('one program: exactly the bpftool line', () => {
    const r = bpfkit(['run', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--data-size', '64']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Return value: 2, duration \(average\): \d+ns\n$/);
  });

  test('--json on both engines, --repeat, --data-size', () => {
    for (const engine of ['wasm', 'ts']) {
      const r = bpfkit(['--json', 'run', 'fixtures/obj/bsearch.bpf.o', '--prog', 'bsearch', '--data-size', '1500', '--repeat', '2', '--engine', engine]);
      expect(r.status).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(Object.keys(j)).toEqual(['runs']);
      expect(j.runs).toHaveLength(1);
      expect(j.runs[0]).toEqual({ prog: 'bsearch', retval: 0x1ea7ec8f, insns: 254105, durationNs: expect.any(Number) });
    }
  });

  test('a run-time fault: exit 1, one line naming file, program, instruction and source line', () => {
    const r = bpfkit(['run', FAIL, '--prog', 'obj_use_after_drop']);
    oneLineError(r, 1, /^bpfkit: fixtures\/obj\/graph_list_fail\.bpf\.o: prog 'obj_use_after_drop': bad memory access at insn \d+ .*graph_list_fail\.bpf\.c:\d+: return it->val;/);
    const j = bpfkit(['--json', 'run', FAIL, '--prog', 'unlock_without_lock']);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ runs: [], error: { prog: 'unlock_without_lock', insn: expect.any(Number), message: expect.stringMatching(/spin lock misuse.*bpf_spin_unlock/) } });
  });

  test('--verify: a rejected program does not run (exit 1); an accepted one does', () => {
    oneLineError(bpfkit(['run', FAIL, '--prog', 'obj_use_after_drop', '--verify']), 1, /rejected by the verifier at insn \d+/);
    expect(bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--verify']).status).toBe(0);
  });

  test('bad input and usage: exit 2, one line', () => {
    oneLineError(bpfkit(['run', LIST_MAP, '--prog', 'nope']), 2, /no program named 'nope' \(programs: list_map_push, list_map_pop\)/);
    oneLineError(bpfkit(['run', 'fixtures/obj/missing.bpf.o', '--prog', 'x']), 2, /missing\.bpf\.o: no such file/);
    oneLineError(bpfkit(['run', LIST_MAP]), 2, /--prog NAME is required/);
    oneLineError(bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--data', 'xyz']), 2, /--data must be hex/);
    oneLineError(bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--data', '00', '--data-size', '4']), 2, /at most one of/);
    oneLineError(bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--data-size', '4']), 2, /shorter than an Ethernet header/);
    oneLineError(bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--repeat', '0']), 2, /--repeat must be between 1/);
    oneLineError(bpfkit(['run', LIST_MAP, '--prog', 'list_map_push', '--engine', 'jit']), 2, /engine/);
    oneLineError(bpfkit(['run', 'package.json', '--prog', 'x']), 2, /not an ELF object/);
  });
});

describe('bpfkit map dump', () => {
  test('--json after a sequence: maps and global sections, hex keys and values', () => {
    const r = bpfkit(['--json', 'map', 'dump', 'fixtures/obj/plain.bpf.o', '--after', 'tc_count', '--after', 'tc_count']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    const byName = Object.fromEntries(j.maps.map((m: { name: string }) => [m.name, m]));
    expect(Object.keys(byName)).toEqual(['stats_array', 'seen_hash', 'plain.data', 'plain.rodata', 'plain.bss']);
    for (const m of j.maps) expect(m).toMatchObject({ name: expect.any(String), entries: expect.any(Array) });
    // 64-byte default packet: key 64 & 7 = 0, two packets of 64 bytes
    expect(byName.stats_array.entries[0]).toEqual({ key: '00000000', value: '0200000000000000' + '8000000000000000' });
    expect(byName.seen_hash.entries).toEqual([{ key: '00000000', value: '0200000000000000' }]);
    expect(byName['plain.rodata']).toMatchObject({ section: '.rodata', entries: [{ key: '00000000', value: 'dc0500006270666b697400' }] });
    expect(j.runs).toEqual([{ prog: 'tc_count', retval: 0 }, { prog: 'tc_count', retval: 0 }]);
  });

  test('human output; map-in-map slots name the inner map', () => {
    const r = bpfkit(['map', 'dump', 'fixtures/obj/map_in_map.bpf.o']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^outer_array \(array_of_maps\): 1 entry\n  key: 00 00 00 00  value: [0-9a-f ]+ \(map inner\)$/m);
    oneLineError(bpfkit(['map', 'dump', LIST_MAP, '--after', 'nope']), 2, /no program named 'nope'/);
  });
});
