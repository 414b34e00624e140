/**
 * Output accumulator: text is written as UTF-8 into a growing byte buffer and decoded
 * once at the end, which is much cheaper than joining millions of small strings.
 * Names are copied as bytes straight from the BTF string section.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class OutBuf {
  private buf: Uint8Array;
  private len = 0;

  /** `limit`: bytes of output after which `overflow` is called (it must throw). */
  constructor(
    private readonly limit = Infinity,
    private readonly overflow: () => never = () => {
      throw new RangeError('output too large');
    },
    /** String section that `name()` copies from. */
    private readonly str: Uint8Array = new Uint8Array(1),
    /** Initial capacity in bytes (a good guess saves regrowing and copying). */
    capacity = 1 << 16,
  ) {
    this.buf = new Uint8Array(Math.max(16, Math.min(capacity, limit)));
  }

  /** Append up to six strings (no rest parameter, to avoid an array per call). */
  push(a: string, b?: string, c?: string, d?: string, e?: string, f?: string): void {
    this.write(a);
    if (b === undefined) return;
    this.write(b);
    if (c === undefined) return;
    this.write(c);
    if (d === undefined) return;
    this.write(d);
    if (e === undefined) return;
    this.write(e);
    if (f !== undefined) this.write(f);
  }

  /** Append the NUL-terminated string at `off` of the string section (nothing when out of range). */
  name(off: number): void {
    const str = this.str;
    const n = str.length;
    if (off >= n) return;
    let end = str.indexOf(0, off);
    if (end < 0) end = n;
    const len = end - off;
    if (len <= 0) return;
    if (this.len + len > this.buf.length) this.grow(this.len + len);
    const buf = this.buf;
    let p = this.len;
    for (let i = off; i < end; i++) buf[p++] = str[i]!;
    this.len = p;
  }

  /** Append a non-negative integer below 2^31 in decimal. */
  uint(v: number): void {
    if (v > 0x7fffffff || v < 0) {
      this.write(String(v));
      return;
    }
    if (this.len + 10 > this.buf.length) this.grow(this.len + 10);
    const buf = this.buf;
    if (v < 10) {
      buf[this.len++] = 48 + v;
      return;
    }
    let digits = 0;
    for (let x = v; x !== 0; x = (x / 10) | 0) digits++;
    let p = this.len + digits;
    this.len = p;
    for (let x = v; x !== 0; x = (x / 10) | 0) buf[--p] = 48 + (x % 10);
  }

  private write(s: string): void {
    const n = s.length;
    // Worst case 3 UTF-8 bytes per UTF-16 unit.
    if (this.len + n * 3 > this.buf.length) this.grow(this.len + n * 3);
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.len = len;
        this.writeSlow(s.slice(i));
        return;
      }
      buf[len++] = c;
    }
    this.len = len;
  }

  private writeSlow(s: string): void {
    const { written } = encoder.encodeInto(s, this.buf.subarray(this.len));
    this.len += written;
  }

  private grow(min: number): void {
    if (min > this.limit) this.overflow();
    let cap = this.buf.length * 2;
    while (cap < min) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  toString(): string {
    return decoder.decode(this.buf.subarray(0, this.len));
  }
}
