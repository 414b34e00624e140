/**
 * The 313 bpf_conformance programs through the plugin protocol, on both engines (checked mode):
 * `pluginMain` in-process for all of them (spawning 626 processes would take minutes), and the
 * built `bpfkit-conformance-plugin` executable spawned for a handful, as the upstream runner does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parsePluginArgs, pluginMain } from './plugin.js';

const SHARED = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const PLUGIN_BIN = fileURLToPath(new URL('../bin/bpfkit-conformance-plugin.js', import.meta.url));
const PLUGIN_DIST = fileURLToPath(new URL('../dist/plugin-bin.js', import.meta.url));

interface Case {
  test: string;
  mem: string;
  expected: string;
  bytecode: string;
}

const cases: Case[] = readFileSync(`${SHARED}assembled.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Case);

/** The runner's argument and stdin forms: space-separated two-digit hex bytes. */
const spaced = (hex: string): string => (hex.match(/../g) ?? []).join(' ');
const expectedR0 = (s: string): bigint => BigInt.asUintN(64, s.trim().startsWith('-') ? -BigInt(s.trim().slice(1)) : BigInt(s.trim()));

async function runInProcess(c: Case, engine: 'wasm' | 'ts'): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const argv = [...(c.mem ? [spaced(c.mem)] : []), '--engine', engine];
  const code = await pluginMain(argv, spaced(c.bytecode) + '\n', { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('bpfkit-conformance-plugin', () => {
  test('assembled.jsonl covers every .data file', () => {
    const files = readdirSync(`${SHARED}bpf_conformance`).filter((f) => f.endsWith('.data')).sort();
    expect(files).toHaveLength(313);
    expect(cases.map((c) => c.test).sort()).toEqual(files);
  });

  for (const engine of ['wasm', 'ts'] as const) {
    test(`all 313 programs on the ${engine} engine (in-process)`, async () => {
      const failures: string[] = [];
      for (const c of cases) {
        const r = await runInProcess(c, engine);
        if (r.code !== 0) failures.push(`${c.test}: exit ${r.code}: ${r.err.trim()}`);
        else if (BigInt(r.out.trim()) !== expectedR0(c.expected)) failures.push(`${c.test}: r0 ${r.out.trim()}, expected ${c.expected}`);
      }
      expect(failures).toEqual([]);
    }, 60_000);
  }

  test('arguments: memory, engine, bad input', async () => {
    expect(parsePluginArgs(['01 02', '--engine', 'ts'])).toEqual({ mem: Uint8Array.of(1, 2), engine: 'ts' });
    expect(parsePluginArgs([])).toEqual({ engine: 'wasm' });
    expect(() => parsePluginArgs(['--engine', 'jit'])).toThrow(/wasm or ts/);
    expect(() => parsePluginArgs(['zz'])).toThrow(/not hex/);
    let err = '';
    const io = { stdout: () => {}, stderr: (s: string) => (err += s) };
    expect(await pluginMain([], 'b7 00 00', io)).toBe(1);
    expect(err).toMatch(/8-byte|hex/);
    err = '';
    // ldxdw r0, [r1+0] with no memory: a bad access, reported, never a crash
    expect(await pluginMain([], '79 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00', io)).toBe(1);
    expect(err).toMatch(/bad memory access at insn 0/);
  });

  test('the executable, spawned, as the upstream runner drives it', () => {
    if (!existsSync(PLUGIN_DIST)) throw new Error(`${PLUGIN_DIST} is missing: run npm run build first (npm test does)`);
    const pick = ['add.data', 'mem-len.data', 'call_local.data', 'lock_add.data', 'ldxb.data'].map((n) => cases.find((c) => c.test === n)!);
    for (const engine of ['wasm', 'ts']) {
      for (const c of pick) {
        const r = spawnSync(process.execPath, [PLUGIN_BIN, ...(c.mem ? [spaced(c.mem)] : []), '--engine', engine], { input: spaced(c.bytecode) + '\n', encoding: 'utf8' });
        expect(r.stderr, `${c.test} ${engine}`).toBe('');
        expect(r.status).toBe(0);
        expect(BigInt(r.stdout.trim())).toBe(expectedR0(c.expected));
      }
    }
    const bad = spawnSync(process.execPath, [PLUGIN_BIN], { input: 'nothex\n', encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);
});
