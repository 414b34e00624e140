#!/usr/bin/env node
// The installed `bpfkit` command. It exists before the first build (so `npm ci` links it).
// `npm run build` compiles the CLI to dist/ and bundles it into dist-bundle/ (fewer modules to
// load: faster start-up); the bundle is used when it is at least as new as the last tsc build
// (dist/.tsbuildinfo), so a `tsc -b` alone never runs a stale bundle.
import { statSync } from 'node:fs';

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const bundled = mtime('../dist-bundle/bpfkit.js');
const entry = bundled >= 0 && bundled >= mtime('../dist/.tsbuildinfo') ? '../dist-bundle/bpfkit.js' : '../dist/bin/bpfkit.js';
try {
  await import(entry);
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(entry.slice(3))) {
    process.stderr.write('bpfkit: not built yet: run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
