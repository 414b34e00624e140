import { AsmError } from './errors.js';

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_CHAR = /[A-Za-z0-9_.$-]/;

/** A parsed register operand: `w` tells whether it was spelled `wN`. */
export interface RegTok {
  n: number;
  w: boolean;
  col: number;
}

/** A character cursor over one source line; columns reported 1-based. */
export class Cursor {
  pos = 0;
  constructor(
    readonly s: string,
    readonly line: number,
  ) {}

  get col(): number {
    return this.pos + 1;
  }

  fail(reason: string, col = this.col, code: AsmError['code'] = 'SYNTAX'): never {
    throw new AsmError(code, reason, this.line, col);
  }

  ws(): void {
    const s = this.s;
    while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t')) this.pos++;
  }

  atEnd(): boolean {
    this.ws();
    return this.pos >= this.s.length;
  }

  /** Whether the text at the cursor (after blanks) starts with `t`. */
  peek(t: string): boolean {
    this.ws();
    return this.s.startsWith(t, this.pos);
  }

  eat(t: string): boolean {
    if (!this.peek(t)) return false;
    this.pos += t.length;
    return true;
  }

  expect(t: string): void {
    if (!this.eat(t)) this.fail(`expected '${t}'${this.atEnd() ? ' at end of line' : ` before '${this.rest(12)}'`}`);
  }

  /** Consumes one of `opts` (longest match first, caller orders them). */
  oneOf(opts: readonly string[], what: string): string {
    this.ws();
    for (const o of opts) if (this.s.startsWith(o, this.pos)) { this.pos += o.length; return o; }
    return this.fail(`expected ${what}`);
  }

  rest(max = 1e9): string {
    return this.s.slice(this.pos, this.pos + max);
  }

  /** Reads an identifier (letters, digits, `_ . $ -`), or `undefined`. */
  ident(): string | undefined {
    this.ws();
    const s = this.s;
    if (this.pos >= s.length || !IDENT_START.test(s[this.pos])) return undefined;
    const start = this.pos;
    while (this.pos < s.length && IDENT_CHAR.test(s[this.pos])) this.pos++;
    return s.slice(start, this.pos);
  }

  /** Whether a register token (`rN` / `wN`) is at the cursor. */
  peekReg(): boolean {
    this.ws();
    return /^[rw]\d+(?![\w])/.test(this.s.slice(this.pos, this.pos + 4));
  }

  reg(): RegTok {
    this.ws();
    const col = this.col;
    const m = /^([rw])(\d+)(?![\w])/.exec(this.s.slice(this.pos));
    if (!m) return this.fail('expected a register');
    const n = Number(m[2]);
    if (n > 15) this.fail(`register ${m[0]} out of range (0-15)`, col, 'RANGE');
    this.pos += m[0].length;
    return { n, w: m[1] === 'w', col };
  }

  /** Whether an integer literal (optionally signed) is at the cursor. */
  peekNum(): boolean {
    this.ws();
    return /^[+-]?\s*\d/.test(this.s.slice(this.pos, this.pos + 3));
  }

  /** Reads `[+-]? (0x<hex> | <decimal>)` as a bigint, with its column and whether it was hex. */
  bigint(): { v: bigint; col: number; hex: boolean } {
    this.ws();
    const col = this.col;
    const m = /^([+-]?)\s*(0[xX][0-9a-fA-F]+|\d+)(?![\w])/.exec(this.s.slice(this.pos));
    if (!m) return this.fail('expected a number');
    this.pos += m[0].length;
    const mag = BigInt(m[2]);
    return { v: m[1] === '-' ? -mag : mag, col, hex: /^0[xX]/.test(m[2]) };
  }

  /** Reads an integer in `[lo, hi]`. */
  int(lo: number, hi: number, what: string): number {
    const { v, col } = this.bigint();
    if (v < BigInt(lo) || v > BigInt(hi)) this.fail(`${what} ${v} out of range [${lo}, ${hi}]`, col, 'RANGE');
    return Number(v);
  }

  /** A signed 32-bit field that also accepts its unsigned spelling (up to 2^32-1). */
  imm32(what = 'immediate'): number {
    return this.int(-0x80000000, 0xffffffff, what) | 0;
  }

  /** A signed offset printed as `%+d` (`+0`, `-8`; `+ 8` is accepted too). */
  signedOff(what = 'offset'): number {
    this.ws();
    const col = this.col;
    const c = this.s[this.pos];
    if (c !== '+' && c !== '-') this.fail(`expected a signed ${what} such as '+0' or '-8'`, col);
    return this.int(-32768, 32767, what);
  }
}
