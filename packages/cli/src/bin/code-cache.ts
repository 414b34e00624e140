/**
 * Loading a CommonJS bundle with a V8 code cache (Node 20 has no code cache for ES modules).
 * The cache holds the bytecode of every function compiled when it was made (bundle.mjs makes it
 * after verifying the demo object), so start-up skips parsing and lazy compilation. A cache V8
 * rejects (another Node version, other flags, a changed bundle) is ignored: the bundle compiles
 * as usual.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface LoadedCjs<T> {
  readonly exports: T;
  /** True when a cache was given and V8 used it. */
  readonly cacheUsed: boolean;
  /** Writes the code cache of everything compiled so far to `cacheFile`. */
  saveCache(cacheFile: string): void;
}

export function loadCjs<T>(file: string, cacheFile?: string): LoadedCjs<T> {
  const src = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${src}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as T };
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  fn(mod.exports, createRequire(file), mod, file, dirname(file));
  return {
    exports: mod.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    saveCache: (cacheFile) => writeFileSync(cacheFile, script.createCachedData()),
  };
}
