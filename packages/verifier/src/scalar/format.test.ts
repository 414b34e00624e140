import { describe, expect, it } from 'vitest';
import { formatScalar, formatSnum, formatUnum, scalarConst, scalarFromRange, scalarUnknown, boundsSync } from './index.js';

describe('formatScalar (§15.3)', () => {
  it('constants print as signed numbers: decimal in [-32768, 32767], else the 64-bit pattern in hex', () => {
    expect(formatScalar(scalarConst(0n))).toBe('0');
    expect(formatScalar(scalarConst(-5n))).toBe('-5');
    expect(formatScalar(scalarConst(32767n))).toBe('32767');
    expect(formatScalar(scalarConst(32768n))).toBe('0x8000');
    expect(formatScalar(scalarConst(-32768n))).toBe('-32768');
    expect(formatScalar(scalarConst(-32769n))).toBe('0xffffffffffff7fff');
    expect(formatScalar(scalarConst(0x11170n))).toBe('0x11170');
    expect(formatScalar(scalarConst(-40000n))).toBe('0xffffffffffff63c0');
    expect(formatScalar(scalarConst(0n), { precise: true })).toBe('P0');
  });
  it('number helpers', () => {
    expect(formatUnum(65535n)).toBe('65535');
    expect(formatUnum(65536n)).toBe('0x10000');
    expect(formatSnum(-1n)).toBe('-1');
    expect(formatSnum(0xffff_ffff_ffff_fffen)).toBe('-2');
  });
  it('unknown, ids, precision', () => {
    expect(formatScalar(scalarUnknown())).toBe('scalar()');
    expect(formatScalar(scalarUnknown(), { id: '1' })).toBe('scalar(id=1)');
    expect(formatScalar(scalarFromRange(11n, 0xffff_ffff_ffff_ffffn), { id: '1+5', precise: true })).toBe('Pscalar(id=1+5,umin=11)');
  });
  it('merges equal fields of the same min/max group', () => {
    expect(formatScalar(scalarFromRange(0n, 255n))).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))');
    expect(formatScalar(scalarFromRange(0x80000008n, 0x80000010n))).toBe(
      // smin32 is negative but prints as its u32 pattern, so it merges with the equal 64-bit values
      'scalar(smin=umin=smin32=umin32=0x80000008,smax=umax=smax32=umax32=0x80000010,var_off=(0x80000000; 0x1f))',
    );
  });
  it('negative signed values merge only in decimal; hex 32-bit values use the u32 pattern', () => {
    const s = boundsSync({ ...scalarUnknown(), smin: -3n, smax: -1n });
    expect(formatScalar(s)).toBe(
      'scalar(smin=smin32=-3,smax=smax32=-1,umin=0xfffffffffffffffd,umin32=0xfffffffd,var_off=(0xfffffffffffffffc; 0x3))',
    );
    const t = boundsSync({ ...scalarUnknown(), s32min: -0x10000, s32max: -1 });
    expect(formatScalar(t)).toBe(
      'scalar(smin=0x80000000ffff0000,umin=smin32=umin32=0xffff0000,smax32=-1,var_off=(0xffff0000; 0xffffffff0000ffff))',
    );
  });
});
