import { describe, expect, test } from 'vitest';
import { plainVerify } from './plain-verify.js';

describe('plainVerify: which command lines take the fast path', () => {
  test('plain shapes, global flags anywhere', () => {
    expect(plainVerify(['verify', 'a.o'])).toEqual({ file: 'a.o', prog: [], json: false, color: undefined });
    expect(plainVerify(['--json', 'verify', 'a.o', '--no-color'])).toEqual({ file: 'a.o', prog: [], json: true, color: false });
    expect(plainVerify(['verify', 'a.o', '--prog', 'x', '--prog=y'])).toEqual({ file: 'a.o', prog: ['x', 'y'], json: false, color: undefined });
  });
  test('everything else goes to the option parser', () => {
    for (const argv of [
      [],
      ['verify'],
      ['verify', '--help'],
      ['verify', 'a.o', '--log-level', '1'],
      ['verify', 'a.o', '--max-state-mb', '4'],
      ['verify', 'a.o', 'b.o'],
      ['verify', 'a.o', '--prog', 'x', 'y'], // variadic: two programs
      ['verify', '--prog', 'x', 'a.o'], // variadic: 'a.o' would be a program name
      ['verify', 'a.o', '--prog'],
      ['run', 'a.o'],
      ['--json', 'disasm', 'a.o'],
    ]) {
      expect(plainVerify(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
