/**
 * docs/guide.md is executable: every command of its `sh` blocks runs (from the repository root,
 * `npx bpfkit` being the built command) with the exit status it states (`# exit N`, else 0); its
 * vitest example is src/guide-example.test.ts verbatim; its pictures are what the commands print.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BIN, ROOT, bpfkit } from './testing/spawn.js';

const guide = readFileSync(new URL('../../../docs/guide.md', import.meta.url), 'utf8');
const blocks = (lang: string): string[] => [...guide.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

/** Set-up commands are not re-run by a test (they rebuild node_modules and every package). */
const SETUP = ['npm ci && npm run build'];

const commands = blocks('sh')
  .flatMap((b) => b.split('\n'))
  .map((l) => l.trim())
  .filter((l) => l !== '');

describe('docs/guide.md', () => {
  test('has the sections the issue asks for', () => {
    for (const h of ['Install', 'Verify', 'Run', 'Test a program in vitest', 'Read an explanation', 'Draw a tree', 'Bench', 'The demo']) expect(guide).toMatch(new RegExp(`^## ${h}$`, 'm'));
  });

  test('the only commands not run here are the set-up ones', () => {
    expect(commands.filter((c) => !c.startsWith('npx ')).map((c) => c.replace(/\s+#.*$/, ''))).toEqual(SETUP);
    expect(commands.length).toBeGreaterThan(15);
  });

  test.each(commands.filter((c) => c.startsWith('npx ')).map((c) => [c]))('%s', (line) => {
    const m = /\s+#\s*exit (\d+)\s*$/.exec(line);
    const expected = m ? Number(m[1]) : 0;
    const cmd = (m ? line.slice(0, m.index) : line).replace(/^npx bpfkit /, `"${process.execPath}" "${BIN}" `);
    const r = spawnSync('sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' }, maxBuffer: 64 << 20 });
    expect({ status: r.status, stderr: expected === 0 && !cmd.includes('vitest') ? r.stderr : '' }).toEqual({ status: expected, stderr: '' });
    if (/ --json /.test(line)) expect(() => JSON.parse(r.stdout)).not.toThrow();
  }, 120_000);

  test('the vitest example is src/guide-example.test.ts verbatim', () => {
    expect(blocks('ts')).toEqual([readFileSync(new URL('./guide-example.test.ts', import.meta.url), 'utf8')]);
  });

  test('the tree picture is what bpfkit graph prints', () => {
    const picture = blocks('text').find((b) => b.startsWith('global .data.R'));
    expect(picture).toBeDefined();
    expect(bpfkit(['graph', 'fixtures/obj/rbtree.bpf.o', '--after', 'rbtree_add_three', '--global', '.data.R']).stdout).toBe(picture);
  });

  test('the explanation shown is what bpfkit verify prints (but the time)', () => {
    const shown = blocks('text').find((b) => b.startsWith('list_obj_head_no_lock'));
    const r = bpfkit(['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'list_obj_head_no_lock']);
    const noTime = (s: string) => s.replace(/, \d+ µs/, ', N µs');
    expect(noTime(r.stdout)).toBe(noTime(shown!));
  });
});
