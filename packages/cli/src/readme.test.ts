/** The README's examples run: the `ts` block executed (through `main`, in-process), the `sh` commands spawned. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { BIN, ROOT } from './testing/spawn.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('packages/cli/README.md', () => {
  test('the ts example prints what its comments say', async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!.split("'fixtures/").join(`'${ROOT}fixtures/`);
    const file = new URL(`./readme-example.tmp-${process.pid}.ts`, import.meta.url);
    writeFileSync(file, code + '\nexport {};\n');
    const logs: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a));
    try {
      await import(/* @vite-ignore */ file.href);
    } finally {
      spy.mockRestore();
      rmSync(file, { force: true });
    }
    expect(logs).toEqual([[0, ['list_map_push=0', 'list_map_pop=12']], [1], ['  bpf_spin_lock at off=0 must be held for bpf_list_head']]);
  }, 60_000);

  const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter((l) => l.trim());
  test.each(commands.map((c) => [c]))('%s', (line) => {
    expect(line).toMatch(/^npx bpfkit /);
    const r = spawnSync(process.execPath, [BIN, ...line.replace(/^npx bpfkit /, '').split(/\s+/)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout.length).toBeGreaterThan(0);
  }, 60_000);

  test('the root README: its two set-up commands are the main job and every test', () => {
    const root = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const setup = /## Set up\n\n```sh\n([\s\S]*?)```/.exec(root)![1]!.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, ''));
    expect(setup).toEqual(['npm ci && npm run build && npx bpfkit demo', 'npm ci && npm test']);
    // `npm test` builds (the bundle included) before it runs vitest; the demo test spawns what `npx bpfkit` runs
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['test']).toMatch(/run-many -t build && vitest run/);
    expect(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.build).toBe('tsc -b && node scripts/bundle.mjs');
  });
});
