/** Minimal ELF64 section lookup for tests (the real ELF reader lives in @bpfkit/object). */
export function elfSection(file: Uint8Array, name: string): Uint8Array | undefined {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 64 || dv.getUint32(0, false) !== 0x7f454c46 || file[4] !== 2) return undefined;
  const le = file[5] === 1;
  const shoff = Number(dv.getBigUint64(0x28, le));
  const shentsize = dv.getUint16(0x3a, le);
  const shnum = dv.getUint16(0x3c, le);
  const shstrndx = dv.getUint16(0x3e, le);
  const sh = (i: number): { name: number; off: number; size: number } => {
    const b = shoff + i * shentsize;
    return { name: dv.getUint32(b, le), off: Number(dv.getBigUint64(b + 0x18, le)), size: Number(dv.getBigUint64(b + 0x20, le)) };
  };
  const strtab = sh(shstrndx);
  const dec = new TextDecoder();
  for (let i = 0; i < shnum; i++) {
    const s = sh(i);
    const start = strtab.off + s.name;
    const end = file.indexOf(0, start);
    if (dec.decode(file.subarray(start, end)) === name) return file.subarray(s.off, s.off + s.size);
  }
  return undefined;
}
