import { formatProgram } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import {
  CaseFileError,
  caseHash,
  extractError,
  loadAllCases,
  loadConformanceRecording,
  loadRecording,
  parseCases,
  type VerifierCase,
} from './cases.js';

const one = (text: string): VerifierCase => {
  const cs = parseCases(text, 't.txt');
  expect(cs).toHaveLength(1);
  return cs[0];
};

const err = (text: string): CaseFileError => {
  try {
    parseCases(text, 't.txt');
  } catch (e) {
    expect(e).toBeInstanceOf(CaseFileError);
    return e as CaseFileError;
  }
  throw new Error('no error');
};

describe('parseCases', () => {
  it('parses fields, maps and code', () => {
    const c = one(
      [
        '# comment',
        'case: lookup',
        'type: tc',
        'attach: 5',
        'flags: strict_alignment,any_alignment',
        'license: MIT',
        'map: arr array key=4 value=8 max=2 flags=rdonly_prog init=0102030405060708 frozen',
        'map: h hash key=8 value=16 max=10 flags=no_prealloc',
        'expect: reject invalid access',
        'code:',
        '    r1 = map[idx:1]',
        '  L:',
        '    goto L  // loops',
        '',
      ].join('\n'),
    );
    expect(c).toMatchObject({
      name: 'lookup', file: 't.txt', line: 2, progType: 3, progTypeName: 'tc', attachType: 5, progFlags: 3, license: 'MIT',
      expect: { accepted: false, error: 'invalid access' },
    });
    expect(c.maps).toEqual([
      { name: 'arr', type: 2, typeName: 'array', keySize: 4, valueSize: 8, maxEntries: 2, flags: 128, init: '0102030405060708', frozen: true },
      { name: 'h', type: 1, typeName: 'hash', keySize: 8, valueSize: 16, maxEntries: 10, flags: 1, frozen: false },
    ]);
    expect(c.code).toBe('  r1 = map[idx:1]\nL:\n  goto L  // loops');
    expect(formatProgram(c.insns).trimEnd()).toBe('0: (18) r1 = map[idx:1]\n2: (05) goto pc-1');
    expect(c.bytes).toHaveLength(24);
  });

  it('splits several cases and defaults license, flags, attach', () => {
    const cs = parseCases('case: a\ntype: xdp\ncode: r0 = 0\n  exit\n\ncase: b\ntype: socket\nexpect: accept\ncode:\n r0 = 1\n exit\n', 'f');
    expect(cs.map((c) => [c.name, c.progType, c.license, c.progFlags, c.attachType, c.line, c.insns.length])).toEqual([
      ['a', 6, 'GPL', 0, undefined, 1, 2],
      ['b', 1, 'GPL', 0, undefined, 6, 2],
    ]);
    expect(cs[1].expect).toEqual({ accepted: true });
  });

  it('replaces .raw lines with the exact bytes, keeping labels around them', () => {
    const c = one('case: r\ntype: xdp\ncode:\n  r0 = 0\n  if r0 == 0 goto L\n  .raw 8700000005000000\n  L: .raw 18010000000000000100000000000000\n  exit\n');
    expect(c.insns.map((i) => [i.code, i.dst, i.src, i.off, i.imm])).toEqual([
      [0xb7, 0, 0, 0, 0], [0x15, 0, 0, 1, 0], [0x87, 0, 0, 0, 5], [0x18, 1, 0, 0, 0], [0x95, 0, 0, 0, 0],
    ]);
    expect(c.bytes.length).toBe(6 * 8);
  });

  it('reports malformed files with file:line', () => {
    expect(err('type: xdp\n')).toMatchObject({ code: 'SYNTAX', line: 1 });
    expect(err('case: a\ntype: xdp\ntype: tc\ncode: exit\n')).toMatchObject({ code: 'DUPLICATE', line: 3 });
    expect(err('case: a\ntype: bogus\ncode: exit\n')).toMatchObject({ code: 'BAD_VALUE', line: 2 });
    expect(err('case: a\ntype: xdp\nfoo: 1\n')).toMatchObject({ code: 'UNKNOWN_FIELD', line: 3 });
    expect(err('case: a\ncode: exit\n')).toMatchObject({ code: 'MISSING', line: 1 });
    expect(err('case: a\ntype: xdp\n')).toMatchObject({ code: 'MISSING', line: 1 });
    expect(err('case: a\ntype: xdp\ncode:\n  r0 = 0\n  r0 += bogus\n  exit\n')).toMatchObject({ code: 'ASSEMBLY', line: 5 });
    expect(err('case: a\ntype: xdp\ncode:\n  .raw 87000000\n')).toMatchObject({ code: 'ASSEMBLY', line: 4 });
    expect(err('case: a\ntype: xdp\nmap: m array key=4 value=2 max=1 init=01\ncode: exit\n')).toMatchObject({ code: 'BAD_VALUE', line: 3 });
    expect(err('case: a\ntype: xdp\nmap: m array key=4 value=2 max=1 frozen\ncode: exit\n')).toMatchObject({ code: 'BAD_VALUE', line: 3 });
    expect(err('case: a\ntype: xdp\nmap: m array key=4 size=2\ncode: exit\n')).toMatchObject({ code: 'UNKNOWN_FIELD', line: 3 });
    expect(err('case: a\ntype: xdp\nexpect: maybe\ncode: exit\n')).toMatchObject({ code: 'BAD_VALUE', line: 3 });
    expect(err('case: a\ntype: xdp\ncode: exit\nnot a field\n')).toMatchObject({ code: 'SYNTAX', line: 4 });
  });
});

