// ISA: decode / encode / format / assemble on a 100,000-instruction program built from the fixtures' code.
import { readFileSync, readdirSync } from 'node:fs';
import { Bench } from 'tinybench';
import { assemble, decode, encode, formatProgram } from '../packages/isa/dist/index.js';
import { parseElf, SHF_EXECINSTR } from '../packages/object/dist/index.js';

export default async function () {
  const dir = new URL('../fixtures/obj/', import.meta.url);
  const chunks = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.o')).sort()) {
    const elf = parseElf(new Uint8Array(readFileSync(new URL(f, dir))));
    for (const s of elf.sections) if (s.flags & SHF_EXECINSTR && s.size) chunks.push(s.data);
  }
  const parts = [];
  let total = 0;
  while (total < 800_000) for (const c of chunks) { parts.push(c); total += c.length; }
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { bytes.set(p, o); o += p.length; }
  const insns = decode(bytes);
  const text = formatProgram(insns);
  const bench = new Bench({ name: `isa (${bytes.length / 8} slots)`, time: 2000, warmupTime: 500 });
  bench
    .add('decode', () => decode(bytes))
    .add('encode', () => encode(insns))
    .add('formatProgram', () => formatProgram(insns))
    .add('assemble', () => assemble(text));
  return bench;
}
