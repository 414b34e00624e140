/** State equivalence with graph state (graph-collections.md §3.9): lock identity and local-kptr flags. */
import { describe, expect, test } from 'vitest';
import { statesEqual } from '../equal.js';
import { ptrReg } from '../reg.js';
import { initialState } from '../state.js';
import { F, T, type VState } from '../types.js';

function withObj(objId: number, lock: number, flags = F.MEM_ALLOC): VState {
  const s = initialState();
  const r = ptrReg(T.PTR_TO_BTF_ID, flags);
  r.btfId = 7;
  r.id = objId;
  s.frames[0]!.regs[6] = r;
  s.activeLock = lock;
  return s;
}

describe('statesEqual with locks and local kptrs', () => {
  test('the held lock is compared through the id mapping', () => {
    expect(statesEqual(withObj(5, 5), withObj(9, 9), 'range')).toBe(true);
    // same lock number, but in the current state the lock belongs to another object than R6
    expect(statesEqual(withObj(5, 5), withObj(9, 5), 'range')).toBe(false);
    expect(statesEqual(withObj(5, 5), withObj(5, 0), 'range')).toBe(false);
  });

  test('a map identity lock must be the same map', () => {
    expect(statesEqual(withObj(5, (1 << 30) + 1), withObj(5, (1 << 30) + 1), 'range')).toBe(true);
    expect(statesEqual(withObj(5, (1 << 30) + 1), withObj(5, (1 << 30) + 2), 'range')).toBe(false);
  });

  test('owning and non-owning refs are never equivalent', () => {
    expect(statesEqual(withObj(5, 0), withObj(5, 0, F.MEM_ALLOC | F.NON_OWN_REF), 'range')).toBe(false);
    expect(statesEqual(withObj(5, 0, F.MEM_ALLOC | F.MAYBE_NULL), withObj(5, 0), 'range')).toBe(false);
  });
});
