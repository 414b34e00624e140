#!/usr/bin/env node
// The installed `bpfkit` command. It exists before the first build (so `npm ci` links it);
// the CLI itself is compiled to dist/ by `npm run build`.
try {
  await import('../dist/bin/bpfkit.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/bin/bpfkit.js')) {
    process.stderr.write('bpfkit: not built yet: run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
