/** Reading the FILE argument: an ELF object or a raw BTF blob. */
import { readFileSync, statSync } from 'node:fs';
import { CliError } from './errors.js';

export type InputKind = 'elf' | 'btf' | 'unknown';

export function readInput(file: string): Uint8Array {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code})`);
  }
  if (st.isDirectory()) throw new CliError('is a directory, expected a BPF object or BTF file');
  const buf = readFileSync(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function sniff(bytes: Uint8Array): InputKind {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  if (bytes.length >= 2 && ((bytes[0] === 0x9f && bytes[1] === 0xeb) || (bytes[0] === 0xeb && bytes[1] === 0x9f))) return 'btf';
  return 'unknown';
}
