/**
 * State equivalence for pruning (verifier-core.md §14.3). This is the sound,
 * simpler variant of §14.6: every initialised register counts as live and
 * every scalar as precise, so a state is pruned only when each of its values
 * lies within the stored checkpoint's. Ids are compared through a bijection.
 */
import { scalarWithin } from './scalar/index.js';
import { STACK_INVALID, STACK_ITER, STACK_MISC, STACK_SPILL, STACK_ZERO, T, type Frame, type RegState, type VState } from './types.js';

class IdMap {
  private readonly a = new Map<number, number>();
  private readonly b = new Map<number, number>();
  /** old id ↔ cur id must be consistent across the whole comparison. */
  check(o: number, c: number): boolean {
    if (o === 0 && c === 0) return true;
    if (o === 0 || c === 0) return false;
    const x = this.a.get(o);
    const y = this.b.get(c);
    if (x === undefined && y === undefined) {
      this.a.set(o, c);
      this.b.set(c, o);
      return true;
    }
    return x === c && y === o;
  }
}

/**
 * `exact`: field by field (infinite-loop detection); `range`: every scalar of `cur` within `old`'s (RANGE_WITHIN);
 * `notExact`: like `range`, except that a scalar `old` does not need exactly (not in `prec`) matches any scalar.
 */
export type EqualMode = 'range' | 'exact' | 'notExact';

/** Precision keys of the old state (precision.ts `regKey`/`slotKey`), for `notExact`. */
let precOf: ReadonlySet<number> | undefined;
let keyBase = 0;

function regSafe(o: RegState, c: RegState, ids: IdMap, mode: EqualMode, key = -1): boolean {
  if (mode !== 'exact' && o.type === T.NOT_INIT) return true;
  if (o.type !== c.type || o.flags !== c.flags) return false;
  if (o.type === T.NOT_INIT) return true;
  if (mode === 'exact') {
    return (
      o.off === c.off &&
      o.range === c.range &&
      o.map === c.map &&
      o.btfId === c.btfId &&
      o.memSize === c.memSize &&
      o.subprog === c.subprog &&
      o.frameno === c.frameno &&
      o.addConst === c.addConst &&
      sameScalar(o, c) &&
      ids.check(o.id, c.id) &&
      ids.check(o.refObjId, c.refObjId)
    );
  }
  switch (o.type) {
    case T.SCALAR:
      if (mode === 'notExact' && key >= 0 && !precOf?.has(key)) return true;
      return o.addConst === c.addConst && (!o.addConst || o.off === c.off) && scalarWithin(o.s, c.s) && (o.id === 0 || ids.check(o.id, c.id));
    case T.PTR_TO_MAP_VALUE:
    case T.PTR_TO_MAP_KEY:
    case T.PTR_TO_MEM:
    case T.PTR_TO_BUF:
    case T.PTR_TO_TP_BUFFER:
      return (
        o.off === c.off && o.map === c.map && o.memSize === c.memSize && o.btfId === c.btfId && scalarWithin(o.s, c.s) &&
        ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId)
      );
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
      return o.range <= c.range && !(o.range < 0 && o.range !== c.range) && o.off === c.off && scalarWithin(o.s, c.s) && ids.check(o.id, c.id);
    case T.PTR_TO_STACK:
      return o.frameno === c.frameno && o.off === c.off && sameScalar(o, c);
    default:
      return (
        o.off === c.off && o.map === c.map && o.btfId === c.btfId && o.subprog === c.subprog && o.memSize === c.memSize && sameScalar(o, c) &&
        ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId)
      );
  }
}

function sameScalar(o: RegState, c: RegState): boolean {
  const a = o.s;
  const b = c.s;
  return (
    a.varOff.value === b.varOff.value && a.varOff.mask === b.varOff.mask && a.smin === b.smin && a.smax === b.smax &&
    a.umin === b.umin && a.umax === b.umax && a.s32min === b.s32min && a.s32max === b.s32max && a.u32min === b.u32min && a.u32max === b.u32max
  );
}

