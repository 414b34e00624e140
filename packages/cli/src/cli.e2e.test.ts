/**
 * End-to-end: the built `bpfkit` spawned as a process. Human output is compared
 * with golden files; JSON output is checked for its documented shape; bad input
 * and usage give exit 2 with one line on stderr and never a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bpfkit, golden, ROOT } from './testing/spawn.js';

const OBJ = 'fixtures/obj/list_map.bpf.o';
const RBTREE = 'fixtures/obj/rbtree.bpf.o';

function expectOneLineError(r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bpfkit: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bpfkit object show', () => {
  test('human output', () => {
    const r = bpfkit(['object', 'show', OBJ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('object-show.list_map.txt', r.stdout));
  });

  test('--json shape', () => {
    const r = bpfkit(['--json', 'object', 'show', OBJ]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['object', 'endianness', 'license', 'btf', 'programs', 'subprograms', 'maps', 'externs', 'relocations']);
    expect(j.object).toBe('list_map.bpf.o');
    expect(j.license).toBe('GPL');
    for (const p of j.programs) {
      expect(p).toMatchObject({ name: expect.any(String), section: expect.any(String), type: expect.any(String), insns: expect.any(Number), autoload: expect.any(Boolean) });
    }
    expect(j.maps.map((m: { name: string }) => m.name)).toContain('lists');
    for (const r of j.relocations) expect(['map', 'data', 'subprog_addr', 'call', 'extern_call', 'extern_var']).toContain(r.kind);
  });
});

describe('bpfkit disasm', () => {
  test('human output with source lines', () => {
    const r = bpfkit(['disasm', RBTREE, '--linum']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('disasm.rbtree.linum.txt', r.stdout));
  });

  test('--prog selects programs; --json has indices, text and lines', () => {
    const all = JSON.parse(bpfkit(['--json', 'disasm', RBTREE]).stdout);
    const name = all.programs[0].name;
    const r = bpfkit(['--json', 'disasm', RBTREE, '--prog', name]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.programs).toHaveLength(1);
    expect(j.programs[0].name).toBe(name);
    const insns = j.programs[0].insns;
    expect(insns[0]).toMatchObject({ idx: 0, text: expect.stringMatching(/^\([0-9a-f]{2}\) /) });
    expect(insns.some((i: { line: unknown }) => i.line !== null)).toBe(true);
    // indices count slots: an ld_imm64 takes two
    for (let k = 1; k < insns.length; k++) expect(insns[k].idx - insns[k - 1].idx).toBe(insns[k - 1].text.startsWith('(18)') ? 2 : 1);
  });

  test('unknown program is a usage error naming the programs', () => {
    expectOneLineError(bpfkit(['disasm', RBTREE, '--prog', 'nope']), /no program named 'nope' \(programs: /);
  });
});

describe('bpfkit btf dump', () => {
  test.each(['raw', 'c'] as const)('--format %s is byte-identical to bpftool for every fixture', (format) => {
    const index = JSON.parse(readFileSync(join(ROOT, 'fixtures/index.json'), 'utf8')) as { object: string; name: string }[];
    expect(index.length).toBeGreaterThan(5);
    for (const f of index) {
      const r = bpfkit(['btf', 'dump', f.object, '--format', format]);
      expect(r.status, f.object).toBe(0);
      const want = readFileSync(join(ROOT, `fixtures/golden/${f.name}.btf.${format}.txt`), 'utf8');
      expect(r.stdout === want, `${f.object} --format ${format}`).toBe(true);
    }
  }, 60_000); // one process per fixture (20+): seconds on a loaded machine

  test('json equals bpftool -j', () => {
    const r = bpfkit(['btf', 'dump', OBJ, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'fixtures/golden/list_map.btf.json'), 'utf8')));
    expect(JSON.parse(bpfkit(['--json', 'btf', 'dump', OBJ]).stdout)).toEqual(JSON.parse(r.stdout));
  });

  test('a raw BTF blob is read too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfkit-'));
    const obj = readFileSync(join(ROOT, OBJ));
    // the .BTF section of the object, cut out with the object's own reader
    const show = JSON.parse(bpfkit(['btf', 'dump', OBJ, '--format', 'json']).stdout);
    const blob = join(dir, 'x.btf');
    const start = obj.indexOf(Buffer.from([0x9f, 0xeb, 0x01, 0x00]));
    const hdr = obj.subarray(start, start + 24);
    const total = 24 + hdr.readUInt32LE(12) + hdr.readUInt32LE(20);
    writeFileSync(blob, obj.subarray(start, start + total));
    const r = bpfkit(['--json', 'btf', 'dump', blob]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(show);
  });

  test('bad --format is a usage error', () => {
    expectOneLineError(bpfkit(['btf', 'dump', OBJ, '--format', 'xml']), /--format/);
  });
});

describe('bad input and usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-bad-'));
  const write = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const obj = new Uint8Array(readFileSync(join(ROOT, OBJ)));

  test('missing file', () => expectOneLineError(bpfkit(['object', 'show', join(dir, 'nope.o')]), /nope\.o: no such file/));
  test('a directory', () => expectOneLineError(bpfkit(['disasm', dir]), /is a directory/));
  test('not an ELF', () => expectOneLineError(bpfkit(['object', 'show', write('text.o', 'hello world\n')]), /text\.o: not an ELF object/));
  test('garbage for btf dump', () => expectOneLineError(bpfkit(['btf', 'dump', write('g.bin', 'garbage')]), /neither an ELF object nor a BTF blob/));
  test('truncated ELF', () => expectOneLineError(bpfkit(['object', 'show', write('t.o', obj.subarray(0, 100))]), /t\.o: .+/));
  test('wrong machine', () => {
    const b = obj.slice();
    b[18] = 62; // EM_X86_64
    expectOneLineError(bpfkit(['object', 'show', write('x86.o', b)]), /x86\.o: .*(machine|EM_)/i);
  });
  test('ELF32', () => {
    const b = obj.slice();
    b[4] = 1;
    expectOneLineError(bpfkit(['disasm', write('e32.o', b)]), /e32\.o: .*(ELF32|class|64)/i);
  });
  test('unknown verb', () => expectOneLineError(bpfkit(['frobnicate']), /unknown command 'frobnicate'/));
  test('unknown flag', () => expectOneLineError(bpfkit(['object', 'show', OBJ, '--bogus']), /unknown option '--bogus'/));
  test('missing argument', () => expectOneLineError(bpfkit(['disasm']), /missing required argument 'FILE'/));
});

describe('help', () => {
  test.each([[[]], [['--help']], [['btf', 'dump', '--help']], [['object', 'show', '--help']], [['disasm', '--help']], [['verify', '--help']]])('%j exits 0 with usage and an example', (args) => {
    const r = bpfkit(args);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: bpfkit/);
    expect(r.stdout).toMatch(/Example/);
  });
});

describe('bpfkit verify', () => {
  test('an accepted object: exit 0, one line per program', () => {
    const r = bpfkit(['verify', 'fixtures/obj/plain.bpf.o']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(6);
    for (const l of lines) expect(l).toMatch(/^\S+ \(\??[a-z_/]+\): accepted, \d+ insns processed, \d+ µs$/);
    expect(r.stdout).toContain('tc_optional (?tc): accepted');
  });

  test('a rejected program: exit 1, the Linux line and the source line, then the explanation and related lines', () => {
    const r = bpfkit(['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'obj_new_leak', '--prog', 'helper_call_under_lock']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/obj_new_leak \(\??tc\): rejected/);
    // the Linux line, where, the related lines, a source excerpt with them marked, then why
    expect(r.stdout).toMatch(/\n {2}Unreleased reference id=\d+ alloc_insn=\d+\n {2}at insn \d+: .* \(\.\/fixtures\/src\/graph_list_fail\.bpf\.c:\d+\)\n {2}acquired: insn \d+: .*bpf_obj_new.*\n(?: {4}.*\n)*? {4}\* \d+ \| .*bpf_obj_new.*← acquired\n(?: {4}.*\n)*? {4}> \d+ \| .*\n(?: {4}.*\n)* {2}why: .+\n/);
    expect(r.stdout).toMatch(/\n {2}function calls are not allowed while holding a lock\n.*\n {2}lock taken: insn \d+: .*bpf_spin_lock.*\n(?: {4}.*\n)*? {4}> \d+ \| .*bpf_ktime_get_ns.*\n(?: {4}.*\n)* {2}why: .+\n/);
    expect(r.stdout.replace(/\d+ µs/g, 'N µs')).toBe(golden('verify.graph_list_fail.txt', r.stdout.replace(/\d+ µs/g, 'N µs')));
  });

  test('--json has the documented shape', () => {
    const r = bpfkit(['--json', 'verify', 'fixtures/obj/subprogs.bpf.o']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.object).toBe('subprogs.bpf.o');
    expect(j.programs.length).toBe(3);
    for (const p of j.programs) {
      expect(Object.keys(p)).toEqual(['name', 'section', 'accepted', 'error', 'stats']);
      expect(Object.keys(p.stats)).toEqual(['insnsProcessed', 'totalStates', 'peakStates', 'timeUs']);
      expect(p.error).toBeNull();
    }
    const rej = JSON.parse(bpfkit(['--json', 'verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'obj_new_leak']).stdout);
    const e = rej.programs[0].error;
    expect(e).toMatchObject({ insn: expect.any(Number), message: expect.any(String), line: { file: './fixtures/src/graph_list_fail.bpf.c', line: expect.any(Number) } });
    expect(e.explanation).toMatch(/still owned/);
    expect(e.related).toEqual([{ insn: Number(/alloc_insn=(\d+)/.exec(e.message)![1]), line: expect.objectContaining({ file: './fixtures/src/graph_list_fail.bpf.c' }), role: 'acquired' }]);
  }, 60_000);

  test('--log-level 1 prints the verifier log of the failing path and the stats line', () => {
    const r = bpfkit(['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'obj_new_leak', '--log-level', '1']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ {2}0: R1=ctx\(\) R10=fp0\n/);
    expect(r.stdout).toMatch(/ {2}processed \d+ insns \(limit 1000000\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read 0\n/);
  });

  test('bad --log-level and unknown program are usage errors', () => {
    expectOneLineError(bpfkit(['verify', 'fixtures/obj/plain.bpf.o', '--log-level', '7']), /--log-level/);
    expectOneLineError(bpfkit(['verify', 'fixtures/obj/plain.bpf.o', '--prog', 'nope']), /no program named 'nope'/);
    expectOneLineError(bpfkit(['verify', 'fixtures/obj/plain.bpf.o', '--max-state-mb', '0']), /--max-state-mb must be a whole number of MiB between 1 and 65536, got '0'/);
  });

  test('--max-state-mb: a program whose kept states pass the cap is rejected with ENOMEM, not a crashed heap', () => {
    // arith (750,007 processed insns) keeps ~90 states with long histories: more than 1 MiB
    const r = bpfkit(['--json', 'verify', 'fixtures/obj/arith.bpf.o', '--max-state-mb', '1']);
    expect(r.status).toBe(1);
    const e = JSON.parse(r.stdout).programs[0].error;
    expect(e.message).toMatch(/^explored states need more than the verifier's state memory cap of 1\.0 MiB \(\d+ kept states, \d+ pending branches, about 1\.0 MiB\)$/);
    // graph_bench's rb_fill_prog keeps 16 states: 1 MiB is plenty
    const ok = bpfkit(['--json', 'verify', 'fixtures/obj/graph_bench.bpf.o', '--prog', 'rb_fill_prog', '--max-state-mb', '1']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).programs[0].accepted).toBe(true);
  }, 60_000);
});
