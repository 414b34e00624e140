import { describe, expect, it } from 'vitest';
import { scalarConst, scalarFromRange, scalarUnknown, scalarWithin, rangeWithin, scalarFromTnum } from './index.js';

describe('scalarWithin (§14.3 range_within + tnum_in)', () => {
  it('unknown covers everything, a constant covers only itself', () => {
    expect(scalarWithin(scalarUnknown(), scalarFromRange(3n, 9n))).toBe(true);
    expect(scalarWithin(scalarFromRange(3n, 9n), scalarUnknown())).toBe(false);
    expect(scalarWithin(scalarConst(4n), scalarConst(4n))).toBe(true);
    expect(scalarWithin(scalarConst(4n), scalarConst(5n))).toBe(false);
  });
  it('needs the bounds and the tnum', () => {
    expect(scalarWithin(scalarFromRange(0n, 255n), scalarFromRange(10n, 20n))).toBe(true);
    expect(scalarWithin(scalarFromRange(0n, 255n), scalarFromRange(10n, 256n))).toBe(false);
    // bounds inside but the tnum is not: {0, 2} vs [0, 3]
    const evens = scalarFromTnum({ value: 0n, mask: 2n });
    expect(rangeWithin(scalarFromRange(0n, 3n), evens)).toBe(true);
    expect(scalarWithin(evens, scalarFromRange(0n, 2n))).toBe(false);
    expect(scalarWithin(scalarFromRange(0n, 3n), evens)).toBe(true);
  });
});
