/** Test helpers: locate committed fixtures and optional host resources. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');
/** The kernel BTF the vmlinux tests read; BPFKIT_VMLINUX overrides it (a missing path runs their fallbacks). */
export const VMLINUX = process.env['BPFKIT_VMLINUX'] ?? '/sys/kernel/btf/vmlinux';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}
export function hasVmlinux(): boolean {
  return existsSync(VMLINUX);
}
export function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
