/**
 * Property tests of the AssemblyScript collections (build/harness.wasm) against plain JS
 * models: random sequences of every graph operation, invariants checked after each step.
 */
import { describe, expect, it } from 'vitest';
import { FieldKind as K } from './records.js';
import { rbViolations, readGraph, readList, readTree, type GraphObject, type TreeNode, type TreeRead } from './reader.js';
import { loadHarness, type Harness } from './testing/harness.js';
import { Prng } from './testing/prng.js';

const EINVAL = -22;

/** Cheap assertion for the per-step invariants (vitest's expect is too slow for millions of checks). */
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual === expected) return;
  if (typeof actual === 'object' && JSON.stringify(actual) === JSON.stringify(expected)) return;
  expect(actual, what).toEqual(expected); // fails with a readable diff
}

// ---------------------------------------------------------------------------------------
// 1. Refcounted elements in two lists and two trees of one holder (a map value).
// elem: key u64 @0, bpf_refcount @8, bpf_list_node @16, bpf_rb_node @40; 80 bytes
// holder: bpf_spin_lock @0, heads A @8, B @24, roots T1 @40, T2 @56; 72 bytes
// ---------------------------------------------------------------------------------------
const E_REF = 8;
const E_LNODE = 16;
const E_RBNODE = 40;

type ListName = 'A' | 'B';
type TreeName = 'T1' | 'T2';
interface MObj {
  addr: number;
  key: bigint;
  rc: number;
  list: ListName | null;
  listStale: boolean;
  tree: TreeName | null;
  treeStale: boolean;
}

function postorder(n: TreeNode | null, out: number[] = []): number[] {
  // iterative post-order of the reader's nested structure
  if (!n) return out;
  const st: [TreeNode, boolean][] = [[n, false]];
  while (st.length) {
    const [t, done] = st.pop()!;
    if (done) { out.push(t.obj); continue; }
    st.push([t, true]);
    if (t.right) st.push([t.right, false]);
    if (t.left) st.push([t.left, false]);
  }
  return out;
}

function nodeIndex(t: TreeRead): Map<number, TreeNode> {
  const m = new Map<number, TreeNode>();
  const st = t.root ? [t.root] : [];
  while (st.length) {
    const n = st.pop()!;
    m.set(n.addr, n);
    if (n.left) st.push(n.left);
    if (n.right) st.push(n.right);
  }
  return m;
}

interface RunStats { steps: number; checks: number; maxList: number; maxTree: number; einval: number; drains: number; removeMiss: number }

