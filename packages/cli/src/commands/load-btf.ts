/** The BTF of FILE: the `.BTF` section of an ELF object, or the whole file when it is a raw blob. */
import { parseBtf, type Btf } from '@bpfkit/btf';
import { CliError } from '../errors.js';
import { readInput, sniff } from '../input.js';

export async function loadBtf(file: string): Promise<Btf> {
  const bytes = readInput(file);
  switch (sniff(bytes)) {
    case 'btf':
      return parseBtf(bytes);
    case 'elf': {
      // The ELF reader (and the instruction set it pulls in) loads only for objects:
      // raw blobs such as /sys/kernel/btf/vmlinux start faster without it.
      const { parseElf } = await import('@bpfkit/object');
      const elf = parseElf(bytes);
      const sec = elf.sections.find((s) => s.name === '.BTF');
      if (!sec) throw new CliError('no .BTF section (was it compiled with clang -g?)');
      return parseBtf(sec.data);
    }
    default:
      throw new CliError('neither an ELF object nor a BTF blob (no ELF or BTF magic at offset 0)');
  }
}
