/**
 * Readers of lists and red-black trees in a memory image (a DataView over the core's
 * linear memory). They return plain JS data and never trust the image: every address is
 * bounds-checked, links are cross-checked, owners verified, and walks are bounded, so a
 * corrupt image gives a `CollectionsError`, never a hang or a crash.
 */
import { CollectionsError } from './errors.js';
import { FieldKind, checkRange, decodeRecord, type DecodedRecord } from './records.js';

/** What a reader needs to know about a graph root: where the node sits in the element. */
export interface GraphRootInfo {
  /** Byte offset of the `bpf_list_node` / `bpf_rb_node` member in the element struct. */
  readonly nodeOffset: number;
}

export interface ReadOptions {
  /** Most nodes a single list or tree may have (default 1 000 000). */
  readonly limit?: number;
  /** Check every node's owner field (default true). */
  readonly checkOwner?: boolean;
}

const DEFAULT_LIMIT = 1_000_000;
const LIST_NODE_SIZE = 24;
const RB_NODE_SIZE = 32;

function u32Of(view: DataView, addr: number, what: string): number {
  const v = view.getBigUint64(addr, true);
  if (v > 0xffffffffn) throw new CollectionsError('BAD_ADDRESS', `word 0x${v.toString(16)} is not a u32 address`, { addr, what });
  return Number(v);
}

function checkNode(view: DataView, addr: number, size: number, what: string): void {
  if (addr % 8 !== 0) throw new CollectionsError('BAD_ADDRESS', 'node is not 8-byte aligned', { addr, what });
  checkRange(view, addr, size, what);
}

/**
 * The element objects of the list whose `bpf_list_head` is at `headAddr`, front to back.
 * A zero-filled (never initialised) or self-linked head is empty.
 */
export function readList(view: DataView, headAddr: number, info: GraphRootInfo, opts: ReadOptions = {}): number[] {
  return readListNodes(view, headAddr, opts).map((n) => n - info.nodeOffset);
}

/** The `bpf_list_node` member addresses of a list, front to back. */
export function readListNodes(view: DataView, headAddr: number, opts: ReadOptions = {}): number[] {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const checkOwner = opts.checkOwner ?? true;
  checkNode(view, headAddr, 16, 'list head');
  const first = u32Of(view, headAddr, 'list head .next');
  const last = u32Of(view, headAddr + 8, 'list head .prev');
  if (first === 0) {
    if (last !== 0) throw new CollectionsError('BAD_LINK', `head .next is 0 but .prev is 0x${last.toString(16)}`, { addr: headAddr, what: 'list head' });
    return [];
  }
  const out: number[] = [];
  const seen = new Set<number>();
  let prev = headAddr;
  let cur = first;
  while (cur !== headAddr) {
    if (cur === 0) throw new CollectionsError('BAD_LINK', 'NULL .next inside a list', { addr: prev, what: 'list node .next' });
    checkNode(view, cur, LIST_NODE_SIZE, 'list node');
    if (seen.has(cur)) throw new CollectionsError('CYCLE', 'list node met twice', { addr: cur, what: 'list node' });
    if (out.length >= limit) throw new CollectionsError('LIMIT', `more than ${limit} nodes`, { addr: headAddr, what: 'list head' });
    seen.add(cur);
    const p = u32Of(view, cur + 8, 'list node .prev');
    if (p !== prev) {
      throw new CollectionsError('BAD_LINK', `.prev is 0x${p.toString(16)}, expected 0x${prev.toString(16)}`, { addr: cur, what: 'list node .prev' });
    }
    if (checkOwner) {
      const owner = u32Of(view, cur + 16, 'list node .owner');
      if (owner !== headAddr) {
        throw new CollectionsError('BAD_OWNER', `owner is 0x${owner.toString(16)}, expected the head 0x${headAddr.toString(16)}`, { addr: cur, what: 'list node .owner' });
      }
    }
    out.push(cur);
    prev = cur;
    cur = u32Of(view, cur, 'list node .next');
  }
  if (last !== prev) {
    throw new CollectionsError('BAD_LINK', `head .prev is 0x${last.toString(16)}, last node is 0x${prev.toString(16)}`, { addr: headAddr, what: 'list head .prev' });
  }
  return out;
}

export type RbColor = 'red' | 'black';

export interface TreeNode {
  /** Address of the `bpf_rb_node` member. */
  readonly addr: number;
  /** Address of the element object (addr - nodeOffset). */
  readonly obj: number;
  readonly color: RbColor;
  readonly left: TreeNode | null;
  readonly right: TreeNode | null;
}

export interface TreeRead {
  readonly root: TreeNode | null;
  /** Element objects in order (the order `bpf_rbtree_first` + successors visit). */
  readonly inOrder: number[];
  /** Node member addresses in order. */
  readonly nodes: number[];
  /** The root's cached leftmost node address (0 when empty). */
  readonly leftmost: number;
}