function runRefcounted(h: Harness, seed: number, steps: number): RunStats {
  const x = h.x;
  const rnd = new Prng(seed);
  const elemRec = h.record({
    size: 80, refcountOff: E_REF,
    fields: [{ kind: K.REFCOUNT, off: E_REF }, { kind: K.LIST_NODE, off: E_LNODE }, { kind: K.RB_NODE, off: E_RBNODE }],
  });
  const holderRec = h.record({
    size: 72, spinLockOff: 0,
    fields: [
      { kind: K.SPIN_LOCK, off: 0 },
      { kind: K.LIST_HEAD, off: 8, aux: elemRec, aux2: E_LNODE },
      { kind: K.LIST_HEAD, off: 24, aux: elemRec, aux2: E_LNODE },
      { kind: K.RB_ROOT, off: 40, aux: elemRec, aux2: E_RBNODE },
      { kind: K.RB_ROOT, off: 56, aux: elemRec, aux2: E_RBNODE },
    ],
  });
  const holder = x.staticAlloc(72) >>> 0; // zero-filled like a fresh map value
  const heads: Record<ListName, number> = { A: holder + 8, B: holder + 24 };
  const roots: Record<TreeName, number> = { T1: holder + 40, T2: holder + 56 };
  x.setKey(-E_RBNODE, 0);

  const lists: Record<ListName, MObj[]> = { A: [], B: [] };
  const trees: Record<TreeName, MObj[]> = { T1: [], T2: [] };
  const held: MObj[] = [];
  const live = new Set<MObj>();
  const stats: RunStats = { steps: 0, checks: 0, maxList: 0, maxTree: 0, einval: 0, drains: 0, removeMiss: 0 };

  const newObj = (): MObj => {
    const addr = x.objNew(elemRec) >>> 0;
    expect(addr).not.toBe(0);
    const key = BigInt(rnd.int(40));
    h.setU64(addr, key);
    const o: MObj = { addr, key, rc: 1, list: null, listStale: false, tree: null, treeStale: false };
    live.add(o);
    held.push(o);
    return o;
  };
  const takeHeld = (): MObj => {
    if (held.length === 0) newObj();
    return held.splice(rnd.int(held.length), 1)[0]!;
  };
  const dropModel = (o: MObj): void => {
    o.rc--;
    expect(o.rc).toBeGreaterThanOrEqual(0);
    if (o.rc === 0) live.delete(o);
  };
  const randomLive = (): MObj | undefined => {
    if (live.size === 0) return undefined;
    const arr = [...live];
    return arr[rnd.int(arr.length)];
  };
  const insertSorted = (arr: MObj[], o: MObj): void => {
    // equal keys go after the existing ones (bpf_rbtree_add descends right on !less)
    let i = 0;
    while (i < arr.length && arr[i]!.key <= o.key) i++;
    arr.splice(i, 0, o);
  };

  const check = (): void => {
    const v = h.view;
    for (const n of ['A', 'B'] as const) {
      same(readList(v, heads[n], { nodeOffset: E_LNODE }), lists[n].map((o) => o.addr), `list ${n}`);
      stats.maxList = Math.max(stats.maxList, lists[n].length);
    }
    for (const n of ['T1', 'T2'] as const) {
      const t = readTree(v, roots[n], { nodeOffset: E_RBNODE }); // parent links, owners, leftmost
      same(rbViolations(t), [], `red-black rules of ${n}`);
      same(t.inOrder, trees[n].map((o) => o.addr), `in-order of ${n}`);
      for (let i = 1; i < t.inOrder.length; i++) same(h.u64(t.inOrder[i - 1]!) <= h.u64(t.inOrder[i]!), true, `${n} sorted`);
      same(x.rbFirst(roots[n]) >>> 0, t.nodes[0] ?? 0, `first of ${n}`);
      same(x.rbRoot(roots[n]) >>> 0, t.root?.addr ?? 0, `root of ${n}`);
      stats.maxTree = Math.max(stats.maxTree, trees[n].length);
    }
    for (const o of live) {
      same(h.u32(o.addr + E_REF), o.rc, 'refcount');
      const ln = o.addr + E_LNODE;
      const rn = o.addr + E_RBNODE;
      if (o.list === null) {
        same(h.u64(ln + 16), 0n, 'list owner'); // owner
        same(h.u64(ln) === BigInt(ln) && h.u64(ln + 8) === BigInt(ln), true, 'list node self-linked');
      } else {
        same(h.u64(ln + 16), BigInt(heads[o.list]), 'list owner'); // also when stale (Linux does not reset it)
      }
      if (o.tree === null) {
        same(h.u64(rn + 24), 0n, 'rb owner');
        same(h.u64(rn), BigInt(rn), 'rb node cleared'); // RB_CLEAR_NODE
      } else {
        same(h.u64(rn + 24), BigInt(roots[o.tree]), 'rb owner');
      }
    }
    same(x.liveCount(), live.size, 'live allocations');
    same(x.badFreeCount(), 0, 'bad frees');
    stats.checks++;
  };

  const ops: [number, () => void][] = [
    [6, () => { newObj(); }],
    [10, () => { // push front/back
      const n = rnd.pick(['A', 'B'] as const);
      const back = rnd.int(2);
      const o = takeHeld();
      const r = x.listPush(heads[n], o.addr + E_LNODE, o.addr, elemRec, back);
      if (o.list !== null) { expect(r).toBe(EINVAL); dropModel(o); stats.einval++; } else {
        expect(r).toBe(0);
        o.list = n;
        if (back) lists[n].push(o); else lists[n].unshift(o);
      }
    }],
    [6, () => { // pop front/back
      const n = rnd.pick(['A', 'B'] as const);
      const back = rnd.int(2);
      const r = x.listPop(heads[n], back) >>> 0;
      const arr = lists[n];
      if (arr.length === 0) { expect(r).toBe(0); return; }
      const o = back ? arr.pop()! : arr.shift()!;
      expect(r).toBe(o.addr + E_LNODE);
      o.list = null;
      held.push(o);
    }],
    [3, () => { // front/back
      const n = rnd.pick(['A', 'B'] as const);
      const back = rnd.int(2);
      const arr = lists[n];
      const want = arr.length === 0 ? 0 : (back ? arr[arr.length - 1]! : arr[0]!).addr + E_LNODE;
      expect(x.listPeek(heads[n], back) >>> 0).toBe(want);
    }],
    [10, () => { // rbtree_add
      const n = rnd.pick(['T1', 'T2'] as const);
      const o = takeHeld();
      const r = x.rbAdd(roots[n], o.addr + E_RBNODE, o.addr, elemRec);
      if (o.tree !== null) { expect(r).toBe(EINVAL); dropModel(o); stats.einval++; } else {
        expect(r).toBe(0);
        o.tree = n;
        insertSorted(trees[n], o);
      }
    }],
    [6, () => { // rbtree_remove of any live node (maybe in the other tree, or in none)
      const n = rnd.pick(['T1', 'T2'] as const);
      const o = randomLive();
      if (!o || (o.tree === n && o.treeStale)) return; // stale owner: Linux would erase a detached node
      const r = x.rbRemove(roots[n], o.addr + E_RBNODE) >>> 0;
      if (o.tree !== n) { expect(r).toBe(0); stats.removeMiss++; return; }
      expect(r).toBe(o.addr + E_RBNODE);
      trees[n].splice(trees[n].indexOf(o), 1);
      o.tree = null;
      held.push(o);
    }],
    [3, () => { // rbtree_first / root / left / right
      const n = rnd.pick(['T1', 'T2'] as const);
      expect(x.rbFirst(roots[n]) >>> 0).toBe(trees[n].length ? trees[n][0]!.addr + E_RBNODE : 0);
      const o = randomLive();
      if (!o || (o.tree === n && o.treeStale)) return;
      const node = o.addr + E_RBNODE;
      const l = x.rbLeft(roots[n], node) >>> 0;
      const r = x.rbRight(roots[n], node) >>> 0;
      if (o.tree !== n) { expect([l, r]).toEqual([0, 0]); return; }
      const t = nodeIndex(readTree(h.view, roots[n], { nodeOffset: E_RBNODE })).get(node)!;
      expect([l, r]).toEqual([t.left?.addr ?? 0, t.right?.addr ?? 0]);
    }],
    [4, () => { // refcount_acquire of a held reference
      if (held.length === 0) return;
      const o = rnd.pick(held);
      expect(x.refcountAcquire(o.addr, elemRec) >>> 0).toBe(o.addr);
      o.rc++;
      held.push(o);
    }],
    [9, () => { // drop a held reference
      if (held.length === 0) return;
      const o = takeHeld();
      x.objDrop(o.addr, elemRec);
      dropModel(o);
    }],
    [0.15, () => { // drain the holder (map value update): lists forward, trees post-order
      const v = h.view;
      const expectedFreeOrder: number[] = [];
      const byAddr = new Map([...live].map((m) => [m.addr, m] as const));
      const dropInOrder = (objs: number[]): void => {
        for (const a of objs) {
          const o = byAddr.get(a)!;
          if (o.rc === 1) expectedFreeOrder.push(a);
          dropModel(o);
        }
      };
      const order: number[][] = [
        lists.A.map((o) => o.addr), lists.B.map((o) => o.addr),
        postorder(readTree(v, roots.T1, { nodeOffset: E_RBNODE }).root),
        postorder(readTree(v, roots.T2, { nodeOffset: E_RBNODE }).root),
      ];
      for (const n of ['A', 'B'] as const) { for (const o of lists[n]) o.listStale = true; lists[n] = []; }
      for (const n of ['T1', 'T2'] as const) { for (const o of trees[n]) o.treeStale = true; trees[n] = []; }
      x.freeLogClear();
      x.objFreeFields(holder, holderRec);
      for (const objs of order) dropInOrder(objs);
      expect(h.freeLog()).toEqual(expectedFreeOrder);
      stats.drains++;
    }],
    [0.5, () => { x.flush(); }],
  ];
  const weights = ops.map(([w]) => w);

  const GROW = new Set([0, 1, 4]); // new, push, add
  for (let i = 0; i < steps; i++) {
    let op = rnd.weighted(weights);
    if (live.size > 160 && GROW.has(op)) op = 8; // keep the population bounded: drop instead
    ops[op]![1]();
    stats.steps++;
    check();
  }

  // teardown: everything held is dropped, the holder drained -> nothing left
  if (seed % 2) {
    while (held.length) { const o = held.pop()!; x.objDrop(o.addr, elemRec); dropModel(o); }
    x.objFreeFields(holder, holderRec);
  } else {
    x.objFreeFields(holder, holderRec);
    while (held.length) { const o = held.pop()!; x.objDrop(o.addr, elemRec); }
  }
  x.flush();
  expect(x.liveCount()).toBe(0);
  expect(x.liveByteCount()).toBe(0);
  expect(x.badFreeCount()).toBe(0);
  return stats;
}

