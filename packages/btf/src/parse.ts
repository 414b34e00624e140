/**
 * BTF blob reader: header, string section and the type records of all 19 kinds, in
 * either byte order, optionally as split BTF on top of a base. Structural checks follow
 * libbpf's `btf_parse_hdr` / `btf_parse_str_sec` / `btf_parse_type_sec` (the kernel's
 * stricter rules live in `validate.ts`). Every loop is bounded by the bytes available.
 */
import { Btf, type BtfHeader, type BtfTable } from './btf.js';
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
  const strOk = (off: number): boolean =>
    (off >= strBase && off < strEnd) || (off < strBase && base !== undefined && base.hasStr(off));
  const badStr = (off: number, at: number, id: number): void => {
    if (!lenient) throw new BtfError('BAD_STRING_OFFSET', `string offset ${off} out of range`, { offset: at, typeId: id });
  };

  // Types: copy the section into host-order words after the base's words (or a zero
  // VOID record), then walk the records, checking sizes and name offsets.
  const baseTable = base?.table;
  const baseWords = baseTable ? baseTable.words.length : 3;
  const secStart = hdrLen + typeOff;
  const words = new Uint32Array(baseWords + ((typeLen + 3) >>> 2));
  if (baseTable) words.set(baseTable.words);
  new Uint8Array(words.buffer, baseWords * 4, typeLen).set(bytes.subarray(secStart, secStart + typeLen));
  if (!le) {
    for (let i = baseWords; i < words.length; i++) {
      const v = words[i]!;
      words[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
    }
  }
  const startId = baseTable ? baseTable.count : 1;
  // Upper bound on the number of records: 12 bytes each.
  const maxCount = startId + ((typeLen / 12) | 0);
  let rec = new Uint32Array(maxCount);
  let kinds = new Uint8Array(maxCount);
  if (baseTable) {
    rec.set(baseTable.rec.subarray(0, startId));
    kinds.set(baseTable.kinds.subarray(0, startId));
  }
  const offsets = new Uint32Array(maxCount - startId);
  const end = secStart + typeLen;
  let p = secStart;
  let id = startId;
  let stop: ParseStop | undefined;
  const wordAt = (byteOff: number): number => baseWords + ((byteOff - secStart) >>> 2);
  try {
    while (p < end) {
      if (end - p < 12) {
        if (lenient) throw new Stop({ reason: 'short', id, offset: p, info: 0, nameOff: 0, metaLeft: end - p, metaNeeded: 12 });
        throw new BtfError('TRUNCATED_TYPE', `type record needs 12 bytes, ${end - p} left`, { offset: p, typeId: id });
      }
      const w = wordAt(p);
      const nameOff = words[w]!;
      const info = words[w + 1]!;
      const kindNum = (info >>> 24) & 0x1f;
      const vlen = info & 0xffff;
      if (nameOff !== 0 && (nameOff >= strEnd || nameOff < strBase) && !strOk(nameOff)) badStr(nameOff, p, id);
      const recOff = p;
      p += 12;
      let extra = 0;
      // Per-entry size and name-offset stride of the trailing entries (0 = no names).
      let entry = 0;
      let named = false;
      switch (kindNum) {
        case 1: case 14: case 17: extra = 4; break; // INT, VAR, DECL_TAG
        case 3: extra = 12; break; // ARRAY
        case 4: case 5: case 19: entry = 12; named = true; break; // STRUCT, UNION, ENUM64
        case 6: case 13: entry = 8; named = true; break; // ENUM, FUNC_PROTO
        case 15: entry = 12; break; // DATASEC
        case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18: break;
        default:
          if (lenient) throw new Stop({ reason: 'kind', id, offset: recOff, info, nameOff, metaLeft: end - p, metaNeeded: 0 });
          throw new BtfError('UNKNOWN_KIND', `type [${id}] has unknown kind ${kindNum}`, { offset: recOff, typeId: id });
      }
      if (entry !== 0) extra = vlen * entry;
      if (end - p < extra) {
        if (lenient) throw new Stop({ reason: 'trailing', id, offset: recOff, info, nameOff, metaLeft: end - p, metaNeeded: extra });
        truncated(id, p, end, extra);
      }
      if (named) {
        const step = entry >>> 2;
        for (let i = 0, q = w + 3; i < vlen; i++, q += step) {
          const off = words[q]!;
          if (off !== 0 && (off >= strEnd || off < strBase) && !strOk(off)) badStr(off, p + i * entry, id);
        }
      }
      p += extra;
      rec[id] = w;
      kinds[id] = kindNum;
      offsets[id - startId] = recOff;
      id++;
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stop = e.stop;
  }
  const count = id;
  if (count < maxCount) {
    rec = rec.slice(0, count);
    kinds = kinds.slice(0, count);
  }
  let str: Uint8Array = strBytes;
  if (baseTable) {
    str = new Uint8Array(strBase + strLen);
    str.set(baseTable.str.subarray(0, strBase));
    str.set(strBytes, strBase);
  }
  const table = { words, rec, kinds, count, str };
  const strFn = (off: number): string => {
    if (off >= strBase && off < strEnd) return strings.get(off - strBase);
    if (off < strBase && base && base.hasStr(off)) return base.str(off);
    return '';
  };
  const btf = new Btf({
    materialize: () => materialize(table, startId, strFn, base),
    table, startId, strings, bigEndian: !le, header, raw: bytes,
    typeOffsets: offsets.slice(0, count - startId), base,
  });
  return { btf, stop };
}

/** The `BtfType` records of the own types (after the base's, or VOID) from the word table. */
function materialize(table: BtfTable, startId: number, str: (off: number) => string, base: Btf | undefined): BtfType[] {
  const { words, rec, kinds, count } = table;
  const types: BtfType[] = base ? base.types.slice() : [VOID];
  for (let id = startId; id < count; id++) {
    const w = rec[id]!;
    const nameOff = words[w]!;
    const info = words[w + 1]!;
    const sizeOrType = words[w + 2]!;
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    const name = nameOff === 0 ? '' : str(nameOff);
    let q = w + 3;
    let t: BtfType;
    switch (kinds[id]) {
      case 1: { // INT
        const x = words[q]!;
        t = { id, kind: 'INT', name, nameOff, kindFlag, vlen, size: sizeOrType, encoding: (x >>> 24) & 0x0f, bitsOffset: (x >>> 16) & 0xff, nrBits: x & 0xff };
        break;
      }
      case 2: t = { id, kind: 'PTR', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
      case 3: t = { id, kind: 'ARRAY', name, nameOff, kindFlag, vlen, type: words[q]!, indexType: words[q + 1]!, nelems: words[q + 2]! }; break;
      case 4: case 5: {
        const members: BtfMember[] = new Array(vlen);
        for (let i = 0; i < vlen; i++, q += 3) {
          const mOff = words[q]!;
          const off = words[q + 2]!;
          members[i] = {
            name: mOff === 0 ? '' : str(mOff),
            nameOff: mOff,
            type: words[q + 1]!,
            bitsOffset: kindFlag ? off & 0xffffff : off,
            bitfieldSize: kindFlag ? off >>> 24 : 0,
          };
        }
        t = { id, kind: kinds[id] === 4 ? 'STRUCT' : 'UNION', name, nameOff, kindFlag, vlen, size: sizeOrType, members };
        break;
      }
      case 6: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++, q += 2) {
          const vOff = words[q]!;
          values[i] = { name: vOff === 0 ? '' : str(vOff), nameOff: vOff, value: words[q + 1]! | 0 };
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
      case 13: {
        const params: BtfParam[] = new Array(vlen);
        for (let i = 0; i < vlen; i++, q += 2) {
          const pOff = words[q]!;
          params[i] = { name: pOff === 0 ? '' : str(pOff), nameOff: pOff, type: words[q + 1]! };
        }
        t = { id, kind: 'FUNC_PROTO', name, nameOff, kindFlag, vlen, returnType: sizeOrType, params };
        break;
      }
      case 14: t = { id, kind: 'VAR', name, nameOff, kindFlag, vlen, type: sizeOrType, linkage: words[q]! }; break;
      case 15: {
        const vars: BtfVarSecinfo[] = new Array(vlen);
        for (let i = 0; i < vlen; i++, q += 3) vars[i] = { type: words[q]!, offset: words[q + 1]!, size: words[q + 2]! };
        t = { id, kind: 'DATASEC', name, nameOff, kindFlag, vlen, size: sizeOrType, vars };
        break;
      }
      case 16: t = { id, kind: 'FLOAT', name, nameOff, kindFlag, vlen, size: sizeOrType }; break;
      case 17: {
        const dt: BtfDeclTag = { id, kind: 'DECL_TAG', name, nameOff, kindFlag, vlen, type: sizeOrType, componentIdx: words[q]! | 0 };
        t = dt;
        break;
      }
      case 18: t = { id, kind: 'TYPE_TAG', name, nameOff, kindFlag, vlen, type: sizeOrType }; break;
      default: { // 19: ENUM64
        const values: BtfEnum64Value[] = new Array(vlen);
        for (let i = 0; i < vlen; i++, q += 3) {
          const vOff = words[q]!;
          values[i] = { name: vOff === 0 ? '' : str(vOff), nameOff: vOff, value: (BigInt(words[q + 2]!) << 32n) | BigInt(words[q + 1]!) };
        }
        t = { id, kind: 'ENUM64', name, nameOff, kindFlag, vlen, size: sizeOrType, values };
        break;
      }
    }
    types.push(t);
  }
  return types;
}
