/** Scalar part of state equivalence for pruning (verifier-core.md §14.3: `range_within` + `tnum_in`). */
import { tnumIn } from './tnum.js';
import type { Scalar } from './bounds.js';

/** `range_within(old, cur)`: all eight bounds of `cur` lie inside `old`'s. */
export function rangeWithin(old: Scalar, cur: Scalar): boolean {
  return (
    old.umin <= cur.umin &&
    old.umax >= cur.umax &&
    old.smin <= cur.smin &&
    old.smax >= cur.smax &&
    old.u32min <= cur.u32min &&
    old.u32max >= cur.u32max &&
    old.s32min <= cur.s32min &&
    old.s32max >= cur.s32max
  );
}

/**
 * Whether a precise `old` scalar covers `cur` (`range_within && tnum_in`). Ids and the BPF_ADD_CONST delta are
 * compared by the caller.
 */
export function scalarWithin(old: Scalar, cur: Scalar): boolean {
  return rangeWithin(old, cur) && tnumIn(old.varOff, cur.varOff);
}