describe('refcounted elements in lists and trees (random sequences vs a JS model)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: 4000 steps, invariants after every step`, { timeout: 60_000 }, async () => {
      const h = await loadHarness();
      const s = runRefcounted(h, seed, 4000);
      if (process.env["COLLECTIONS_STATS"]) console.log(JSON.stringify(s));
      expect(s.checks).toBe(4000);
      // the sequence actually exercised the interesting paths
      expect(s.einval).toBeGreaterThan(0);
      expect(s.removeMiss).toBeGreaterThan(0);
      expect(s.maxTree).toBeGreaterThan(8);
    });
  }
});

// ---------------------------------------------------------------------------------------
// 2. Nested ownership, no refcounts: holder -> list of outers and a kptr to an outer;
//    each outer owns a list of leaves, a tree of tleaves and a kptr to a leaf.
// leaf: key @0, bpf_list_node @8; 32 bytes         tleaf: key @0, bpf_rb_node @8; 40 bytes
// outer: key @0, bpf_list_node @8, lock @32, head @40 (leaf), root @56 (tleaf), kptr @72 (leaf); 80
// holder: lock @0, head @8 (outer), kptr @24 (outer), kptr_untrusted @32; 40 bytes
// ---------------------------------------------------------------------------------------
interface MLeaf { kind: 'leaf' | 'tleaf'; addr: number; key: bigint }
interface MOuter { kind: 'outer'; addr: number; key: bigint; leaves: MLeaf[]; tleaves: MLeaf[]; kptr: MLeaf | null }
type MAny = MLeaf | MOuter;

