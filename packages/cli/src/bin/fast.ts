/**
 * The fast path of the installed `bpfkit` (bin/bpfkit.js, CommonJS): for the plain `verify` shapes,
 * loads dist-bundle/verify-fast.cjs with its V8 code cache and runs it; anything else is left to the
 * full command line (undefined). Bundled on its own as dist-bundle/fast.cjs (a few kB).
 */
import { join } from 'node:path';
import { loadCjs } from './code-cache.js';
import { plainVerify } from './plain-verify.js';
import type { PlainVerify } from '../verify-fast.js';

export function tryFast(argv: readonly string[], bundleDir: string): Promise<number> | undefined {
  const a = plainVerify(argv);
  if (!a) return undefined;
  const cjs = join(bundleDir, 'verify-fast.cjs');
  return loadCjs<{ fastVerify: (a: PlainVerify) => Promise<number> }>(cjs, `${cjs}.cache`).exports.fastVerify(a);
}
