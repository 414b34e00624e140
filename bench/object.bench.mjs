// Objects: loading every fixture object and linking every program in it.
import { readFileSync, readdirSync } from 'node:fs';
import { Bench } from 'tinybench';
import { linkProgram, loadObjectSpec } from '../packages/object/dist/index.js';

export default async function () {
  const dir = new URL('../fixtures/obj/', import.meta.url);
  const files = readdirSync(dir).filter((x) => x.endsWith('.o')).sort().map((f) => new Uint8Array(readFileSync(new URL(f, dir))));
  const specs = files.map((b) => loadObjectSpec(b, { name: 'bench' }));
  const platform = { kfuncBtfId: () => 1 };
  const bench = new Bench({ name: `object (${files.length} fixture objects)`, time: 2000, warmupTime: 500 });
  bench
    .add('loadObjectSpec (all fixtures)', () => { for (const b of files) loadObjectSpec(b, { name: 'bench' }); })
    .add('linkProgram (all programs)', () => { for (const s of specs) for (const p of s.programs) linkProgram(s, p.name, platform); });
  return bench;
}
