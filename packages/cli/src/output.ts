/** Terminal output: colour only on a TTY and never with NO_COLOR / --no-color. */
import { fstatSync, statSync } from 'node:fs';

export interface Out {
  readonly json: boolean;
  readonly color: boolean;
  write(text: string): void;
  /** Print one JSON document on stdout. */
  writeJson(value: unknown): void;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/**
 * Whether stdout (fd 1) is a terminal: a character device other than /dev/null. Asked of the file
 * descriptor, not of process.stdout or node:tty: creating that stream or loading that module
 * (it pulls in net and streams) is a visible part of a cold start.
 */
export function stdoutIsTerminal(): boolean {
  try {
    const st = fstatSync(1);
    if (!st.isCharacterDevice()) return false;
    let nullDev: number | undefined;
    try {
      nullDev = statSync('/dev/null').rdev;
    } catch {
      nullDev = undefined;
    }
    return nullDev === undefined || st.rdev !== nullDev;
  } catch {
    return false;
  }
}

export function wantColor(flag: boolean | undefined, isTTY: () => boolean = stdoutIsTerminal): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return isTTY();
}

/**
 * ANSI styles (picocolors' scheme: an inner closing code inside a styled string is replaced so the
 * outer style resumes after it). Our own, so that loading them touches neither process.stdout nor a package.
 */
function style(open: string, close: string, replace: string = open): (s: string) => string {
  return (input) => {
    const text = String(input);
    let index = text.indexOf(close, open.length);
    if (index < 0) return open + text + close;
    let result = '';
    let cursor = 0;
    do {
      result += text.substring(cursor, index) + replace;
      cursor = index + close.length;
      index = text.indexOf(close, cursor);
    } while (index >= 0);
    return open + result + text.substring(cursor) + close;
  };
}

const identity = (s: string): string => s;

const STYLES = {
  bold: style('\x1b[1m', '\x1b[22m', '\x1b[22m\x1b[1m'),
  dim: style('\x1b[2m', '\x1b[22m', '\x1b[22m\x1b[2m'),
  red: style('\x1b[31m', '\x1b[39m'),
  green: style('\x1b[32m', '\x1b[39m'),
  yellow: style('\x1b[33m', '\x1b[39m'),
  cyan: style('\x1b[36m', '\x1b[39m'),
};

export function makeOut(opts: { json?: boolean; color?: boolean }, sink: (s: string) => void = (s) => process.stdout.write(s)): Out {
  const color = Boolean(opts.color) && !opts.json;
  const c = color ? STYLES : { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  return {
    json: Boolean(opts.json),
    color,
    write: sink,
    writeJson: (value) => sink(JSON.stringify(value, jsonReplacer, 2) + '\n'),
    bold: c.bold,
    dim: c.dim,
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    cyan: c.cyan,
  };
}

/** bigint → number when safe, else decimal string; typed arrays → hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}
