#!/usr/bin/env node
// `npm run bench [-- SUITE...]`: runs the tinybench suites in bench/*.bench.mjs
// (all of them, or the named ones) against the built packages and prints a
// table per suite. Suites export `default async function (ctx)` returning a Bench.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../bench/', import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.mjs', '')));
if (suites.length === 0) {
  console.error(`no such suite: ${wanted.join(', ')} (have: ${readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).map((f) => f.replace('.bench.mjs', '')).join(', ')})`);
  process.exit(2);
}
for (const f of suites) {
  const mod = await import(new URL(f, new URL('../bench/', import.meta.url)).href);
  const name = f.replace('.bench.mjs', '');
  process.stderr.write(`\n== ${name}\n`);
  const bench = await mod.default();
  if (!bench) continue;
  await bench.run();
  console.log(`\n## ${name}`);
  console.table(bench.table());
  if (mod.after) await mod.after(bench);
}
