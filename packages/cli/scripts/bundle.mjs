#!/usr/bin/env node
// Bundles the compiled CLI (dist/) into dist-bundle/ with esbuild: a few ESM files instead of
// ~100 modules, so a cold `bpfkit verify` starts fast. Verbs stay lazy: each dynamic import()
// becomes its own chunk (--splitting). The WebAssembly core of @bpfkit/vm-wasm is read at run
// time from `new URL('../build/core.wasm', import.meta.url)`; in the bundle that URL would point
// into the cli package, so the core is copied beside the chunks and the URL rewritten to it.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const out = join(pkg, 'dist-bundle');
const WASM_URL = "new URL('../build/core.wasm', import.meta.url)";

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// the core next to the chunks
const require = createRequire(join(pkg, 'package.json'));
const vmWasmDir = dirname(dirname(require.resolve('@bpfkit/vm-wasm')));
copyFileSync(join(vmWasmDir, 'build', 'core.wasm'), join(out, 'core.wasm'));

let rewritten = 0;
const wasmUrl = {
  name: 'vm-wasm-core-url',
  setup(b) {
    b.onLoad({ filter: /vm-wasm[\\/]dist[\\/]core\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes(WASM_URL)) throw new Error(`${args.path}: expected ${WASM_URL} (update scripts/bundle.mjs)`);
      rewritten++;
      return { contents: src.replace(WASM_URL, "new URL('./core.wasm', import.meta.url)"), loader: 'js' };
    });
  },
};

await build({
  entryPoints: { bpfkit: join(pkg, 'dist/bin/bpfkit.js'), 'plugin-bin': join(pkg, 'dist/plugin-bin.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  // commander is CommonJS: esbuild's ESM output needs a `require` for it
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [wasmUrl],
});
if (rewritten !== 1) throw new Error(`bundle: the vm-wasm core URL was rewritten ${rewritten} times, expected once`);

// `bpfkit verify` fast path (bin/bpfkit.js → fast.cjs → verify-fast.cjs): one CommonJS file loaded with a V8
// code cache (dist/bin/code-cache.js). The cache is made here, after verifying the bundled demo
// object in this process (text and JSON output), so it holds the bytecode of the functions a
// verification runs, not only of the top level.
/** One CommonJS file from a compiled module. */
const cjs = (entry, file) =>
  build({ entryPoints: [join(pkg, entry)], outfile: join(out, file), bundle: true, format: 'cjs', platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true });
await cjs('dist/verify-fast.js', 'verify-fast.cjs');
await cjs('dist/bin/fast.js', 'fast.cjs');
const cjsText = readFileSync(join(out, 'verify-fast.cjs'), 'utf8');
if (/\bimport\(/.test(cjsText)) throw new Error('bundle: verify-fast.cjs must not contain dynamic import() (vm.Script cannot run it)');
const { loadCjs } = await import(pathToFileURL(join(pkg, 'dist/bin/code-cache.js')).href);
const fast = loadCjs(join(out, 'verify-fast.cjs'));
const sink = { stdout: () => {}, stderr: () => {} };
const demo = join(pkg, 'demo', 'sched.bpf.o');
for (const json of [false, true]) {
  const code = await fast.exports.fastVerify({ file: demo, prog: [], json, color: undefined }, sink);
  if (code !== 0) throw new Error(`bundle: warming the verify code cache on ${demo} gave exit ${code}`);
}
fast.saveCache(join(out, 'verify-fast.cjs.cache'));
