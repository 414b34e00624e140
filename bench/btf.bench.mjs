// BTF: parse and the three dumps, on the kernel's BTF when present, else on the largest fixture.
import { existsSync, readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { dumpC, dumpJson, dumpRaw, parseBtf } from '../packages/btf/dist/index.js';
import { parseElf } from '../packages/object/dist/index.js';

export default async function () {
  const vmlinux = '/sys/kernel/btf/vmlinux';
  let label, bytes;
  if (existsSync(vmlinux)) {
    label = 'vmlinux';
    bytes = new Uint8Array(readFileSync(vmlinux));
  } else {
    label = 'graph_bench.bpf.o .BTF';
    const elf = parseElf(new Uint8Array(readFileSync(new URL('../fixtures/obj/graph_bench.bpf.o', import.meta.url))));
    bytes = elf.sections.find((s) => s.name === '.BTF').data;
  }
  const btf = parseBtf(bytes);
  const bench = new Bench({ name: `btf (${label}, ${btf.types.length - 1} types)`, time: 2000, warmupTime: 500 });
  bench
    .add(`parseBtf ${label}`, () => parseBtf(bytes))
    .add(`dumpRaw ${label}`, () => dumpRaw(btf))
    .add(`dumpJson ${label}`, () => dumpJson(btf))
    .add(`dumpC ${label}`, () => dumpC(btf));
  return bench;
}
