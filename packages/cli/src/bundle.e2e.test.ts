/**
 * The esbuild bundle (dist-bundle/, made by scripts/bundle.mjs in `npm run build`) is what the
 * installed `bpfkit` runs: it is self-contained (copied away from node_modules it still loads every
 * verb and finds the WebAssembly core beside its chunks) and keeps verbs in lazy chunks.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bpfkit, ROOT } from './testing/spawn.js';

const BUNDLE = fileURLToPath(new URL('../dist-bundle/', import.meta.url));

describe('dist-bundle', { timeout: 60_000 }, () => {
  test('exists after the build, with the core and lazy verb chunks', () => {
    expect(existsSync(join(BUNDLE, 'bpfkit.js'))).toBe(true);
    expect(existsSync(join(BUNDLE, 'plugin-bin.js'))).toBe(true);
    const files = readdirSync(BUNDLE);
    expect(files).toContain('core.wasm');
    for (const verb of ['verify', 'run', 'graph', 'bench', 'demo', 'disasm', 'object-show', 'btf-dump', 'map-dump']) {
      expect(files.some((f) => f.startsWith(`${verb}-`) && f.endsWith('.js'))).toBe(true);
    }
    // the entry imports no verb statically
    const entry = readFileSync(join(BUNDLE, 'bpfkit.js'), 'utf8');
    expect(entry).not.toMatch(/^import .*(verify|graph|bench|demo)-/m);
  });

  test('verify fast path: one CommonJS file whose V8 code cache this Node accepts', () => {
    for (const f of ['fast.cjs', 'verify-fast.cjs', 'verify-fast.cjs.cache']) expect(existsSync(join(BUNDLE, f))).toBe(true);
    const cjs = join(BUNDLE, 'verify-fast.cjs');
    const probe = `import('${pathToFileURL(fileURLToPath(new URL('../dist/bin/code-cache.js', import.meta.url))).href}').then(({ loadCjs }) => console.log(loadCjs(${JSON.stringify(cjs)}, ${JSON.stringify(cjs + '.cache')}).cacheUsed))`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
  });

  test('verify fast path prints exactly what the full command line prints (text, JSON, colour, errors)', () => {
    const cases: [string[], Record<string, string>][] = [
      [['verify', 'fixtures/obj/plain.bpf.o'], {}],
      [['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'obj_new_leak', '--prog=list_obj_head_no_lock'], {}],
      [['--json', 'verify', 'fixtures/obj/graph_rbtree_fail.bpf.o'], {}],
      [['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--prog', 'obj_new_leak'], { FORCE_COLOR: '1', NO_COLOR: '' }],
      [['verify', 'fixtures/obj/graph_list_fail.bpf.o', '--no-color', '--prog', 'obj_new_leak'], { FORCE_COLOR: '1', NO_COLOR: '' }],
      [['verify', 'fixtures/obj/nope.bpf.o'], {}],
      [['verify', 'fixtures/obj/plain.bpf.o', '--prog', 'nope'], {}],
    ];
    // verification times differ from run to run
    const norm = (s: string): string => s.replace(/\d+ µs/g, 'N µs').replace(/"timeUs": \d+/g, '"timeUs": N');
    for (const [args, env] of cases) {
      const fast = bpfkit(args, env);
      const full = bpfkit([...args, '--log-level', '0'], env);
      expect({ args, status: fast.status, stdout: norm(fast.stdout), stderr: fast.stderr }).toEqual({ args, status: full.status, stdout: norm(full.stdout), stderr: full.stderr });
    }
  });

  test('self-contained: a copy outside the repository runs both engines and the verifier', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfkit-bundle-'));
    try {
      cpSync(BUNDLE, dir, { recursive: true });
      const run = (args: string[]) => spawnSync(process.execPath, [join(dir, 'bpfkit.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const obj = join(ROOT, 'fixtures/obj/list_map.bpf.o');
      for (const engine of ['wasm', 'ts']) {
        const r = run(['--json', 'run', obj, '--prog', 'list_map_push', '--prog', 'list_map_pop', '--engine', engine]);
        expect(r.stderr).toBe('');
        expect((JSON.parse(r.stdout) as { runs: { retval: number }[] }).runs.map((x) => x.retval)).toEqual([0, 12]);
      }
      const v = run(['verify', join(ROOT, 'fixtures/obj/plain.bpf.o')]);
      expect(v.status).toBe(0);
      expect(v.stdout).toMatch(/^xdp_pass \(xdp\): accepted/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
