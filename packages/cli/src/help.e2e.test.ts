/**
 * The CLI contract across verbs (design/cli.md): `--help` with examples on every verb — and the
 * examples run —, global `--json` / `--no-color` / `NO_COLOR` honoured by every verb, exit codes
 * 0 / 1 / 2, and errors as one line that names the file.
 */
import { describe, expect, test } from 'vitest';
import { bpfkit } from './testing/spawn.js';

const VERBS: string[][] = [[], ['btf'], ['btf', 'dump'], ['object'], ['object', 'show'], ['disasm'], ['verify'], ['run'], ['map'], ['map', 'dump'], ['graph'], ['bench'], ['demo']];

/** `bpfkit …` lines of an Examples section (continued lines joined). */
function examplesOf(help: string): string[] {
  const at = help.search(/^Examples?( \(from the repository root\))?:$/m);
  if (at < 0) return [];
  const lines = help.slice(at).split('\n').slice(1);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (!/^ {2}bpfkit /.test(l)) {
      if (l.trim() === '' || /^\S/.test(l)) break;
      continue;
    }
    while (l.endsWith('\\') && i + 1 < lines.length) l = l.slice(0, -1).trimEnd() + ' ' + lines[++i]!.trim();
    out.push(l.trim());
  }
  return out;
}

describe('--help', () => {
  const helps = new Map<string, string>();
  test.each(VERBS.map((v) => [v.join(' ') || '(top level)', v]))('%s --help: usage and an example', (_name, verb) => {
    const r = bpfkit([...(verb as string[]), '--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: bpfkit/);
    const ex = examplesOf(r.stdout);
    expect(ex.length).toBeGreaterThan(0);
    // an example of a verb uses that verb
    if ((verb as string[]).length) for (const e of ex) expect(e.replace(/^bpfkit (--json )?/, '')).toMatch(new RegExp(`^${(verb as string[])[0]}\\b`));
    helps.set((verb as string[]).join(' '), r.stdout);
  });

  test('the top level lists every verb', () => {
    const r = bpfkit(['--help']);
    for (const v of ['btf', 'object', 'disasm', 'verify', 'run', 'map', 'graph', 'bench', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${v} `, 'm'));
  });

  test('the examples work as printed (from the repository root)', () => {
    const all = new Set<string>();
    for (const v of VERBS) for (const e of examplesOf(bpfkit([...v, '--help']).stdout)) all.add(e);
    let ran = 0;
    for (const e of all) {
      // machine-specific input or a shell redirect: not run here
      if (e.includes('/sys/') || e.includes('>') || e.includes('VERB')) continue;
      const [cmd, pipe] = e.split(' | ');
      const args = cmd!.split(/\s+/).slice(1);
      const r = bpfkit(args);
      const rejected = args.includes('verify') && args.some((a) => a.includes('graph_list_fail'));
      expect({ e, status: r.status, stderr: r.stderr }).toEqual({ e, status: rejected ? 1 : 0, stderr: '' });
      if (pipe) expect(() => JSON.parse(r.stdout)).not.toThrow();
      ran++;
    }
    expect(ran).toBeGreaterThanOrEqual(15);
  }, 180_000);
});

/** One invocation per verb that succeeds (or rejects: exit 1) on a fixture. */
const CASES: { verb: string; args: string[]; status: number }[] = [
  { verb: 'btf dump', args: ['btf', 'dump', 'fixtures/obj/list_map.bpf.o'], status: 0 },
  { verb: 'object show', args: ['object', 'show', 'fixtures/obj/list_map.bpf.o'], status: 0 },
  { verb: 'disasm', args: ['disasm', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass'], status: 0 },
  { verb: 'verify', args: ['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'list_obj_head_no_lock'], status: 1 },
  { verb: 'run', args: ['run', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass'], status: 0 },
  { verb: 'map dump', args: ['map', 'dump', 'fixtures/obj/plain.bpf.o', '--after', 'tc_count'], status: 0 },
  { verb: 'graph', args: ['graph', 'fixtures/obj/rbtree.bpf.o', '--after', 'rbtree_add_three', '--global', '.data.R'], status: 0 },
  { verb: 'bench', args: ['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--time', '20'], status: 0 },
  { verb: 'demo', args: ['demo', '--events', '500'], status: 0 },
];

describe('global options and exit codes, every verb', { timeout: 30_000 }, () => {
  test.each(CASES.map((c) => [c.verb, c]))('%s: --json before or after the verb is one JSON document', (_v, c) => {
    for (const args of [['--json', ...c.args], [...c.args, '--json']]) {
      const r = bpfkit(args);
      expect(r.status).toBe(c.status);
      expect(r.stdout.trimStart().startsWith('{')).toBe(true);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });

  test.each(CASES.map((c) => [c.verb, c]))('%s: no colour with --no-color or NO_COLOR, even when forced', (_v, c) => {
    const forced = bpfkit(c.args, { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(forced.status).toBe(c.status);
    for (const r of [bpfkit(['--no-color', ...c.args], { FORCE_COLOR: '1', NO_COLOR: '' }), bpfkit(c.args, { FORCE_COLOR: '1', NO_COLOR: '1' })]) {
      expect(r.status).toBe(c.status);
      expect(r.stdout).not.toMatch(/\x1b\[/);
      expect(r.stderr).not.toMatch(/\x1b\[/);
    }
  });

  test('verbs that colour do so only when asked (FORCE_COLOR stands for a terminal)', () => {
    for (const c of CASES.filter((x) => ['verify', 'graph', 'demo', 'bench', 'object show'].includes(x.verb))) {
      expect({ verb: c.verb, coloured: /\x1b\[/.test(bpfkit(c.args, { FORCE_COLOR: '1', NO_COLOR: '' }).stdout) }).toEqual({ verb: c.verb, coloured: true });
      expect(bpfkit(c.args).stdout).not.toMatch(/\x1b\[/);
    }
  }, 60_000);

  const oneLine = (r: { status: number | null; stderr: string }, file?: string): void => {
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bpfkit: /);
    if (file) expect(lines[0]).toContain(file);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  test.each(CASES.filter((c) => c.verb !== 'demo').map((c) => [c.verb, c]))('%s: a missing file and a file that is not an object are exit 2, one line naming the file', (_v, c) => {
    const file = c.args.find((a) => a.startsWith('fixtures/'))!;
    oneLine(bpfkit(c.args.map((a) => (a === file ? 'fixtures/obj/missing.bpf.o' : a))), 'fixtures/obj/missing.bpf.o');
    if (c.verb !== 'btf dump') oneLine(bpfkit(c.args.map((a) => (a === file ? 'README.md' : a))), 'README.md');
  });

  test('usage errors: unknown verb, unknown option, missing argument, bad choice — exit 2, one line', () => {
    oneLine(bpfkit(['bogus']));
    oneLine(bpfkit(['run', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--bogus']));
    oneLine(bpfkit(['graph']));
    oneLine(bpfkit(['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'xdp_pass', '--engine', 'jit']));
    oneLine(bpfkit(['bench', 'fixtures/obj/plain.bpf.o', '--prog', 'nope']), 'plain.bpf.o');
    oneLine(bpfkit(['run', 'fixtures/obj/plain.bpf.o', '--prog', 'nope']), 'plain.bpf.o');
  }, 30_000);
});