describe('extractError', () => {
  it('takes the lines after the last instruction line, before the stats', () => {
    const log = [
      '0: R1=ctx() R10=fp0',
      '0: (b7) r6 = 31                       ; R6=31',
      '1: (71) r0 = *(u8 *)(r0 +0)',
      'invalid access to map value, value_size=16 off=31 size=1',
      'R6 max value is outside of the allowed memory range',
      'verification time 12 usec',
      'stack depth 0',
      'processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0',
      '',
    ].join('\n');
    expect(extractError(log)).toEqual({
      errorLines: ['invalid access to map value, value_size=16 off=31 size=1', 'R6 max value is outside of the allowed memory range'],
      insn: 1,
    });
  });

  it('uses the whole log for program-level errors and skips trace lines', () => {
    expect(extractError('unreachable insn 1\nprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n'))
      .toEqual({ errorLines: ['unreachable insn 1'], insn: null });
    expect(extractError('3: (85) call pc+2\ncaller:\n R10=fp0\ncallee:\n frame1: R10=fp0\n6: frame1: R10=fp0\nboom\n').errorLines).toEqual(['boom']);
  });
});

describe('corpus', () => {
  const cases = loadAllCases();
  const rec = loadRecording();

  it('has at least 300 uniquely named cases that all assemble', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(c.insns.length, c.name).toBeGreaterThan(0);
  });

  it('has a recording with a matching hash for every case, and no stale entries', () => {
    expect(rec.kernel).toMatch(/^6\.18/);
    for (const c of cases) {
      const r = rec.cases[c.name];
      expect(r, `${c.file}:${c.line} ${c.name} is not recorded`).toBeDefined();
      expect(r.hash, `${c.file}:${c.line} ${c.name} changed since recording`).toBe(caseHash(c));
    }
    expect(Object.keys(rec.cases).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  it('agrees with every expect: line and has consistent verdict fields', () => {
    for (const c of cases) {
      const r = rec.cases[c.name];
      if (r.accepted) {
        expect(r.firstLine, c.name).toBeNull();
        expect(r.errno, c.name).toBe('');
      } else {
        expect(r.errno, c.name).toMatch(/^E[A-Z0-9]+$/);
        expect(r.firstLine, c.name).toBe(r.errorLines[0] ?? null);
      }
      if (c.expect) {
        expect(r.accepted, `${c.name}: ${r.firstLine}`).toBe(c.expect.accepted);
        if (c.expect.error) expect(r.firstLine, c.name).toContain(c.expect.error);
      }
    }
  });

  it('is roughly balanced between accepted and rejected programs', () => {
    const acc = cases.filter((c) => rec.cases[c.name].accepted).length;
    expect(acc).toBeGreaterThan(cases.length * 0.3);
    expect(acc).toBeLessThan(cases.length * 0.7);
  });

  it('has a conformance recording for all 313 programs', () => {
    const conf = loadConformanceRecording();
    const tests = Object.values(conf.tests);
    expect(tests).toHaveLength(313);
    for (const t of tests) expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
