import { ObjectError } from '../errors.js';
import { ByteReader } from './reader.js';
import {
  EHDR_SIZE, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_BPF, ET_REL, SHDR_SIZE, SHN_XINDEX,
} from './constants.js';
import type { ElfHeader } from './types.js';

/** Reads and checks the ELF identification and header; returns the header and a reader in the object's byte order. */
export function readHeader(bytes: Uint8Array): { header: ElfHeader; reader: ByteReader } {
  const magicOk = bytes.byteLength >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  if (!magicOk) {
    throw new ObjectError('NOT_ELF', bytes.byteLength < 4 ? 'not an ELF file: too short for ELF magic' : 'not an ELF file: bad magic', {
      offset: 0,
      offsetIn: 'file',
    });
  }
  if (bytes.byteLength < 16) throw new ObjectError('TRUNCATED', 'truncated ELF identification', { offset: bytes.byteLength, offsetIn: 'file' });
  const cls = bytes[4];
  if (cls !== ELFCLASS64) {
    throw new ObjectError('ELF_CLASS', cls === 1 ? 'ELF32 objects are not supported (BPF objects are ELF64)' : `invalid ELF class ${cls}`, {
      offset: 4,
      offsetIn: 'file',
    });
  }
  const data = bytes[5];
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw new ObjectError('ELF_DATA', `invalid ELF data encoding ${data}`, { offset: 5, offsetIn: 'file' });
  }
  if (bytes[6] !== 1) throw new ObjectError('ELF_VERSION', `invalid ELF identification version ${bytes[6]}`, { offset: 6, offsetIn: 'file' });
  if (bytes.byteLength < EHDR_SIZE) {
    throw new ObjectError('TRUNCATED', `truncated ELF header: ${bytes.byteLength} bytes, need ${EHDR_SIZE}`, { offset: bytes.byteLength, offsetIn: 'file' });
  }
  const r = new ByteReader(bytes, data === ELFDATA2LSB);
  const type = r.u16(16, 'e_type');
  const machine = r.u16(18, 'e_machine');
  const version = r.u32(20, 'e_version');
  if (machine !== EM_BPF) {
    throw new ObjectError('ELF_MACHINE', `not a BPF object: e_machine ${machine}, expected EM_BPF (${EM_BPF})`, { offset: 18, offsetIn: 'file' });
  }
  if (type !== ET_REL) {
    throw new ObjectError('ELF_TYPE', `not a relocatable object: e_type ${type}, expected ET_REL`, { offset: 16, offsetIn: 'file' });
  }
  if (version !== 1) throw new ObjectError('ELF_VERSION', `invalid e_version ${version}`, { offset: 20, offsetIn: 'file' });
  const shoff = r.u64n(40, 'e_shoff');
  const flags = r.u32(48, 'e_flags');
  const ehsize = r.u16(52, 'e_ehsize');
  const shentsize = r.u16(58, 'e_shentsize');
  let shnum = r.u16(60, 'e_shnum');
  let shstrndx = r.u16(62, 'e_shstrndx');
  if (ehsize < EHDR_SIZE) throw new ObjectError('BAD_HEADER', `invalid e_ehsize ${ehsize}`, { offset: 52, offsetIn: 'file' });
  if (shoff === 0) throw new ObjectError('BAD_HEADER', 'object has no section header table', { offset: 40, offsetIn: 'file' });
  if (shentsize !== SHDR_SIZE) {
    throw new ObjectError('BAD_HEADER', `invalid e_shentsize ${shentsize}, expected ${SHDR_SIZE}`, { offset: 58, offsetIn: 'file' });
  }
  // Extended numbering: the real counts live in section header 0.
  if (shnum === 0 || shstrndx === SHN_XINDEX) {
    const loc = { offset: shoff, offsetIn: 'file' as const, sectionIndex: 0 };
    if (shnum === 0) shnum = r.u64n(shoff + 32, 'section header 0 (sh_size)', loc);
    if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + 40, 'section header 0 (sh_link)', loc);
  }
  if (shoff + shnum * SHDR_SIZE > bytes.byteLength || shnum > bytes.byteLength / SHDR_SIZE) {
    throw new ObjectError('TRUNCATED', `truncated section header table: ${shnum} headers at 0x${shoff.toString(16)} exceed file size ${bytes.byteLength}`, {
      offset: shoff,
      offsetIn: 'file',
    });
  }
  if (shstrndx >= shnum || shstrndx === 0) {
    throw new ObjectError('BAD_HEADER', `invalid section name string table index ${shstrndx} (${shnum} sections)`, { offset: 62, offsetIn: 'file' });
  }
  return {
    header: { littleEndian: r.littleEndian, osabi: bytes[7], type, machine, version, flags, shoff, shnum, shstrndx },
    reader: r,
  };
}