function stackSafe(o: Frame, c: Frame, ids: IdMap, mode: EqualMode): boolean {
  for (let spi = 0; spi < o.stack.length; spi++) {
    const os = o.stack[spi]!;
    const cs = c.stack[spi];
    for (let j = 0; j < 8; j++) {
      const ob = os.bytes[j]!;
      const cb = cs ? cs.bytes[j]! : STACK_INVALID;
      if (mode === 'exact') {
        if (ob !== cb) return false;
        continue;
      }
      if (ob === STACK_INVALID || ob === STACK_MISC) continue;
      if (!cs) return false;
      if (ob === STACK_ZERO && cb === STACK_ZERO) continue;
      if (ob !== cb) return false;
    }
    if (os.bytes[0] === STACK_ITER && os.iter) {
      // iterators: same state and reference (through the id map); the depth only matters to the infinite-loop test
      if (!cs?.iter || cs.iter.state !== os.iter.state || !ids.check(os.iter.refId, cs.iter.refId)) return false;
      if (mode === 'exact' && cs.iter.depth !== os.iter.depth) return false;
    }
    if (os.bytes[7] === STACK_SPILL) {
      if (!cs || cs.bytes[7] !== STACK_SPILL || !os.spilled || !cs.spilled) return false;
      if (!regSafe(os.spilled, cs.spilled, ids, mode, keyBase + 16 + spi)) return false;
    }
  }
  if (mode === 'exact' && c.stack.length > o.stack.length) {
    for (let spi = o.stack.length; spi < c.stack.length; spi++) if (c.stack[spi]!.bytes.some((b) => b !== STACK_INVALID)) return false;
  }
  return true;
}

/** `activeLock` values below this are register ids (call/locks.ts `lockIdentity`). */
const isLockById = (l: number): boolean => l !== 0 && l < 1 << 29;

/**
 * `live(k)`: registers of frame `k` that may still be read (liveness.ts); a dead register of `old` matches anything
 * (not in `exact` mode). Without it every register counts as live.
 */
export function statesEqual(o: VState, c: VState, mode: EqualMode, prec?: ReadonlySet<number>, live?: (frame: number) => number): boolean {
  precOf = prec;
  try {
    return statesEqualInner(o, c, mode, mode === 'exact' ? undefined : live);
  } finally {
    precOf = undefined;
  }
}

function statesEqualInner(o: VState, c: VState, mode: EqualMode, live?: (frame: number) => number): boolean {
  if (o.frames.length !== c.frames.length) return false;
  if (o.refs.length !== c.refs.length || o.mayGotoDepth !== c.mayGotoDepth && mode === 'exact') return false;
  const ids = new IdMap();
  // the held lock (graph-collections.md §3.9): an allocation id goes through the id mapping, a map/BTF identity must be equal
  if (isLockById(o.activeLock) || isLockById(c.activeLock) ? !ids.check(o.activeLock, c.activeLock) : o.activeLock !== c.activeLock) return false;
  for (let k = 0; k < o.refs.length; k++) if (o.refs[k]!.kind !== c.refs[k]!.kind || !ids.check(o.refs[k]!.id, c.refs[k]!.id)) return false;
  for (let k = 0; k < o.frames.length; k++) {
    const of = o.frames[k]!;
    const cf = c.frames[k]!;
    if (of.callsite !== cf.callsite || of.subprog !== cf.subprog || of.inCallback !== cf.inCallback) return false;
    keyBase = k * 1024;
    const lv = live ? live(k) : 0x7ff;
    for (let i = 0; i < of.regs.length; i++) if (lv & (1 << i) && !regSafe(of.regs[i]!, cf.regs[i]!, ids, mode, keyBase + i)) return false;
    if (!stackSafe(of, cf, ids, mode)) return false;
  }
  return true;
}
