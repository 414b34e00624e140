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
import { fileURLToPath } from 'node:url';

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
