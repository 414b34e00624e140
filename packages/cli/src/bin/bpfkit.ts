#!/usr/bin/env node
/**
 * `bpfkit` entry point. The plain `btf dump FILE [--format F]` shapes (the hot path for
 * big BTF such as vmlinux) go straight to the command, without loading the option
 * parser and the other verbs; everything else goes through `main`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Out } from '../output.js';
import type { PlainVerify } from '../verify-fast.js';
import { plainVerify } from './plain-verify.js';

// Output may be piped into `head`; a closed pipe is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

type Format = 'raw' | 'c' | 'json';
const FORMATS: readonly string[] = ['raw', 'c', 'json'];

/** FILE and format of `btf dump FILE [--format F]` (either order), else undefined. */
function plainBtfDump(argv: readonly string[]): { file: string; format: Format } | undefined {
  if (argv.length < 3 || argv.length > 5 || argv[0] !== 'btf' || argv[1] !== 'dump') return undefined;
  const rest = argv.slice(2);
  let format = 'raw';
  let file: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--format' && i + 1 < rest.length) format = rest[++i]!;
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (!a.startsWith('-') && file === undefined) file = a;
    else return undefined;
  }
  if (file === undefined || !FORMATS.includes(format)) return undefined;
  return { file, format: format as Format };
}

const identity = (s: string): string => s;

async function fastBtfDump(file: string, format: Format): Promise<number> {
  const { describeError } = await import('../errors.js');
  try {
    const { btfDump } = await import('../commands/btf-dump.js');
    const out: Out = {
      json: false, color: false,
      write: (s) => process.stdout.write(s),
      writeJson: (v) => process.stdout.write(JSON.stringify(v, null, 2) + '\n'),
      bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity,
    };
    return await btfDump(file, { format }, out);
  } catch (e) {
    const { line, exitCode } = describeError(e, file);
    process.stderr.write(line + '\n');
    return exitCode;
  }
}

/** The verify module: the CommonJS bundle with its code cache beside this file when bundled, else the compiled module. */
async function verifyModule(): Promise<{ fastVerify: (a: PlainVerify) => Promise<number> }> {
  const cjs = fileURLToPath(new URL('./verify-fast.cjs', import.meta.url));
  if (existsSync(cjs)) {
    const { loadCjs } = await import('./code-cache.js');
    return loadCjs<{ fastVerify: (a: PlainVerify) => Promise<number> }>(cjs, `${cjs}.cache`).exports;
  }
  return import('../verify-fast.js');
}

const argv = process.argv.slice(2);
const plain = plainBtfDump(argv);
const verifyArgs = plain ? undefined : plainVerify(argv);
if (plain) {
  process.exitCode = await fastBtfDump(plain.file, plain.format);
} else if (verifyArgs) {
  process.exitCode = await (await verifyModule()).fastVerify(verifyArgs);
} else {
  const { main } = await import('../main.js');
  process.exitCode = await main(argv);
}
