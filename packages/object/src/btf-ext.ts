/**
 * `.BTF.ext` reader (formats.md §3): func_info, line_info and CO-RE records grouped by
 * ELF section name. Private to this package until `@bpfkit/btf` exports a parser.
 */
import type { Btf } from '@bpfkit/btf';
import { ObjectError } from './errors.js';

export interface FuncInfoRecord {
  /** Byte offset in the ELF section. */
  readonly insnOff: number;
  readonly typeId: number;
}
export interface LineInfoRecord {
  readonly insnOff: number;
  readonly fileNameOff: number;
  readonly lineOff: number;
  readonly lineCol: number;
}
export interface CoreReloRecord {
  readonly insnOff: number;
  readonly typeId: number;
  readonly accessStrOff: number;
  readonly kind: number;
}

export interface BtfExtSection<T> {
  readonly recSize: number;
  /** Records per ELF section name, in file order. */
  readonly bySection: ReadonlyMap<string, readonly T[]>;
}

export interface BtfExt {
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly funcInfo: BtfExtSection<FuncInfoRecord>;
  readonly lineInfo: BtfExtSection<LineInfoRecord>;
  readonly coreRelo: BtfExtSection<CoreReloRecord>;
}

const SECTION = '.BTF.ext';

export function parseBtfExtSection(bytes: Uint8Array, btf: Btf): BtfExt {
  const fail = (msg: string, offset: number): never => {
    throw new ObjectError('BAD_BTF', msg, { section: SECTION, offset, offsetIn: 'section' });
  };
  if (bytes.byteLength < 8) fail(`${SECTION} too short for its header (${bytes.byteLength} bytes)`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (dv.getUint16(0, true) === 0xeb9f) le = true;
  else if (dv.getUint16(0, false) === 0xeb9f) le = false;
  else return fail(`Invalid BTF.ext magic:${dv.getUint16(0, true).toString(16)}`, 0);
  const version = bytes[2];
  const flags = bytes[3];
  if (version !== 1) fail(`Unsupported BTF.ext version:${version}`, 2);
  if (flags !== 0) fail(`Unsupported BTF.ext flags:${flags.toString(16)}`, 3);
  const hdrLen = dv.getUint32(4, le);
  if (hdrLen < 24 || hdrLen > bytes.byteLength) fail(`BTF.ext header length ${hdrLen} is invalid`, 4);
  const u32 = (off: number) => dv.getUint32(off, le);

  function sub<T>(name: string, hdrOff: number, minRec: number, read: (p: number) => T): BtfExtSection<T> {
    const bySection = new Map<string, T[]>();
    if (hdrOff + 8 > hdrLen) return { recSize: 0, bySection };
    const off = u32(hdrOff);
    const len = u32(hdrOff + 4);
    if (len === 0) return { recSize: 0, bySection };
    const start = hdrLen + off;
    if (start % 4 !== 0) fail(`BTF.ext ${name} section is not aligned to 4 bytes`, hdrOff);
    if (off > bytes.byteLength || start + len > bytes.byteLength || start + len < start) {
      fail(`${name} section (off:${off} len:${len}) is beyond the end of the ELF section ${SECTION}`, hdrOff);
    }
    const end = start + len;
    if (len < 4) fail(`BTF.ext ${name} record size not found`, start);
    const recSize = u32(start);
    if (recSize < minRec || recSize % 4 !== 0 || (!le && recSize !== minRec)) fail(`${name} record size ${recSize} is invalid`, start);
    let p = start + 4;
    if (p >= end) fail(`${name} section in ${SECTION} has no records`, p);
    while (p < end) {
      if (p + 8 > end) fail(`${name} section header is truncated`, p);
      const secNameOff = u32(p);
      const num = u32(p + 4);
      if (!btf.hasStr(secNameOff)) fail(`${name} section name offset ${secNameOff} is not in the BTF string section`, p);
      const secName = btf.str(secNameOff);
      if (num === 0) fail(`${name} section has no records`, p);
      p += 8;
      if (num > (end - p) / recSize) fail(`${name} section '${secName}' has ${num} records of ${recSize} bytes, more than fit`, p);
      let recs = bySection.get(secName);
      if (!recs) bySection.set(secName, (recs = []));
      for (let k = 0; k < num; k++, p += recSize) recs.push(read(p));
    }
    return { recSize, bySection };
  }

  const funcInfo = sub('func_info', 8, 8, (p) => ({ insnOff: u32(p), typeId: u32(p + 4) }));
  const lineInfo = sub('line_info', 16, 16, (p) => ({ insnOff: u32(p), fileNameOff: u32(p + 4), lineOff: u32(p + 8), lineCol: u32(p + 12) }));
  const coreRelo = sub('core_relo', 24, 16, (p) => ({ insnOff: u32(p), typeId: u32(p + 4), accessStrOff: u32(p + 8), kind: u32(p + 12) }));
  return { version, flags, hdrLen, funcInfo, lineInfo, coreRelo };
}
