/**
 * `.BTF.ext` reader (formats.md §3): func_info, line_info and CO-RE relocation records
 * per ELF section, with libbpf's structural checks (`btf_ext_parse_hdr`,
 * `btf_ext_setup_info`) as typed `BtfError`s whose messages are libbpf's. String
 * offsets (section names, file names, source lines, access strings) resolve through
 * the companion `.BTF`.
 */
import type { Btf } from './btf.js';
import { BtfError } from './errors.js';

export const CORE_RELO_KINDS = [
  'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64', 'local_type_id',
  'target_type_id', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
] as const;

export interface BtfExtHeader {
  readonly magic: number;
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly funcInfoOff: number;
  readonly funcInfoLen: number;
  readonly lineInfoOff: number;
  readonly lineInfoLen: number;
  readonly coreReloOff: number;
  readonly coreReloLen: number;
}

export interface BtfFuncInfo {
  /** Byte offset of the function's first instruction within its section. */
  readonly insnOff: number;
  readonly typeId: number;
}
export interface BtfLineInfo {
  readonly insnOff: number;
  readonly fileNameOff: number;
  readonly lineOff: number;
  readonly lineCol: number;
  readonly fileName: string;
  /** Source line text ('' when `lineOff` is 0). */
  readonly line: string;
  readonly lineNum: number;
  readonly col: number;
}
export interface BtfCoreRelo {
  readonly insnOff: number;
  readonly typeId: number;
  readonly accessStrOff: number;
  readonly accessStr: string;
  /** `enum bpf_core_relo_kind` value. */
  readonly kind: number;
  /** libbpf's short name (`byte_off`, `type_size`, …) or `unknown(N)`. */
  readonly kindName: string;
}
export interface BtfExtSection<T> {
  readonly secNameOff: number;
  readonly secName: string;
  readonly records: readonly T[];
}
export interface BtfExt {
  readonly header: BtfExtHeader;
  readonly bigEndian: boolean;
  /** Record sizes as written (0 when the subsection is absent). */
  readonly funcInfoRecSize: number;
  readonly lineInfoRecSize: number;
  readonly coreReloRecSize: number;
  readonly funcInfo: readonly BtfExtSection<BtfFuncInfo>[];
  readonly lineInfo: readonly BtfExtSection<BtfLineInfo>[];
  readonly coreRelos: readonly BtfExtSection<BtfCoreRelo>[];
}

interface SubDesc { readonly desc: string; readonly off: number; readonly len: number; readonly minRec: number }

