import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Compiled fixture objects produced by fixtures/build.sh (owned by another package). */
export const FIXTURE_DIR = new URL('../../../../fixtures/obj/', import.meta.url).pathname;

export function fixtureObjects(): string[] {
  if (!existsSync(FIXTURE_DIR)) return [];
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.o')).sort();
}

/**
 * The executable sections of an object, extracted with llvm-readelf-19 /
 * llvm-objcopy-19 (this package deliberately has no ELF reader).
 */
export function codeSections(obj: string): { name: string; bytes: Uint8Array }[] {
  const path = join(FIXTURE_DIR, obj);
  const table = execFileSync('llvm-readelf-19', ['-S', '--wide', path], { encoding: 'utf8' });
  const names: string[] = [];
  for (const line of table.split('\n')) {
    const m = /^\s*\[\s*\d+\]\s+(\S+)\s+PROGBITS\s+\S+\s+\S+\s+(\S+)\s+\S+\s+(\S*X\S*)\s/.exec(line);
    if (m && parseInt(m[2], 16) > 0) names.push(m[1]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'isa-fix-'));
  try {
    return names.map((name, k) => {
      const out = join(dir, `s${k}.bin`);
      execFileSync('llvm-objcopy-19', [`--dump-section=${name}=${out}`, path, join(dir, 'junk.o')]);
      return { name, bytes: new Uint8Array(readFileSync(out)) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
