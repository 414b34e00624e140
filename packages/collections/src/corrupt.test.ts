/**
 * Corrupt structures (what an unverified program can leave behind: a node freed while linked, its memory
 * reused and added again) end every walk of the collections with the corruption register set — never a hang.
 * (A vitest timeout cannot interrupt a wasm loop: a regression here shows as a hung run, not a failure.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { FieldKind as K } from './records.js';
import { loadHarness, type Harness } from './testing/harness.js';

const EINVAL = -22;
let h: Harness;
let elemRec: number; // key @0, rb node @8, list node @40; 64 bytes
let rcRec: number; // key @0, refcount @8, list node @16; 40 bytes
let holderRec: number; // lock @0, root @8, head @24; 40 bytes
let holder: number;
const root = (): number => holder + 8;
const head = (): number => holder + 24;

beforeEach(async () => {
  h = await loadHarness();
  elemRec = h.record({ size: 64, fields: [{ kind: K.RB_NODE, off: 8 }, { kind: K.LIST_NODE, off: 40 }] });
  rcRec = h.record({ size: 40, refcountOff: 8, fields: [{ kind: K.REFCOUNT, off: 8 }, { kind: K.LIST_NODE, off: 16 }] });
  holderRec = h.record({
    size: 40, spinLockOff: 0,
    fields: [
      { kind: K.SPIN_LOCK, off: 0 }, { kind: K.RB_ROOT, off: 8, aux: elemRec, aux2: 8 },
      { kind: K.LIST_HEAD, off: 24, aux: rcRec, aux2: 16 },
    ],
  });
  holder = h.x.staticAlloc(40) >>> 0;
  h.x.setKey(-8, 0);
});

function elem(key: number): number {
  const o = h.x.objNew(elemRec) >>> 0;
  h.setU64(o, BigInt(key));
  return o;
}

describe('bounded walks over corrupt structures', () => {
  it('a node re-initialised while linked (freed, reused) and added under itself: later adds stop with -EINVAL', () => {
    const x = h.x;
    const a = elem(5);
    expect(x.rbAdd(root(), a + 8, a, elemRec)).toBe(0);
    x.objInit(a, elemRec); // the object's memory reused by a new bpf_obj_new while still the tree's top node
    h.setU64(a, 5n);
    expect(x.rbAdd(root(), a + 8, a, elemRec)).toBe(0); // linked under itself: a cycle
    const selfRight = h.u64(a + 8 + 8) === BigInt(a + 8);
    const selfLeft = h.u64(a + 8 + 16) === BigInt(a + 8);
    expect(selfLeft || selfRight).toBe(true);
    expect(x.corruptAddr()).toBe(0);
    const b = elem(selfLeft ? 1 : 9); // descends into the self link forever in an unbounded walk
    expect(x.rbAdd(root(), b + 8, b, elemRec)).toBe(EINVAL);
    expect(x.corruptAddr()).toBe(a + 8);
    expect(h.u64(b + 8 + 24)).toBe(0n); // owner back to none: not linked, the caller still owns it
    expect(x.liveCount()).toBe(2); // nothing dropped
    expect(x.lessCallCount()).toBeGreaterThan(64);
    expect(x.lessCallCount()).toBeLessThan(200);
    x.clearCorrupt();
    expect(x.corruptAddr()).toBe(0);
    // first/remove and the drain terminate as well
    x.rbRemove(root(), a + 8);
    x.objFreeFields(holder, holderRec);
    expect(x.corruptAddr()).not.toBe(0);
  });

  it('a list whose chain never returns to its head: the drain stops', () => {
    const x = h.x;
    // refcounted elements with many references: each drop only decrements, so the memory stays readable
    const a = x.objNew(rcRec) >>> 0, b = x.objNew(rcRec) >>> 0;
    h.view.setUint32(a + 8, 1 << 30, true); h.view.setUint32(b + 8, 1 << 30, true);
    expect(x.listPush(head(), a + 16, a, rcRec, 1)).toBe(0);
    expect(x.listPush(head(), b + 16, b, rcRec, 1)).toBe(0);
    h.setU64(b + 16, BigInt(a + 16)); // b.next = a: a cycle that skips the head
    x.objFreeFields(holder, holderRec);
    expect(x.corruptAddr()).not.toBe(0);
  });

  it('a valid tree of 2000 nodes never trips the guard', () => {
    const x = h.x;
    for (let i = 0; i < 2000; i++) {
      const o = elem((i * 7919) % 2003);
      expect(x.rbAdd(root(), o + 8, o, elemRec)).toBe(0);
    }
    for (let i = 0; i < 1000; i++) {
      const n = x.rbRemove(root(), x.rbFirst(root()) >>> 0) >>> 0;
      expect(n).not.toBe(0);
      x.objDrop(n - 8, elemRec);
    }
    x.objFreeFields(holder, holderRec);
    expect(x.corruptAddr()).toBe(0);
    expect(x.liveCount()).toBe(0);
  });
});
