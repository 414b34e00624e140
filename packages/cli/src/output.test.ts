import { describe, expect, test } from 'vitest';
import { makeOut, wantColor } from './output.js';

describe('output styles', () => {
  test('plain when colour is off or JSON is asked for', () => {
    for (const o of [makeOut({ color: false }, () => {}), makeOut({ color: true, json: true }, () => {})]) {
      expect(o.bold(o.red('x'))).toBe('x');
      expect(o.color).toBe(false);
    }
  });
  test('ANSI codes, an inner close resuming the outer style (as picocolors did)', () => {
    const o = makeOut({ color: true }, () => {});
    expect(o.red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(o.bold(o.red('x'))).toBe('\x1b[1m\x1b[31mx\x1b[39m\x1b[22m');
    expect(o.bold(`a${o.dim('b')}c`)).toBe('\x1b[1ma\x1b[2mb\x1b[22m\x1b[1mc\x1b[22m');
    expect(o.cyan(`a${o.green('b')}c`)).toBe('\x1b[36ma\x1b[32mb\x1b[36mc\x1b[39m');
  });
  test('wantColor: --no-color and NO_COLOR win, FORCE_COLOR stands for a terminal, else the tty', () => {
    const env = { ...process.env };
    try {
      delete process.env.NO_COLOR;
      delete process.env.FORCE_COLOR;
      expect(wantColor(undefined, () => true)).toBe(true);
      expect(wantColor(undefined, () => false)).toBe(false);
      expect(wantColor(false, () => true)).toBe(false);
      process.env.FORCE_COLOR = '1';
      expect(wantColor(undefined, () => false)).toBe(true);
      process.env.NO_COLOR = '1';
      expect(wantColor(undefined, () => true)).toBe(false);
    } finally {
      process.env = env;
    }
  });
});
