/**
 * BTF blob reader: header, string section and the type records of all 19 kinds, in
 * either byte order, optionally as split BTF on top of a base. Structural checks follow
 * libbpf's `btf_parse_hdr` / `btf_parse_str_sec` / `btf_parse_type_sec` (the kernel's
 * stricter rules live in `validate.ts`). Every loop is bounded by the bytes available.
 */
import { Btf, type BtfHeader } from './btf.js';
import { BtfError } from './errors.js';
import { StringTable } from './strings.js';
import type {
  BtfDeclTag, BtfEnum64Value, BtfEnumValue, BtfMember, BtfParam, BtfType, BtfVarSecinfo,
} from './types.js';

export const BTF_MAGIC = 0xeb9f;
export const BTF_HEADER_SIZE = 24;
export const BTF_MAX_NAME_OFFSET = 0xffffff;

export interface ParseBtfOptions {
  /** Base BTF for split BTF (e.g. vmlinux under a module's BTF). */
  readonly base?: Btf;
}

/** Where lenient parsing stopped (a record the kernel's meta check would reject). */
export interface ParseStop {
  readonly reason: 'short' | 'kind' | 'trailing';
  readonly id: number;
  /** Byte offset of the record. */
  readonly offset: number;
  readonly info: number;
  readonly nameOff: number;
  /** Bytes left after the 12-byte header ('short': bytes left in total). */
  readonly metaLeft: number;
  readonly metaNeeded: number;
}

class Stop extends Error {
  constructor(readonly stop: ParseStop) {
    super('stop');
  }
}

function truncated(id: number, p: number, end: number, n: number): never {
  throw new BtfError('TRUNCATED_TYPE', `type [${id}] needs ${n} more bytes, ${end - p} left`, { offset: p, typeId: id });
}

const VOID: BtfType = { id: 0, kind: 'VOID', name: '', nameOff: 0, kindFlag: false, vlen: 0 };

/** Parse a raw BTF blob (the `.BTF` section contents or /sys/kernel/btf/*). */
export function parseBtf(bytes: Uint8Array, opts: ParseBtfOptions = {}): Btf {
  return parseImpl(bytes, opts, false).btf;
}

/**
 * For validation: like `parseBtf`, but bad name offsets decode as '' (nameOff kept) and
 * a truncated record or unknown kind ends the type list, described by `stop`, instead
 * of throwing — so the validator can report problems in the kernel's order.
 */
export function parseBtfLenient(bytes: Uint8Array, opts: ParseBtfOptions = {}): { btf: Btf; stop: ParseStop | undefined } {
  return parseImpl(bytes, opts, true);
}

