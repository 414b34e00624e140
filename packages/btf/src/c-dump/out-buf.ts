/**
 * Output accumulator: text is written as UTF-8 into a growing byte buffer and decoded
 * once at the end, which is much cheaper than joining millions of small strings.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class OutBuf {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  /** `limit`: bytes of output after which `overflow` is called (it must throw). */
  constructor(
    private readonly limit = Infinity,
    private readonly overflow: () => never = () => {
      throw new RangeError('output too large');
    },
  ) {}

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

  toString(): string {
    return decoder.decode(this.buf.subarray(0, this.len));
  }
}