function countObjects(g: GraphObject): number {
  let n = 1;
  for (const f of g.fields) {
    if (f.kind === 'kptr') n += f.object ? countObjects(f.object) : 0;
    else for (const e of f.elements) n += countObjects(e);
  }
  return n;
}

function runNested(h: Harness, seed: number, steps: number): { steps: number; maxObjects: number } {
  const x = h.x;
  const rnd = new Prng(seed);
  const leafRec = h.record({ size: 32, fields: [{ kind: K.LIST_NODE, off: 8 }] });
  const tleafRec = h.record({ size: 40, fields: [{ kind: K.RB_NODE, off: 8 }] });
  const outerRec = h.record({
    size: 80, spinLockOff: 32,
    fields: [
      { kind: K.LIST_NODE, off: 8 }, { kind: K.SPIN_LOCK, off: 32 },
      { kind: K.LIST_HEAD, off: 40, aux: leafRec, aux2: 8 }, { kind: K.RB_ROOT, off: 56, aux: tleafRec, aux2: 8 },
      { kind: K.KPTR_REF, off: 72, aux: leafRec },
    ],
  });
  const holderRec = h.record({
    size: 40, spinLockOff: 0,
    fields: [
      { kind: K.SPIN_LOCK, off: 0 }, { kind: K.LIST_HEAD, off: 8, aux: outerRec, aux2: 8 },
      { kind: K.KPTR_REF, off: 24, aux: outerRec }, { kind: K.KPTR_UNREF, off: 32 },
    ],
  });
  const recOf = { leaf: leafRec, tleaf: tleafRec, outer: outerRec };
  const holder = x.staticAlloc(40) >>> 0;
  x.setKey(-8, 0);

  let hList: MOuter[] = [];
  let hKptr: MOuter | null = null;
  const held: MAny[] = [];
  let maxObjects = 0;

  const mk = (kind: MAny['kind']): MAny => {
    const addr = x.objNew(recOf[kind]) >>> 0;
    const key = BigInt(rnd.int(30));
    h.setU64(addr, key);
    const o: MAny = kind === 'outer' ? { kind, addr, key, leaves: [], tleaves: [], kptr: null } : { kind, addr, key };
    held.push(o);
    return o;
  };
  const takeHeld = <T extends MAny['kind']>(kind: T): Extract<MAny, { kind: T }> => {
    const idx = held.map((o, i) => (o.kind === kind ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) mk(kind);
    const i = idx.length ? rnd.pick(idx) : held.length - 1;
    return held.splice(i, 1)[0] as Extract<MAny, { kind: T }>;
  };
  const outers = (): MOuter[] => {
    const all: MOuter[] = [...hList, ...(hKptr ? [hKptr] : [])];
    for (const o of held) if (o.kind === 'outer') all.push(o);
    return all;
  };
  const modelCount = (o: MAny): number => (o.kind === 'outer' ? 1 + o.leaves.length + o.tleaves.length + (o.kptr ? 1 : 0) : 1);
  const xchg = (slot: number, v: number): number => {
    const old = Number(h.u64(slot));
    h.setU64(slot, BigInt(v));
    return old;
  };

  const check = (): void => {
    const g = readGraph(h.view, holder, holderRec);
    const [lf, kf] = [g.fields[0]!, g.fields[1]!];
    if (lf.kind !== 'list' || kf.kind !== 'kptr') throw new Error('unexpected holder fields');
    const shape = (o: GraphObject): unknown => {
      const [l, t, k] = o.fields;
      if (l?.kind !== 'list' || t?.kind !== 'rbtree' || k?.kind !== 'kptr') throw new Error('unexpected outer fields');
      return { addr: o.addr, leaves: l.elements.map((e) => e.addr), tleaves: t.elements.map((e) => e.addr), kptr: k.target };
    };
    const mshape = (o: MOuter): unknown => ({ addr: o.addr, leaves: o.leaves.map((e) => e.addr), tleaves: o.tleaves.map((e) => e.addr), kptr: o.kptr?.addr ?? 0 });
    same(lf.elements.map(shape), hList.map(mshape), 'holder list');
    same(kf.object ? shape(kf.object) : null, hKptr ? mshape(hKptr) : null, 'holder kptr');
    for (const o of held) if (o.kind === 'outer') same(shape(readGraph(h.view, o.addr, outerRec)), mshape(o), 'held outer');
    // trees inside outers are valid red-black trees
    for (const o of outers()) same(rbViolations(readTree(h.view, o.addr + 56, { nodeOffset: 8 })), [], 'outer tree');
    let reachable = countObjects(g) - 1;
    for (const o of held) reachable += o.kind === 'outer' ? countObjects(readGraph(h.view, o.addr, outerRec)) : 1;
    let model = hList.reduce((s, o) => s + modelCount(o), 0) + (hKptr ? modelCount(hKptr) : 0);
    for (const o of held) model += modelCount(o);
    same(reachable, model, 'reachable objects');
    same(x.liveCount(), model, 'live allocations');
    same(x.badFreeCount(), 0, 'bad frees');
    maxObjects = Math.max(maxObjects, model);
  };

  const ops: [number, () => void][] = [
    [4, () => { mk(rnd.pick(['outer', 'leaf', 'tleaf'] as const)); }],
    [5, () => {
      const o = takeHeld('outer');
      const back = rnd.int(2);
      expect(x.listPush(holder + 8, o.addr + 8, o.addr, outerRec, back)).toBe(0);
      if (back) hList.push(o); else hList.unshift(o);
    }],
    [3, () => {
      const back = rnd.int(2);
      const r = x.listPop(holder + 8, back) >>> 0;
      if (!hList.length) { expect(r).toBe(0); return; }
      const o = back ? hList.pop()! : hList.shift()!;
      expect(r).toBe(o.addr + 8);
      held.push(o);
    }],
    [2, () => { // kptr_xchg into the holder
      const o = rnd.int(3) ? takeHeld('outer') : null;
      const old = xchg(holder + 24, o?.addr ?? 0);
      expect(old).toBe(hKptr?.addr ?? 0);
      if (hKptr) held.push(hKptr);
      hKptr = o;
    }],
    [8, () => { // push a leaf into some outer's list
      const outs = outers();
      if (!outs.length) return;
      const t = rnd.pick(outs);
      const l = takeHeld('leaf');
      const back = rnd.int(2);
      expect(x.listPush(t.addr + 40, l.addr + 8, l.addr, leafRec, back)).toBe(0);
      if (back) t.leaves.push(l); else t.leaves.unshift(l);
    }],
    [4, () => {
      const outs = outers();
      if (!outs.length) return;
      const t = rnd.pick(outs);
      const back = rnd.int(2);
      const r = x.listPop(t.addr + 40, back) >>> 0;
      if (!t.leaves.length) { expect(r).toBe(0); return; }
      const l = back ? t.leaves.pop()! : t.leaves.shift()!;
      expect(r).toBe(l.addr + 8);
      held.push(l);
    }],
    [8, () => { // add a tleaf to some outer's tree
      const outs = outers();
      if (!outs.length) return;
      const t = rnd.pick(outs);
      const l = takeHeld('tleaf');
      expect(x.rbAdd(t.addr + 56, l.addr + 8, l.addr, tleafRec)).toBe(0);
      let i = 0;
      while (i < t.tleaves.length && t.tleaves[i]!.key <= l.key) i++;
      t.tleaves.splice(i, 0, l);
    }],
    [4, () => { // remove a tleaf, sometimes through the wrong outer's root
      const outs = outers().filter((o) => o.tleaves.length);
      if (!outs.length) return;
      const t = rnd.pick(outs);
      const l = rnd.pick(t.tleaves);
      const wrong = rnd.pick(outers());
      const r = x.rbRemove(wrong.addr + 56, l.addr + 8) >>> 0;
      if (wrong !== t) { expect(r).toBe(0); return; }
      expect(r).toBe(l.addr + 8);
      t.tleaves.splice(t.tleaves.indexOf(l), 1);
      held.push(l);
    }],
    [2, () => { // kptr_xchg into an outer
      const outs = outers();
      if (!outs.length) return;
      const t = rnd.pick(outs);
      const l = rnd.int(2) ? takeHeld('leaf') : null;
      const old = xchg(t.addr + 72, l?.addr ?? 0);
      expect(old).toBe(t.kptr?.addr ?? 0);
      if (t.kptr) held.push(t.kptr);
      t.kptr = l;
    }],
    [7, () => { // drop anything held: recursive teardown
      if (!held.length) return;
      const o = held.splice(rnd.int(held.length), 1)[0]!;
      x.objDrop(o.addr, recOf[o.kind]);
    }],
    [1, () => { // free the fields of a held outer (it stays allocated, emptied)
      const o = held.find((m): m is MOuter => m.kind === 'outer');
      if (!o) return;
      x.objFreeFields(o.addr, outerRec);
      o.leaves = []; o.tleaves = []; o.kptr = null;
    }],
    [0.2, () => { x.objFreeFields(holder, holderRec); hList = []; hKptr = null; }],
    [0.5, () => { x.flush(); }],
  ];
  const weights = ops.map(([w]) => w);
  for (let i = 0; i < steps; i++) {
    let op = rnd.weighted(weights);
    if (x.liveCount() > 200 && op !== 12) op = 9; // bounded: drop instead of growing
    ops[op]![1]();
    check();
  }
  x.objFreeFields(holder, holderRec);
  while (held.length) { const o = held.pop()!; x.objDrop(o.addr, recOf[o.kind]); }
  x.flush();
  expect(x.liveCount()).toBe(0);
  expect(x.badFreeCount()).toBe(0);
  return { steps, maxObjects };
}

describe('nested lists, trees and kptrs inside dropped objects (random sequences)', () => {
  for (const seed of [11, 12, 13, 14]) {
    it(`seed ${seed}: 2500 steps, accounting = reachable objects after every step`, { timeout: 60_000 }, async () => {
      const h = await loadHarness();
      const s = runNested(h, seed, 2500);
      if (process.env["COLLECTIONS_STATS"]) console.log(JSON.stringify(s));
      expect(s.maxObjects).toBeGreaterThan(20);
    });
  }
});
