import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../parse.js';
import { dumpC } from './index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const VMLINUX = '/sys/kernel/btf/vmlinux';
const recorded = JSON.parse(readFileSync(join(FIXTURES, 'vmlinux-c.sha256.json'), 'utf8')) as {
  inputSha256: string;
  outputSha256: string;
};

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

function haveBpftool(): boolean {
  try {
    execFileSync('bpftool', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const live = existsSync(VMLINUX) ? new Uint8Array(readFileSync(VMLINUX)) : undefined;
const liveMatchesRecord = live !== undefined && sha256(live) === recorded.inputSha256;

describe('dumpC on the kernel BTF', () => {
  it('records well-formed hashes', () => {
    expect(recorded.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded.outputSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.runIf(liveMatchesRecord)('hashes to bpftool 7.1 output recorded for this vmlinux', () => {
    const btf = parseBtf(live!);
    const t0 = performance.now();
    const out = dumpC(btf);
    const ms = performance.now() - t0;
    console.log(`dumpC(vmlinux): ${btf.types.length} types, ${out.length} chars, ${ms.toFixed(1)} ms (cold)`);
    expect(sha256(out)).toBe(recorded.outputSha256);
  });

  it.runIf(live !== undefined && haveBpftool())('is byte-identical to the installed bpftool', () => {
    const expected = execFileSync('bpftool', ['btf', 'dump', 'file', VMLINUX, 'format', 'c'], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const out = dumpC(parseBtf(live!));
    if (out !== expected) {
      // Report the first differing line rather than two 3 MB strings.
      const a = out.split('\n');
      const b = expected.split('\n');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      expect({ line: i + 1, ours: a[i], bpftool: b[i] }).toEqual({ line: i + 1, ours: b[i], bpftool: b[i] });
    }
    expect(out.length).toBe(expected.length);
  });
});
