#!/usr/bin/env node
'use strict';
// The installed `bpfkit` command. CommonJS on purpose (bin/package.json): the plain `verify` shapes
// start without Node's ES module loader — dist-bundle/fast.cjs loads the verifier as one CommonJS
// file with a V8 code cache made at build time. Everything else goes through launch.mjs (the
// bundle when fresh, else the tsc build).
const { statSync } = require('node:fs');
const { join } = require('node:path');

const mtime = (p) => {
  try {
    return statSync(join(__dirname, p)).mtimeMs;
  } catch {
    return -1;
  }
};

const fastBundle = mtime('../dist-bundle/fast.cjs');
const pending = fastBundle >= 0 && fastBundle >= mtime('../dist/.tsbuildinfo') ? require('../dist-bundle/fast.cjs').tryFast(process.argv.slice(2), join(__dirname, '../dist-bundle')) : undefined;
if (pending) pending.then((code) => (process.exitCode = code));
else import('./launch.mjs').then(({ launch }) => launch('bpfkit', 'bpfkit.js', 'bin/bpfkit.js'));
