/**
 * A growable ASCII/UTF-8 byte buffer for building large text outputs (dumps of
 * vmlinux are >10 MB) without creating millions of intermediate strings. Names are
 * copied straight from the BTF string section bytes.
 */
import type { Btf } from './btf.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8');

/** json_writer's escapes: byte -> char after the backslash (0 = copy as is). */
const JSON_ESC = new Uint8Array(256);
JSON_ESC[9] = 116; // \t
JSON_ESC[10] = 110; // \n
JSON_ESC[13] = 114; // \r
JSON_ESC[12] = 102; // \f
JSON_ESC[8] = 98; // \b
JSON_ESC[92] = 92; // \\
JSON_ESC[34] = 34; // \"
JSON_ESC[39] = 39; // \'

export class ByteWriter {
  private buf: Uint8Array;
  private n = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + extra) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.n));
    this.buf = nb;
  }

  /** Append an ASCII literal (non-ASCII text goes through `str`). */
  lit(s: string): this {
    const len = s.length;
    if (this.n + len > this.buf.length) this.ensure(len);
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.n = n;
        return this.str(s.slice(i));
      }
      buf[n++] = c;
    }
    this.n = n;
    return this;
  }

  /** Append an arbitrary (non-constant) string. */
  str(s: string): this {
    const b = enc.encode(s);
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  byte(c: number): this {
    if (this.n >= this.buf.length) this.ensure(1);
    this.buf[this.n++] = c;
    return this;
  }

  /** Append a non-negative integer (< 2^53) in decimal. */
  uint(v: number): this {
    if (this.n + 20 > this.buf.length) this.ensure(20);
    const buf = this.buf;
    if (v < 10) {
      buf[this.n++] = 48 + v;
      return this;
    }
    if (v > 0x7fffffff) return this.lit(String(v));
    let digits = 0;
    for (let x = v; x !== 0; x = (x / 10) | 0) digits++;
    let p = this.n + digits;
    this.n = p;
    for (let x = v; x !== 0; x = (x / 10) | 0) buf[--p] = 48 + (x % 10);
    return this;
  }

  /** Append a signed integer in decimal. */
  int(v: number): this {
    if (v < 0) {
      this.byte(45);
      return this.uint(-v);
    }
    return this.uint(v);
  }

  /**
   * Append the raw bytes of the BTF string at `off`, or `fallback` when `off` is 0
   * (anonymous) / `invalid` when the offset is out of range.
   */
  name(btf: Btf, off: number, fallback = '(anon)', invalid = '(invalid)', json = false): this {
    if (off === 0) return this.lit(fallback);
    let b: Btf = btf;
    while (off < b.strBase && b.base) b = b.base;
    const rel = off - b.strBase;
    const bytes = b.strings.bytes;
    if (rel < 0 || rel >= bytes.length) return this.lit(invalid);
    let end = bytes.indexOf(0, rel);
    if (end < 0) end = bytes.length;
    const len = end - rel;
    this.ensure(json ? 2 * len : len);
    const buf = this.buf;
    let n = this.n;
    if (json) {
      for (let i = rel; i < end; i++) {
        const c = bytes[i]!;
        const e = JSON_ESC[c];
        if (e === 0) buf[n++] = c;
        else {
          buf[n++] = 92;
          buf[n++] = e!;
        }
      }
    } else if (len < 48) {
      for (let i = rel; i < end; i++) buf[n++] = bytes[i]!;
    } else {
      buf.set(bytes.subarray(rel, end), n);
      n += len;
    }
    this.n = n;
    return this;
  }

  get length(): number {
    return this.n;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  toString(): string {
    return dec.decode(this.buf.subarray(0, this.n));
  }
}
