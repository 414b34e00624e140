import { BtfError } from './errors.js';

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/**
 * A BTF string section with fast lookups. When the section is pure ASCII (the normal
 * case) it is decoded once and names are slices of that one string; otherwise each
 * offset is decoded as UTF-8 on first use and cached.
 */
export class StringTable {
  readonly bytes: Uint8Array;
  /** The whole section as one string when it is pure ASCII; null = not ASCII; undefined = not decoded yet. */
  private ascii: string | null | undefined;
  private readonly cache = new Map<number, string>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  private decodeAll(): string | null {
    const s = latin1.decode(this.bytes);
    // eslint-disable-next-line no-control-regex
    return (this.ascii = /[^\x00-\x7f]/.test(s) ? null : s);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** True when `off` starts inside the section (the string runs to a NUL or the end). */
  has(off: number): boolean {
    return off >= 0 && off < this.bytes.length;
  }

  /** The NUL-terminated string at `off` (relative to this section). */
  get(off: number): string {
    const ascii = this.ascii === undefined ? this.decodeAll() : this.ascii;
    if (ascii !== null) {
      if (off < 0 || off >= ascii.length) throw new BtfError('BAD_STRING_OFFSET', `string offset ${off} out of range`);
      let end = ascii.indexOf('\0', off);
      if (end < 0) end = ascii.length;
      return ascii.slice(off, end);
    }
    let v = this.cache.get(off);
    if (v === undefined) {
      const b = this.bytes;
      if (off < 0 || off >= b.length) throw new BtfError('BAD_STRING_OFFSET', `string offset ${off} out of range`);
      let end = b.indexOf(0, off);
      if (end < 0) end = b.length;
      v = utf8.decode(b.subarray(off, end));
      this.cache.set(off, v);
    }
    return v;
  }
}