/** Parse `.BTF.ext` bytes against the object's `.BTF`. */
export function parseBtfExt(bytes: Uint8Array, btf: Btf): BtfExt {
  if (bytes.length < 8) throw new BtfError('EXT_TRUNCATED', 'BTF.ext header too short', { offset: 0 });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (dv.getUint16(0, true) === 0xeb9f) le = true;
  else if (dv.getUint16(0, false) === 0xeb9f) le = false;
  else throw new BtfError('EXT_BAD_MAGIC', `Invalid BTF.ext magic:${dv.getUint16(0, true).toString(16)}`, { offset: 0 });
  const version = bytes[2]!;
  const flags = bytes[3]!;
  if (version !== 1) throw new BtfError('EXT_BAD_VERSION', `Unsupported BTF.ext version:${version}`, { offset: 2 });
  if (flags !== 0) throw new BtfError('EXT_BAD_FLAGS', `Unsupported BTF.ext flags:${flags.toString(16)}`, { offset: 3 });
  const hdrLen = dv.getUint32(4, le);
  if (bytes.length < hdrLen) throw new BtfError('EXT_TRUNCATED', 'BTF.ext header not found', { offset: 4 });
  if (hdrLen < 24) throw new BtfError('EXT_BAD_HEADER', 'BTF.ext header too short', { offset: 4 });
  const hasCore = hdrLen >= 32;
  const header: BtfExtHeader = {
    magic: 0xeb9f, version, flags, hdrLen,
    funcInfoOff: dv.getUint32(8, le), funcInfoLen: dv.getUint32(12, le),
    lineInfoOff: dv.getUint32(16, le), lineInfoLen: dv.getUint32(20, le),
    coreReloOff: hasCore ? dv.getUint32(24, le) : 0, coreReloLen: hasCore ? dv.getUint32(28, le) : 0,
  };

  const str = (off: number, at: number, what: string): string => {
    if (!btf.hasStr(off)) throw new BtfError('EXT_BAD_INFO', `${what}: string offset ${off} out of range`, { offset: at });
    return btf.str(off);
  };

  function setup<T>(d: SubDesc, rec: (p: number) => T): { recSize: number; secs: BtfExtSection<T>[] } {
    if (d.len === 0) return { recSize: 0, secs: [] };
    if (d.off & 3) throw new BtfError('EXT_BAD_SECTION', `.BTF.ext ${d.desc} section is not aligned to 4 bytes`, { offset: hdrLen + d.off });
    const start = hdrLen + d.off;
    if (start + d.len > bytes.length) {
      throw new BtfError('EXT_BAD_SECTION', `${d.desc} section (off:${d.off} len:${d.len}) is beyond the end of the ELF section .BTF.ext`, { offset: start });
    }
    let left = d.len;
    if (left < 4) throw new BtfError('EXT_BAD_REC_SIZE', `.BTF.ext ${d.desc} record size not found`, { offset: start });
    const recSize = dv.getUint32(start, le);
    if (recSize < d.minRec || recSize & 3 || (!le && recSize !== d.minRec)) {
      throw new BtfError('EXT_BAD_REC_SIZE', `${d.desc} section in .BTF.ext has invalid record size ${recSize}`, { offset: start });
    }
    let p = start + 4;
    left -= 4;
    if (!left) throw new BtfError('EXT_BAD_INFO', `${d.desc} section in .BTF.ext has no records`, { offset: p });
    const secs: BtfExtSection<T>[] = [];
    while (left) {
      if (left < 8) throw new BtfError('EXT_BAD_INFO', `${d.desc} section header is not found in .BTF.ext`, { offset: p });
      const secNameOff = dv.getUint32(p, le);
      const num = dv.getUint32(p + 4, le);
      if (num === 0 || left < 8 + num * recSize) {
        throw new BtfError('EXT_BAD_INFO', `${d.desc} section has incorrect num_records in .BTF.ext`, { offset: p + 4 });
      }
      const secName = str(secNameOff, p, `${d.desc} section name`);
      const records: T[] = new Array(num);
      for (let i = 0; i < num; i++) records[i] = rec(p + 8 + i * recSize);
      secs.push({ secNameOff, secName, records });
      p += 8 + num * recSize;
      left -= 8 + num * recSize;
    }
    return { recSize, secs };
  }

  const fi = setup<BtfFuncInfo>({ desc: 'func_info', off: header.funcInfoOff, len: header.funcInfoLen, minRec: 8 }, (p) => ({
    insnOff: dv.getUint32(p, le), typeId: dv.getUint32(p + 4, le),
  }));
  const li = setup<BtfLineInfo>({ desc: 'line_info', off: header.lineInfoOff, len: header.lineInfoLen, minRec: 16 }, (p) => {
    const fileNameOff = dv.getUint32(p + 4, le);
    const lineOff = dv.getUint32(p + 8, le);
    const lineCol = dv.getUint32(p + 12, le);
    return {
      insnOff: dv.getUint32(p, le), fileNameOff, lineOff, lineCol,
      fileName: str(fileNameOff, p + 4, 'line_info file_name_off'),
      line: lineOff ? str(lineOff, p + 8, 'line_info line_off') : '',
      lineNum: lineCol >>> 10, col: lineCol & 0x3ff,
    };
  });
  const cr = setup<BtfCoreRelo>({ desc: 'core_relo', off: header.coreReloOff, len: header.coreReloLen, minRec: 16 }, (p) => {
    const accessStrOff = dv.getUint32(p + 8, le);
    const kind = dv.getUint32(p + 12, le);
    return {
      insnOff: dv.getUint32(p, le), typeId: dv.getUint32(p + 4, le), accessStrOff,
      accessStr: str(accessStrOff, p + 8, 'core_relo access_str_off'), kind,
      kindName: CORE_RELO_KINDS[kind] ?? `unknown(${kind})`,
    };
  });
  return {
    header, bigEndian: !le,
    funcInfoRecSize: fi.recSize, lineInfoRecSize: li.recSize, coreReloRecSize: cr.recSize,
    funcInfo: fi.secs, lineInfo: li.secs, coreRelos: cr.secs,
  };
}
