#!/usr/bin/env node
// The installed `bpfkit-conformance-plugin` command (bpf_conformance plugin protocol). It exists
// before the first build (so `npm ci` links it); the code is compiled to dist/ by `npm run build`.
try {
  await import('../dist/plugin-bin.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/plugin-bin.js')) {
    process.stderr.write('bpfkit-conformance-plugin: not built yet: run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