function parseImpl(bytes: Uint8Array, opts: ParseBtfOptions, lenient: boolean): { btf: Btf; stop: ParseStop | undefined } {
  const base = opts.base;
  if (bytes.length < BTF_HEADER_SIZE) {
    throw new BtfError('TRUNCATED_HEADER', `BTF blob of ${bytes.length} bytes is shorter than the ${BTF_HEADER_SIZE}-byte header`, { offset: 0 });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (dv.getUint16(0, true) === BTF_MAGIC) le = true;
  else if (dv.getUint16(0, false) === BTF_MAGIC) le = false;
  else throw new BtfError('BAD_MAGIC', `invalid BTF magic 0x${dv.getUint16(0, true).toString(16)}`, { offset: 0 });
  if (base && base.bigEndian !== !le) {
    throw new BtfError('BAD_BASE', 'split BTF and its base have different byte orders', { offset: 0 });
  }

  const header: BtfHeader = {
    magic: BTF_MAGIC,
    version: bytes[2]!,
    flags: bytes[3]!,
    hdrLen: dv.getUint32(4, le),
    typeOff: dv.getUint32(8, le),
    typeLen: dv.getUint32(12, le),
    strOff: dv.getUint32(16, le),
    strLen: dv.getUint32(20, le),
  };
  if (header.version !== 1) throw new BtfError('BAD_VERSION', `unsupported BTF version ${header.version}`, { offset: 2 });
  if (header.flags !== 0) throw new BtfError('BAD_FLAGS', `unsupported BTF flags 0x${header.flags.toString(16)}`, { offset: 3 });
  const { hdrLen, typeOff, typeLen, strOff, strLen } = header;
  if (hdrLen < BTF_HEADER_SIZE) throw new BtfError('BAD_HEADER', `BTF header length ${hdrLen} is too small`, { offset: 4 });
  if (hdrLen > bytes.length) throw new BtfError('TRUNCATED_HEADER', `BTF header length ${hdrLen} larger than data size ${bytes.length}`, { offset: 4 });
  const metaLeft = bytes.length - hdrLen;
  if (strOff + strLen > metaLeft) throw new BtfError('BAD_LAYOUT', `string section [${strOff}, +${strLen}) exceeds the ${metaLeft} bytes after the header`, { offset: 16 });
  if (typeOff + typeLen > metaLeft) throw new BtfError('BAD_LAYOUT', `type section [${typeOff}, +${typeLen}) exceeds the ${metaLeft} bytes after the header`, { offset: 8 });
  if (typeOff + typeLen > strOff && typeOff < strOff + strLen && typeLen > 0 && strLen > 0) {
    throw new BtfError('BAD_LAYOUT', 'type and string sections overlap', { offset: 8 });
  }
  if (typeOff % 4 !== 0) throw new BtfError('UNALIGNED', `type section offset ${typeOff} is not 4-byte aligned`, { offset: 8 });

  // Strings.
  const strStart = hdrLen + strOff;
  const strBytes = bytes.subarray(strStart, strStart + strLen);
  if (!(base && strLen === 0)) {
    if (strLen === 0) throw new BtfError('BAD_STRINGS', 'empty string section', { offset: strStart });
    if (strLen - 1 > BTF_MAX_NAME_OFFSET) throw new BtfError('BAD_STRINGS', `string section of ${strLen} bytes is too long`, { offset: strStart });
    if (strBytes[strLen - 1] !== 0) throw new BtfError('BAD_STRINGS', 'string section is not NUL-terminated', { offset: strStart + strLen - 1 });
    if (!base && strBytes[0] !== 0) throw new BtfError('BAD_STRINGS', 'string section does not start with the empty string', { offset: strStart });
  }
  const strings = new StringTable(strBytes);
  const strBase = base ? base.strEnd : 0;
  const strEnd = strBase + strLen;
  const str = (off: number, at: number, id: number): string => {
    if (off >= strBase && off < strEnd) return strings.get(off - strBase);
    if (off < strBase && base && base.hasStr(off)) return base.str(off);
    if (lenient) return '';
    throw new BtfError('BAD_STRING_OFFSET', `string offset ${off} out of range`, { offset: at, typeId: id });
  };

  // Types.
  const types: BtfType[] = base ? base.types.slice() : [VOID];
  const startId = types.length;
  const offsets: number[] = [];
  let p = hdrLen + typeOff;
  const end = p + typeLen;
  let id = startId;
  let stop: ParseStop | undefined;
  try {
    while (p < end) {
      if (end - p < 12) {
        if (lenient) throw new Stop({ reason: 'short', id, offset: p, info: 0, nameOff: 0, metaLeft: end - p, metaNeeded: 12 });
        throw new BtfError('TRUNCATED_TYPE', `type record needs 12 bytes, ${end - p} left`, { offset: p, typeId: id });
      }
      const nameOff = dv.getUint32(p, le);
      const info = dv.getUint32(p + 4, le);
      const sizeOrType = dv.getUint32(p + 8, le);
      const kindNum = (info >>> 24) & 0x1f;
      const vlen = info & 0xffff;
      const kindFlag = info >>> 31 === 1;
      const name = nameOff === 0 ? '' : str(nameOff, p, id);
      const rec = p;
      offsets.push(rec);
      p += 12;
      let t: BtfType;
      switch (kindNum) {
        case 1: { // INT
          if (end - p < 4) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: 4 }); truncated(id, p, end, 4); }
          const w = dv.getUint32(p, le);
          p += 4;
          t = { id, kind: 'INT', name, nameOff, kindFlag, vlen, size: sizeOrType, encoding: (w >>> 24) & 0x0f, bitsOffset: (w >>> 16) & 0xff, nrBits: w & 0xff };
          break;
        }
        case 2: t = { id, kind: 'PTR', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
        case 3: { // ARRAY
          if (end - p < 12) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: 12 }); truncated(id, p, end, 12); }
          t = { id, kind: 'ARRAY', name, nameOff, kindFlag, vlen, type: dv.getUint32(p, le), indexType: dv.getUint32(p + 4, le), nelems: dv.getUint32(p + 8, le) };
          p += 12;
          break;
        }
        case 4: case 5: { // STRUCT, UNION
          if (end - p < vlen * 12) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: vlen * 12 }); truncated(id, p, end, vlen * 12); }
          const members: BtfMember[] = new Array(vlen);
          for (let i = 0; i < vlen; i++, p += 12) {
            const mOff = dv.getUint32(p, le);
            const off = dv.getUint32(p + 8, le);
            members[i] = {
              name: mOff === 0 ? '' : str(mOff, p, id),
              nameOff: mOff,
              type: dv.getUint32(p + 4, le),
              bitsOffset: kindFlag ? off & 0xffffff : off,
              bitfieldSize: kindFlag ? off >>> 24 : 0,
            };
          }
          t = { id, kind: kindNum === 4 ? 'STRUCT' : 'UNION', name, nameOff, kindFlag, vlen, size: sizeOrType, members };
          break;
        }
        case 6: { // ENUM
          if (end - p < vlen * 8) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: vlen * 8 }); truncated(id, p, end, vlen * 8); }
          const values: BtfEnumValue[] = new Array(vlen);
          for (let i = 0; i < vlen; i++, p += 8) {
            const vOff = dv.getUint32(p, le);
            values[i] = { name: vOff === 0 ? '' : str(vOff, p, id), nameOff: vOff, value: dv.getInt32(p + 4, le) };
          }
          t = { id, kind: 'ENUM', name, nameOff, kindFlag, vlen, size: sizeOrType, values };
          break;
        }
        case 7: t = { id, kind: 'FWD', name, nameOff, kindFlag, vlen }; break;
        case 8: t = { id, kind: 'TYPEDEF', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
        case 9: t = { id, kind: 'VOLATILE', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
        case 10: t = { id, kind: 'CONST', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
        case 11: t = { id, kind: 'RESTRICT', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
        case 12: t = { id, kind: 'FUNC', name, nameOff, kindFlag, vlen, type: sizeOrType, linkage: vlen }; break;
        case 13: { // FUNC_PROTO
          if (end - p < vlen * 8) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: vlen * 8 }); truncated(id, p, end, vlen * 8); }
          const params: BtfParam[] = new Array(vlen);
          for (let i = 0; i < vlen; i++, p += 8) {
            const pOff = dv.getUint32(p, le);
            params[i] = { name: pOff === 0 ? '' : str(pOff, p, id), nameOff: pOff, type: dv.getUint32(p + 4, le) };
          }
          t = { id, kind: 'FUNC_PROTO', name, nameOff, kindFlag, vlen, returnType: sizeOrType, params };
          break;
        }
        case 14: { // VAR
          if (end - p < 4) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: 4 }); truncated(id, p, end, 4); }
          t = { id, kind: 'VAR', name, nameOff, kindFlag, vlen, type: sizeOrType, linkage: dv.getUint32(p, le) };
          p += 4;
          break;
        }
        case 15: { // DATASEC
          if (end - p < vlen * 12) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: vlen * 12 }); truncated(id, p, end, vlen * 12); }
          const vars: BtfVarSecinfo[] = new Array(vlen);
          for (let i = 0; i < vlen; i++, p += 12) {
            vars[i] = { type: dv.getUint32(p, le), offset: dv.getUint32(p + 4, le), size: dv.getUint32(p + 8, le) };
          }
          t = { id, kind: 'DATASEC', name, nameOff, kindFlag, vlen, size: sizeOrType, vars };
          break;
        }
        case 16: t = { id, kind: 'FLOAT', name, nameOff, kindFlag, vlen, size: sizeOrType }; break;
        case 17: { // DECL_TAG
          if (end - p < 4) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: 4 }); truncated(id, p, end, 4); }
          const dt: BtfDeclTag = { id, kind: 'DECL_TAG', name, nameOff, kindFlag, vlen, type: sizeOrType, componentIdx: dv.getInt32(p, le) };
          t = dt;
          p += 4;
          break;
        }
        case 18: t = { id, kind: 'TYPE_TAG', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
        case 19: { // ENUM64
          if (end - p < vlen * 12) { if (lenient) throw new Stop({ reason: 'trailing', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: vlen * 12 }); truncated(id, p, end, vlen * 12); }
          const values: BtfEnum64Value[] = new Array(vlen);
          for (let i = 0; i < vlen; i++, p += 12) {
            const vOff = dv.getUint32(p, le);
            const lo = dv.getUint32(p + 4, le);
            const hi = dv.getUint32(p + 8, le);
            values[i] = { name: vOff === 0 ? '' : str(vOff, p, id), nameOff: vOff, value: (BigInt(hi) << 32n) | BigInt(lo) };
          }
          t = { id, kind: 'ENUM64', name, nameOff, kindFlag, vlen, size: sizeOrType, values };
          break;
        }
        default:
          if (lenient) throw new Stop({ reason: 'kind', id, offset: rec, info, nameOff, metaLeft: end - p, metaNeeded: 0 });
          throw new BtfError('UNKNOWN_KIND', `type [${id}] has unknown kind ${kindNum}`, { offset: rec, typeId: id });
      }
      types.push(t);
      id++;
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stop = e.stop;
    if (offsets.length > types.length - startId) offsets.pop();
  }
  const btf = new Btf({
    types, startId, strings, bigEndian: !le, header, raw: bytes,
    typeOffsets: Uint32Array.from(offsets), base,
  });
  return { btf, stop };
}
