import { describe, expect, it } from 'vitest';
import { checkCtxAccess } from '../ctx-access.js';

describe('syscall ctx', () => {
  it('accepts aligned reads and writes below U16_MAX', () => {
    expect(checkCtxAccess('syscall', 0, 8, false)).toEqual({ ok: true, kind: 'scalar' });
    expect(checkCtxAccess('syscall', 4, 4, true).ok).toBe(true);
    expect(checkCtxAccess('syscall', 65528, 4, false).ok).toBe(true);
  });
  it('rejects misaligned, negative and too-large offsets', () => {
    expect(checkCtxAccess('syscall', 4, 8, false).ok).toBe(false);
    expect(checkCtxAccess('syscall', -8, 8, false).ok).toBe(false);
    expect(checkCtxAccess('syscall', 0xffff, 1, false).ok).toBe(false);
  });
});
