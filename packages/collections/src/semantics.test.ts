/**
 * Targeted tests of the graph kfunc semantics (graph-collections.md §2.3–2.6) on the
 * AssemblyScript collections, through build/harness.wasm.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { FieldKind as K } from './records.js';
import { rbViolations, readList, readTree, type TreeNode } from './reader.js';
import { loadHarness, type Harness } from './testing/harness.js';

const EINVAL = -22;
let h: Harness;
// refcounted element: key @0, refcount @8, list node @16, rb node @40; 80 bytes
let elemRec: number;
// plain element: key @0, list node @8, rb node @32 (records need not follow BTF rules here); 64 bytes
let plainRec: number;
// holder: lock @0, head @8, root @24, second root @40; 56 bytes
let holderRec: number;
let holder: number;
const head = (): number => holder + 8;
const root = (): number => holder + 24;
const root2 = (): number => holder + 40;

beforeEach(async () => {
  h = await loadHarness();
  elemRec = h.record({
    size: 80, refcountOff: 8,
    fields: [{ kind: K.REFCOUNT, off: 8 }, { kind: K.LIST_NODE, off: 16 }, { kind: K.RB_NODE, off: 40 }],
  });
  plainRec = h.record({ size: 64, fields: [{ kind: K.LIST_NODE, off: 8 }, { kind: K.RB_NODE, off: 32 }] });
  holderRec = h.record({
    size: 56, spinLockOff: 0,
    fields: [
      { kind: K.SPIN_LOCK, off: 0 }, { kind: K.LIST_HEAD, off: 8, aux: elemRec, aux2: 16 },
      { kind: K.RB_ROOT, off: 24, aux: elemRec, aux2: 40 }, { kind: K.RB_ROOT, off: 40, aux: elemRec, aux2: 40 },
    ],
  });
  holder = h.x.staticAlloc(56) >>> 0;
  h.x.setKey(-40, 0);
});

function newElem(key: number): number {
  const o = h.x.objNew(elemRec) >>> 0;
  h.setU64(o, BigInt(key));
  return o;
}

describe('zero-initialised heads and roots', () => {
  it('a zero list head is empty for front/back and pop; pop initialises it, push links into it', () => {
    const x = h.x;
    expect(x.listPeek(head(), 0)).toBe(0);
    expect(x.listPeek(head(), 1)).toBe(0);
    expect(h.u64(head())).toBe(0n); // front/back do not initialise
    expect(readList(h.view, head(), { nodeOffset: 16 })).toEqual([]);
    expect(x.listPop(head(), 0)).toBe(0);
    expect([h.u64(head()), h.u64(head() + 8)]).toEqual([BigInt(head()), BigInt(head())]); // INIT_LIST_HEAD
    const h2 = x.staticAlloc(16) >>> 0; // another zero head, pushed to directly
    const a = newElem(1);
    expect(x.listPush(h2, a + 16, a, elemRec, 1)).toBe(0);
    expect(readList(h.view, h2, { nodeOffset: 16 })).toEqual([a]);
    expect(x.listPeek(h2, 0) >>> 0).toBe(a + 16);
    expect(x.listPeek(h2, 1) >>> 0).toBe(a + 16);
  });

  it('a zero rb root is an empty tree for first/root/remove/left/right', () => {
    const x = h.x;
    const a = newElem(1);
    expect(x.rbFirst(root())).toBe(0);
    expect(x.rbRoot(root())).toBe(0);
    expect(x.rbRemove(root(), a + 40)).toBe(0);
    expect(x.rbLeft(root(), a + 40)).toBe(0);
    expect(x.rbRight(root(), a + 40)).toBe(0);
    expect(readTree(h.view, root(), { nodeOffset: 40 }).root).toBeNull();
    expect(x.rbAdd(root(), a + 40, a, elemRec)).toBe(0);
    expect(x.rbFirst(root()) >>> 0).toBe(a + 40);
    expect(x.rbRoot(root()) >>> 0).toBe(a + 40);
    expect(h.u64(a + 40)).toBe(1n); // parent NULL, black
  });
});

describe('owner checks', () => {
  it('pushing a refcounted node that is already in a list fails with -EINVAL and drops the passed reference', () => {
    const x = h.x;
    const a = newElem(1);
    expect(x.listPush(head(), a + 16, a, elemRec, 0)).toBe(0);
    expect(x.refcountAcquire(a, elemRec) >>> 0).toBe(a);
    expect(h.u32(a + 8)).toBe(2);
    const other = x.staticAlloc(16) >>> 0;
    expect(x.listPush(other, a + 16, a, elemRec, 1)).toBe(EINVAL);
    expect(h.u32(a + 8)).toBe(1); // the passed reference was dropped
    expect(x.isLive(a)).toBe(1);
    expect(readList(h.view, head(), { nodeOffset: 16 })).toEqual([a]);
    expect(readList(h.view, other, { nodeOffset: 16 })).toEqual([]);
    expect(h.u64(a + 32)).toBe(BigInt(head())); // owner unchanged
  });

  it('adding a refcounted node that is already in a tree fails with -EINVAL and drops the passed reference', () => {
    const x = h.x;
    const a = newElem(5);
    const b = newElem(6);
    expect(x.rbAdd(root(), a + 40, a, elemRec)).toBe(0);
    expect(x.rbAdd(root(), b + 40, b, elemRec)).toBe(0);
    x.refcountAcquire(b, elemRec);
    const calls = x.lessCallCount();
    expect(x.rbAdd(root2(), b + 40, b, elemRec)).toBe(EINVAL);
    expect(x.lessCallCount()).toBe(calls); // no descent
    expect(h.u32(b + 8)).toBe(1);
    expect(readTree(h.view, root(), { nodeOffset: 40 }).inOrder).toEqual([a, b]);
    expect(x.rbRoot(root2())).toBe(0);
    // a node in a list may still go into a tree (different node member)
    expect(x.refcountAcquire(a, elemRec) >>> 0).toBe(a);
    expect(x.listPush(head(), a + 16, a, elemRec, 0)).toBe(0);
    expect(h.u32(a + 8)).toBe(2);
  });

  it('the -EINVAL drop frees the object when it held the last reference (stale owner after a drain)', () => {
    const x = h.x;
    const a = newElem(1);
    expect(x.listPush(head(), a + 16, a, elemRec, 0)).toBe(0);
    x.refcountAcquire(a, elemRec); // the program keeps one reference
    x.objFreeFields(holder, holderRec); // the drain drops the list's reference; owner is not reset (Linux)
    expect(h.u32(a + 8)).toBe(1);
    expect(h.u64(a + 32)).toBe(BigInt(head()));
    expect(readList(h.view, head(), { nodeOffset: 16 })).toEqual([]);
    x.freeLogClear();
    expect(x.listPush(head(), a + 16, a, elemRec, 1)).toBe(EINVAL);
    expect(h.freeLog()).toEqual([a]);
    expect(x.liveCount()).toBe(0);
    expect(readList(h.view, head(), { nodeOffset: 16 })).toEqual([]);
  });

  it('remove/left/right through another tree\'s root return NULL and change nothing', () => {
    const x = h.x;
    const els = [5, 3, 8, 1, 4].map((k) => newElem(k));
    for (const e of els) expect(x.rbAdd(root(), e + 40, e, elemRec)).toBe(0);
    const c = newElem(9);
    expect(x.rbAdd(root2(), c + 40, c, elemRec)).toBe(0);
    const before = readTree(h.view, root(), { nodeOffset: 40 });
    for (const e of els) {
      expect(x.rbRemove(root2(), e + 40)).toBe(0);
      expect(x.rbLeft(root2(), e + 40)).toBe(0);
      expect(x.rbRight(root2(), e + 40)).toBe(0);
    }
    expect(x.rbRemove(root(), c + 40)).toBe(0);
    expect(readTree(h.view, root(), { nodeOffset: 40 })).toEqual(before);
    expect(readTree(h.view, root2(), { nodeOffset: 40 }).inOrder).toEqual([c]);
    // a removed node is no longer in any tree: removing it again gives NULL
    expect(x.rbRemove(root(), els[0]! + 40) >>> 0).toBe(els[0]! + 40);
    expect(x.rbRemove(root(), els[0]! + 40)).toBe(0);
    expect(h.u64(els[0]! + 40)).toBe(BigInt(els[0]! + 40)); // RB_CLEAR_NODE
    expect(h.u64(els[0]! + 64)).toBe(0n);
  });

  it('pop returns NULL when the first node is not owned by the head', () => {
    const x = h.x;
    const a = newElem(1);
    expect(x.listPush(head(), a + 16, a, elemRec, 0)).toBe(0);
    h.setU64(a + 32, 0x12345n); // corrupt owner (the kernel WARNs and returns NULL)
    expect(x.listPop(head(), 0)).toBe(0);
    expect(x.listPop(head(), 1)).toBe(0);
    expect(h.u64(head())).toBe(BigInt(a + 16)); // still linked
  });
});

describe('rbtree order and shape', () => {
  it('equal keys go after the existing ones; first is the leftmost', () => {
    const x = h.x;
    const els = [7, 7, 3, 7, 3].map((k) => newElem(k));
    for (const e of els) expect(x.rbAdd(root(), e + 40, e, elemRec)).toBe(0);
    const t = readTree(h.view, root(), { nodeOffset: 40 });
    expect(t.inOrder).toEqual([els[2], els[4], els[0], els[1], els[3]]);
    expect(x.rbFirst(root()) >>> 0).toBe(els[2]! + 40);
  });

  it('ascending inserts 1..10 give the lib/rbtree.c (CLRS) shape', () => {
    const x = h.x;
    const byKey = new Map<number, number>();
    for (let k = 1; k <= 10; k++) {
      const e = newElem(k);
      byKey.set(e + 40, k);
      expect(x.rbAdd(root(), e + 40, e, elemRec)).toBe(0);
    }
    const show = (n: TreeNode | null): string =>
      n ? `${byKey.get(n.addr)}${n.color[0]}${n.left || n.right ? `(${show(n.left)},${show(n.right)})` : ''}` : '-';
    const t = readTree(h.view, root(), { nodeOffset: 40 });
    expect(show(t.root)).toBe('4b(2b(1b,3b),6b(5b,8r(7b,9b(-,10r))))');
    expect(rbViolations(t)).toEqual([]);
    // erase the root (lib/rbtree.c by hand): successor 5 replaces it (case 3), rebalance from 6:
    // red sibling 8 -> left rotate at 6 (case 1), then sibling 7 recoloured red, 6 black (case 2)
    const four = [...byKey].find(([, k]) => k === 4)![0];
    expect(x.rbRemove(root(), four) >>> 0).toBe(four);
    const t2 = readTree(h.view, root(), { nodeOffset: 40 });
    expect(show(t2.root)).toBe('5b(2b(1b,3b),8b(6b(-,7r),9b(-,10r)))');
    expect(rbViolations(t2)).toEqual([]);
  });

  it('less is called with (new node, existing node) along the descent', () => {
    const x = h.x;
    const a = newElem(10);
    const b = newElem(20);
    x.rbAdd(root(), a + 40, a, elemRec);
    const c0 = x.lessCallCount();
    x.rbAdd(root(), b + 40, b, elemRec);
    expect(x.lessCallCount() - c0).toBe(1);
    // a signed comparison shows the key is read relative to the node the harness is given
    x.setKey(-40, 1);
    const n = newElem(0);
    h.setU64(n, 0xffffffffffffffffn); // -1 signed: goes first
    x.rbAdd(root(), n + 40, n, elemRec);
    expect(x.rbFirst(root()) >>> 0).toBe(n + 40);
  });
});

describe('refcounts and drops', () => {
  it('refcount_acquire increments, returns NULL at zero or without a refcount field', () => {
    const x = h.x;
    const a = newElem(1);
    expect(x.refcountAcquire(a, elemRec) >>> 0).toBe(a);
    expect(h.u32(a + 8)).toBe(2);
    x.objDrop(a, elemRec);
    expect(h.u32(a + 8)).toBe(1);
    expect(x.isLive(a)).toBe(1);
    const b = x.objNew(plainRec) >>> 0;
    expect(x.refcountAcquire(b, plainRec)).toBe(0);
    expect(x.refcountAcquire(b, 0)).toBe(0);
    const fake = x.staticAlloc(80) >>> 0; // count 0: being freed
    expect(x.refcountAcquire(fake, elemRec)).toBe(0);
    x.objDrop(a, elemRec);
    expect(x.isLive(a)).toBe(0);
    x.objDrop(b, plainRec);
    expect(x.liveCount()).toBe(0);
    expect(x.badFreeCount()).toBe(0);
  });

  it('bpf_obj_init: whole object zeroed, refcount 1, heads and nodes self-linked, rb node cleared, root zero', () => {
    const x = h.x;
    const rec = h.record({
      size: 104, spinLockOff: 0, refcountOff: 4,
      fields: [
        { kind: K.SPIN_LOCK, off: 0 }, { kind: K.REFCOUNT, off: 4 }, { kind: K.LIST_HEAD, off: 8, aux: elemRec, aux2: 16 },
        { kind: K.LIST_NODE, off: 24 }, { kind: K.RB_ROOT, off: 48, aux: elemRec, aux2: 40 }, { kind: K.RB_NODE, off: 64 },
      ],
    });
    const o = x.staticAlloc(112) >>> 0;
    new Uint8Array(x.memory.buffer, o, 112).fill(0xee);
    x.objInit(o, rec);
    const v = h.view;
    expect(v.getUint32(o, true)).toBe(0);
    expect(v.getUint32(o + 4, true)).toBe(1);
    expect([h.u64(o + 8), h.u64(o + 16)]).toEqual([BigInt(o + 8), BigInt(o + 8)]);
    expect([h.u64(o + 24), h.u64(o + 32), h.u64(o + 40)]).toEqual([BigInt(o + 24), BigInt(o + 24), 0n]);
    expect([h.u64(o + 48), h.u64(o + 56)]).toEqual([0n, 0n]);
    expect([h.u64(o + 64), h.u64(o + 72), h.u64(o + 80), h.u64(o + 88)]).toEqual([BigInt(o + 64), 0n, 0n, 0n]);
    expect(h.u64(o + 96)).toBe(0n); // plain bytes zeroed too
    expect(v.getUint8(o + 104)).toBe(0xee); // beyond size: untouched
    // objInitFields leaves non-special bytes alone
    new Uint8Array(x.memory.buffer, o, 104).fill(0xee);
    x.objInitFields(o, rec);
    expect(v.getUint32(o + 4, true)).toBe(1);
    expect(h.u64(o + 64)).toBe(BigInt(o + 64));
    expect(v.getUint8(o + 96)).toBe(0xee);
  });

  it('kptr fields: local pointees are dropped recursively, kernel pointees and kptr_untrusted only zeroed', () => {
    const x = h.x;
    const leafRec = h.record({ size: 16, fields: [] });
    const rec = h.record({
      size: 40, fields: [
        { kind: K.KPTR_UNREF, off: 0 }, { kind: K.KPTR_REF, off: 8, aux: leafRec }, { kind: K.KPTR_REF, off: 16 },
        { kind: K.KPTR_PERCPU, off: 24, aux: leafRec }, { kind: K.KPTR_REF, off: 32, aux: elemRec },
      ],
    });
    const o = x.objNew(rec) >>> 0;
    const l1 = x.objNew(leafRec) >>> 0;
    const l2 = x.objNew(leafRec) >>> 0;
    const shared = newElem(3);
    x.refcountAcquire(shared, elemRec);
    h.setU64(o, 0x777000n);
    h.setU64(o + 8, BigInt(l1));
    h.setU64(o + 16, 0x888000n); // kernel object: not ours to free
    h.setU64(o + 24, BigInt(l2));
    h.setU64(o + 32, BigInt(shared));
    x.freeLogClear();
    x.objDrop(o, rec);
    expect(h.freeLog()).toEqual([l1, l2, o]); // fields in offset order, then the object
    expect(h.u32(shared + 8)).toBe(1);
    expect(x.liveCount()).toBe(1);
    expect(x.badFreeCount()).toBe(0);
  });

  it('a graph root in a record without a lock is skipped by free-fields (kernel WARN)', () => {
    const x = h.x;
    const rec = h.record({ size: 16, fields: [{ kind: K.LIST_HEAD, off: 0, aux: elemRec, aux2: 16 }] });
    const o = x.objNew(rec) >>> 0;
    const a = newElem(1);
    x.listPush(o, a + 16, a, elemRec, 0);
    x.objFreeFields(o, rec);
    expect(readList(h.view, o, { nodeOffset: 16 })).toEqual([a]);
  });
});

describe('throughput probe', () => {
  it('benchRbtree adds and removes everything it inserts', () => {
    const x = h.x;
    const rec = h.record({ size: 40, fields: [{ kind: K.RB_NODE, off: 8 }] });
    const objs = h.x.staticAlloc(50 * 40) >>> 0;
    expect(x.benchRbtree(root(), objs, 40, 50, 3, rec)).toBe(3 * 50 * 3);
    expect([h.u64(root()), h.u64(root() + 8)]).toEqual([0n, 0n]);
    expect(h.x.liveCount()).toBe(0);
  });
});

describe('drains', () => {
  it('a list drains front to back, a tree in post-order; both are left empty', () => {
    const x = h.x;
    const plainHolderRec = h.record({
      size: 40, spinLockOff: 0,
      fields: [{ kind: K.SPIN_LOCK, off: 0 }, { kind: K.LIST_HEAD, off: 8, aux: plainRec, aux2: 8 }, { kind: K.RB_ROOT, off: 24, aux: plainRec, aux2: 32 }],
    });
    const ho = x.staticAlloc(40) >>> 0;
    x.setKey(-32, 0);
    const inList: number[] = [];
    for (let i = 0; i < 6; i++) {
      const e = x.objNew(plainRec) >>> 0;
      expect(x.listPush(ho + 8, e + 8, e, plainRec, i % 2)).toBe(0);
      if (i % 2) inList.push(e); else inList.unshift(e);
    }
    for (let i = 0; i < 25; i++) {
      const e = x.objNew(plainRec) >>> 0;
      h.setU64(e, BigInt((i * 7) % 25));
      expect(x.rbAdd(ho + 24, e + 32, e, plainRec)).toBe(0);
    }
    expect(readList(h.view, ho + 8, { nodeOffset: 8 })).toEqual(inList);
    const t = readTree(h.view, ho + 24, { nodeOffset: 32 });
    const post: number[] = [];
    const walk = (n: TreeNode | null): void => { if (n) { walk(n.left); walk(n.right); post.push(n.obj); } };
    walk(t.root);
    x.freeLogClear();
    x.objFreeFields(ho, plainHolderRec);
    expect(h.freeLog()).toEqual([...inList, ...post]);
    expect([h.u64(ho + 8), h.u64(ho + 16)]).toEqual([BigInt(ho + 8), BigInt(ho + 8)]);
    expect([h.u64(ho + 24), h.u64(ho + 32)]).toEqual([0n, 0n]);
    expect(x.liveCount()).toBe(0);
    x.flush();
    expect(x.badFreeCount()).toBe(0);
  });
});
