/** FILE → ObjectSpec, with the object name libbpf would use (file name up to the first dot). */
import { basename } from 'node:path';
import { parseBtf, type Btf } from '@bpfkit/btf';
import { kernelBtfBytes, loadObject as loadObjectFull, loadObjectSpec, type ObjectSpec } from '@bpfkit/object';
import { CliError } from '../errors.js';
import { readInput, sniff } from '../input.js';

export function loadObject(file: string): ObjectSpec {
  const bytes = readInput(file);
  if (sniff(bytes) !== 'elf') {
    throw new CliError(sniff(bytes) === 'btf' ? 'is a raw BTF blob, not an ELF object (try: bpfkit btf dump)' : 'not an ELF object (no ELF magic at offset 0)');
  }
  const name = basename(file).split('.')[0] || 'obj';
  return loadObjectSpec(bytes, { name });
}

/** The object plus its BTF as a loader hands it to the kernel (DATASEC sizes and offsets fixed). */
export function loadObjectForLoad(file: string): { spec: ObjectSpec; kernelBtf: Btf | undefined } {
  const bytes = readInput(file);
  if (sniff(bytes) !== 'elf') throw new CliError('not an ELF object (no ELF magic at offset 0)');
  const { spec, btfFixups } = loadObjectFull(bytes, { name: basename(file).split('.')[0] || 'obj' });
  const kernelBtf = spec.btf && btfFixups ? parseBtf(kernelBtfBytes(spec.btf, btfFixups)) : spec.btf;
  return { spec, kernelBtf };
}

/** The programs named by `--prog`, or all of them; an unknown name is a usage error. */
export function selectPrograms<T extends { name: string }>(all: readonly T[], names: readonly string[] | undefined): T[] {
  if (!names || names.length === 0) return [...all];
  return names.map((n) => {
    const p = all.find((x) => x.name === n);
    if (!p) throw new CliError(`no program named '${n}' (programs: ${all.map((x) => x.name).join(', ') || 'none'})`);
    return p;
  });
}