/**
 * The red-black tree whose `bpf_rb_root` is at `rootAddr`: a nested structure plus the
 * in-order element list. Checks parent links, owners and the cached leftmost.
 */
export function readTree(view: DataView, rootAddr: number, info: GraphRootInfo, opts: ReadOptions = {}): TreeRead {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const checkOwner = opts.checkOwner ?? true;
  checkNode(view, rootAddr, 16, 'rb root');
  const top = u32Of(view, rootAddr, 'rb root .node');
  const leftmost = u32Of(view, rootAddr + 8, 'rb root .leftmost');
  if (top === 0) {
    if (leftmost !== 0) throw new CollectionsError('BAD_LEFTMOST', 'empty tree with a leftmost node', { addr: rootAddr, what: 'rb root .leftmost' });
    return { root: null, inOrder: [], nodes: [], leftmost: 0 };
  }

  // Pass 1: discover nodes iteratively (no recursion: a corrupt image may be arbitrarily deep).
  interface Raw { addr: number; parent: number; color: RbColor; left: number; right: number }
  const raw = new Map<number, Raw>();
  const stack: { addr: number; parent: number; what: string }[] = [{ addr: top, parent: 0, what: 'rb root .node' }];
  while (stack.length > 0) {
    const { addr, parent, what } = stack.pop()!;
    checkNode(view, addr, RB_NODE_SIZE, what);
    if (raw.has(addr)) throw new CollectionsError('CYCLE', 'rb node met twice', { addr, what });
    if (raw.size >= limit) throw new CollectionsError('LIMIT', `more than ${limit} nodes`, { addr: rootAddr, what: 'rb root' });
    const pc = u32Of(view, addr, 'rb node .parent_color');
    const p = pc - (pc & 3);
    if (p !== parent) {
      throw new CollectionsError('BAD_LINK', `parent is 0x${p.toString(16)}, expected 0x${parent.toString(16)}`, { addr, what: 'rb node .parent_color' });
    }
    if (pc & 2) throw new CollectionsError('BAD_LINK', 'bit 1 of parent_color is set', { addr, what: 'rb node .parent_color' });
    if (checkOwner) {
      const owner = u32Of(view, addr + 24, 'rb node .owner');
      if (owner !== rootAddr) {
        throw new CollectionsError('BAD_OWNER', `owner is 0x${owner.toString(16)}, expected the root 0x${rootAddr.toString(16)}`, { addr, what: 'rb node .owner' });
      }
    }
    const right = u32Of(view, addr + 8, 'rb node .right');
    const left = u32Of(view, addr + 16, 'rb node .left');
    raw.set(addr, { addr, parent, color: pc & 1 ? 'black' : 'red', left, right });
    if (right !== 0) stack.push({ addr: right, parent: addr, what: 'rb node .right' });
    if (left !== 0) stack.push({ addr: left, parent: addr, what: 'rb node .left' });
  }

  // Pass 2: build the nested structure bottom-up and the in-order list, iteratively.
  const built = new Map<number, TreeNode>();
  const post: number[] = [];
  const order: number[] = [];
  {
    // in-order
    const st: number[] = [];
    let cur = top;
    while (cur !== 0 || st.length > 0) {
      while (cur !== 0) { st.push(cur); cur = raw.get(cur)!.left; }
      cur = st.pop()!;
      order.push(cur);
      cur = raw.get(cur)!.right;
    }
    // post-order (reverse of a root-right-left preorder)
    const st2 = [top];
    while (st2.length > 0) {
      const a = st2.pop()!;
      post.push(a);
      const r = raw.get(a)!;
      if (r.left) st2.push(r.left);
      if (r.right) st2.push(r.right);
    }
    post.reverse();
  }
  for (const a of post) {
    const r = raw.get(a)!;
    built.set(a, {
      addr: a, obj: a - info.nodeOffset, color: r.color,
      left: r.left ? built.get(r.left)! : null, right: r.right ? built.get(r.right)! : null,
    });
  }
  if (leftmost !== order[0]) {
    throw new CollectionsError('BAD_LEFTMOST', `leftmost is 0x${leftmost.toString(16)}, first node is 0x${order[0]!.toString(16)}`, { addr: rootAddr, what: 'rb root .leftmost' });
  }
  return { root: built.get(top)!, inOrder: order.map((a) => a - info.nodeOffset), nodes: order, leftmost };
}

/**
 * Red-black rule violations of a tree read with `readTree` (empty = a valid red-black
 * tree): black root, no red node with a red child, the same black height on every path.
 */
