import { ObjectError, type ObjectErrorLocation } from '../errors.js';

/** Bounds-checked reads of fixed-size fields in the object's byte order. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, littleEndian: boolean) {
    this.bytes = bytes;
    this.littleEndian = littleEndian;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  private need(off: number, n: number, what: string, loc: ObjectErrorLocation): void {
    if (off < 0 || off + n > this.bytes.byteLength) {
      throw new ObjectError('TRUNCATED', `truncated ${what}: need ${n} bytes at 0x${off.toString(16)}, have ${this.bytes.byteLength}`, {
        offset: off,
        offsetIn: 'file',
        ...loc,
      });
    }
  }

  u8(off: number, what = 'data', loc: ObjectErrorLocation = {}): number {
    this.need(off, 1, what, loc);
    return this.view.getUint8(off);
  }
  u16(off: number, what = 'data', loc: ObjectErrorLocation = {}): number {
    this.need(off, 2, what, loc);
    return this.view.getUint16(off, this.littleEndian);
  }
  u32(off: number, what = 'data', loc: ObjectErrorLocation = {}): number {
    this.need(off, 4, what, loc);
    return this.view.getUint32(off, this.littleEndian);
  }
  i32(off: number, what = 'data', loc: ObjectErrorLocation = {}): number {
    this.need(off, 4, what, loc);
    return this.view.getInt32(off, this.littleEndian);
  }
  u64(off: number, what = 'data', loc: ObjectErrorLocation = {}): bigint {
    this.need(off, 8, what, loc);
    return this.view.getBigUint64(off, this.littleEndian);
  }
  /** Low and high 32-bit halves of a u64, without BigInt. */
  u64parts(off: number, what = 'data', loc: ObjectErrorLocation = {}): { lo: number; hi: number } {
    this.need(off, 8, what, loc);
    const a = this.view.getUint32(off, this.littleEndian);
    const b = this.view.getUint32(off + 4, this.littleEndian);
    return this.littleEndian ? { lo: a, hi: b } : { lo: b, hi: a };
  }
  /** A u64 that must fit a JS number (offsets, sizes). */
  u64n(off: number, what = 'data', loc: ObjectErrorLocation = {}): number {
    const { lo, hi } = this.u64parts(off, what, loc);
    if (hi >= 0x200000) {
      throw new ObjectError('BAD_HEADER', `${what} value 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} is too large`, { offset: off, offsetIn: 'file', ...loc });
    }
    return hi * 0x100000000 + lo;
  }
}

/** Reads a NUL-terminated string at `off` inside `table`; the terminator must be inside the table. */
export function readCString(table: Uint8Array, off: number, what: string, loc: ObjectErrorLocation): string {
  if (off < 0 || off >= table.byteLength) {
    throw new ObjectError('BAD_STRING', `${what}: string offset ${off} outside string table of ${table.byteLength} bytes`, loc);
  }
  const end = table.indexOf(0, off);
  if (end < 0) throw new ObjectError('BAD_STRING', `${what}: string at offset ${off} is not NUL-terminated`, loc);
  return latin1(table.subarray(off, end));
}

const decoder = new TextDecoder('utf-8', { fatal: false });
function latin1(b: Uint8Array): string {
  return decoder.decode(b);
}
