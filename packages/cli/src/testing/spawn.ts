/** Runs the built `bpfkit` binary as a user would, capturing stdout, stderr and the exit code. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The installed command (runs dist-bundle/ when it is fresh, else dist/). */
export const BIN = fileURLToPath(new URL('../../bin/bpfkit.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/bin/bpfkit.js', import.meta.url));

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function bpfkit(args: readonly string[], env: Record<string, string> = {}, opts: { cwd?: string; input?: string } = {}): Result {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first (npm test does)`);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compares with a committed golden file; `UPDATE_GOLDEN=1` rewrites it instead. */
export function golden(name: string, actual: string): string {
  const path = fileURLToPath(new URL(`../__golden__/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) throw new Error(`golden file ${name} is missing`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  return readFileSync(path, 'utf8');
}
