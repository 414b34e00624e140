#!/usr/bin/env node
// The installed `bpfkit-conformance-plugin` command (bpf_conformance plugin protocol). It exists
// before the first build (so `npm ci` links it); the code is compiled to dist/ by `npm run build`
// and bundled into dist-bundle/ (used when it is at least as new as the last tsc build, dist/.tsbuildinfo).
import { statSync } from 'node:fs';

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const bundled = mtime('../dist-bundle/plugin-bin.js');
const entry = bundled >= 0 && bundled >= mtime('../dist/.tsbuildinfo') ? '../dist-bundle/plugin-bin.js' : '../dist/plugin-bin.js';
try {
  await import(entry);
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(entry.slice(3))) {
    process.stderr.write('bpfkit-conformance-plugin: not built yet: run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