export function rbViolations(tree: TreeRead): string[] {
  const out: string[] = [];
  if (!tree.root) return out;
  if (tree.root.color !== 'black') out.push(`root 0x${tree.root.addr.toString(16)} is red`);
  // iterative: black height per node (post-order)
  const height = new Map<TreeNode, number>();
  const st: { n: TreeNode; done: boolean }[] = [{ n: tree.root, done: false }];
  while (st.length > 0) {
    const top = st.pop()!;
    const n = top.n;
    if (!top.done) {
      st.push({ n, done: true });
      if (n.left) st.push({ n: n.left, done: false });
      if (n.right) st.push({ n: n.right, done: false });
      continue;
    }
    if (n.color === 'red') {
      for (const c of [n.left, n.right]) if (c && c.color === 'red') out.push(`red node 0x${n.addr.toString(16)} has red child 0x${c.addr.toString(16)}`);
    }
    const hl = n.left ? height.get(n.left)! : 0;
    const hr = n.right ? height.get(n.right)! : 0;
    if (hl !== hr) out.push(`black heights differ under 0x${n.addr.toString(16)}: left ${hl}, right ${hr}`);
    height.set(n, Math.max(hl, hr) + (n.color === 'black' ? 1 : 0));
  }
  return out;
}

// ---------------- whole objects ----------------

export type GraphField =
  | { readonly kind: 'list'; readonly offset: number; readonly elementRecord: number; readonly nodeOffset: number; readonly elements: GraphObject[] }
  | { readonly kind: 'rbtree'; readonly offset: number; readonly elementRecord: number; readonly nodeOffset: number; readonly tree: TreeNode | null; readonly elements: GraphObject[] }
  | { readonly kind: 'kptr'; readonly offset: number; readonly percpu: boolean; readonly target: number; readonly object: GraphObject | null };

export interface GraphObject {
  readonly addr: number;
  /** Address of the object's record in the image (0 = none). */
  readonly record: number;
  /** Refcount when the record has one. */
  readonly refcount: number | undefined;
  /** Lists, trees and referenced kptrs, by offset. */
  readonly fields: GraphField[];
}

export interface GraphReadOptions extends ReadOptions {
  /** Deepest nesting followed (objects inside elements inside ...; default 8). */
  readonly maxDepth?: number;
  /** Most objects visited overall (default 1 000 000). */
  readonly maxObjects?: number;
}

/**
 * Every list, tree and referenced local kptr of the object at `objAddr` (a map value, a
 * global section or a heap object) described by the encoded record at `recordAddr`,
 * followed recursively into the elements with their own records.
 */
export function readGraph(view: DataView, objAddr: number, recordAddr: number, opts: GraphReadOptions = {}): GraphObject {
  const maxDepth = opts.maxDepth ?? 8;
  let budget = opts.maxObjects ?? DEFAULT_LIMIT;
  const records = new Map<number, DecodedRecord>();
  const rec = (a: number): DecodedRecord => {
    let r = records.get(a);
    if (!r) { r = decodeRecord(view, a); records.set(a, r); }
    return r;
  };
  const visit = (addr: number, recordAddr: number, depth: number): GraphObject => {
    if (depth > maxDepth) throw new CollectionsError('LIMIT', `nesting deeper than ${maxDepth}`, { addr, what: 'object' });
    if (--budget < 0) throw new CollectionsError('LIMIT', 'too many objects', { addr, what: 'object' });
    if (recordAddr === 0) return { addr, record: 0, refcount: undefined, fields: [] };
    const r = rec(recordAddr);
    checkRange(view, addr, r.size, 'object');
    const fields: GraphField[] = [];
    for (const f of r.fields) {
      const at = addr + f.offset;
      if (f.kind === FieldKind.LIST_HEAD) {
        const elements = readList(view, at, { nodeOffset: f.aux2 }, opts).map((o) => visit(o, f.aux, depth + 1));
        fields.push({ kind: 'list', offset: f.offset, elementRecord: f.aux, nodeOffset: f.aux2, elements });
      } else if (f.kind === FieldKind.RB_ROOT) {
        const t = readTree(view, at, { nodeOffset: f.aux2 }, opts);
        fields.push({ kind: 'rbtree', offset: f.offset, elementRecord: f.aux, nodeOffset: f.aux2, tree: t.root, elements: t.inOrder.map((o) => visit(o, f.aux, depth + 1)) });
      } else if (f.kind === FieldKind.KPTR_REF || f.kind === FieldKind.KPTR_PERCPU) {
        const target = u32Of(view, at, 'kptr');
        const follow = target !== 0 && f.aux !== 0 && f.kind === FieldKind.KPTR_REF;
        fields.push({ kind: 'kptr', offset: f.offset, percpu: f.kind === FieldKind.KPTR_PERCPU, target, object: follow ? visit(target, f.aux, depth + 1) : null });
      }
    }
    const refcount = r.refcountOff !== undefined ? view.getUint32(addr + r.refcountOff, true) : undefined;
    return { addr, record: recordAddr, refcount, fields };
  };
  return visit(objAddr, recordAddr, 0);
}
