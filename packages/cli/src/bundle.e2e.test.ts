/**
 * The esbuild bundle (dist-bundle/, made by scripts/bundle.mjs in `npm run build`) is what the
 * installed `bpfkit` runs: it is self-contained (copied away from node_modules it still loads every
 * verb and finds the WebAssembly core beside its chunks) and keeps verbs in lazy chunks.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ROOT } from './testing/spawn.js';

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
