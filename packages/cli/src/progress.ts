/**
 * A one-line progress bar on stderr, for long work (`bench`, `run --repeat`). Drawn only on a
 * terminal and only once the work has taken more than `delayMs` (default 1 s): short runs and
 * pipes never see it. Redraws at most every 100 ms; `done()` erases the line.
 */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

export interface Progress {
  /** Work done so far, in the units of `total`. */
  update(done: number): void;
  /** Erases the bar (when it was drawn). */
  done(): void;
  /** Whether the bar is (or will be) drawn at all: a terminal. */
  readonly active: boolean;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  delayMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Text after the percentage, e.g. `12,345 runs`. */
  detail?: (done: number) => string;
}

const WIDTH = 24;

export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  const delay = opts.delayMs ?? 1000;
  const active = Boolean(stream.isTTY) && total > 0;
  const start = now();
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    active,
    update(done: number): void {
      if (!active) return;
      const t = now();
      if (t - start < delay || t - lastDraw < 100) return;
      lastDraw = t;
      const f = Math.max(0, Math.min(1, done / total));
      const full = Math.round(f * WIDTH);
      const detail = opts.detail ? `  ${opts.detail(done)}` : '';
      let line = `${label} [${'█'.repeat(full)}${'░'.repeat(WIDTH - full)}] ${String(Math.floor(f * 100)).padStart(3)}%${detail}`;
      const cols = stream.columns && stream.columns > 20 ? stream.columns : 80;
      if (line.length > cols - 1) line = line.slice(0, cols - 1);
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    done(): void {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
