/** Terminal output: colour only on a TTY and never with NO_COLOR / --no-color. */
import pc from 'picocolors';

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

export function wantColor(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function makeOut(opts: { json?: boolean; color?: boolean }, sink: (s: string) => void = (s) => process.stdout.write(s)): Out {
  const color = Boolean(opts.color) && !opts.json;
  const c = pc.createColors(color);
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
