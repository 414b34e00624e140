// Red-black tree: a port of Linux lib/rbtree.c (__rb_insert, ____rb_erase_color,
// rb_next, postorder walk) and include/linux/rbtree_augmented.h (__rb_erase_augmented
// with the dummy callbacks), plus the bpf_rbtree_* kfunc semantics of
// kernel/bpf/helpers.c.
//
// bpf_rb_root (16 bytes): node (top), leftmost (cached first); all zero = empty.
// bpf_rb_node (32 bytes): parent_color (parent | colour bit 0: 0 red, 1 black;
//                         "cleared" = points to itself), right, left, owner.
// Every word is u64 holding a u32 address.
import { objDropImpl as objDrop } from './objects';
import { EINVAL, OWNER_POISON } from './list';
import { FreeFn, LessFn } from './index';
import { RB_MAX_DEPTH, MAX_WALK, setCorrupt } from './guard';

const RB_RED: u32 = 0;
const RB_BLACK: u32 = 1;

// ---- word accessors ----
// @ts-ignore: decorator
@inline export function rbPc(n: u32): u32 { return <u32>load<u64>(n, 0); }
// @ts-ignore: decorator
@inline function setPc(n: u32, v: u32): void { store<u64>(n, <u64>v, 0); }
// @ts-ignore: decorator
@inline export function rbRightOf(n: u32): u32 { return <u32>load<u64>(n, 8); }
// @ts-ignore: decorator
@inline function setRight(n: u32, v: u32): void { store<u64>(n, <u64>v, 8); }
// @ts-ignore: decorator
@inline export function rbLeftOf(n: u32): u32 { return <u32>load<u64>(n, 16); }
// @ts-ignore: decorator
@inline function setLeft(n: u32, v: u32): void { store<u64>(n, <u64>v, 16); }
// @ts-ignore: decorator
@inline export function rbOwner(n: u32): u32 { return <u32>load<u64>(n, 24); }
// @ts-ignore: decorator
@inline function setOwner(n: u32, v: u32): void { store<u64>(n, <u64>v, 24); }
// @ts-ignore: decorator
@inline export function rootNode(r: u32): u32 { return <u32>load<u64>(r, 0); }
// @ts-ignore: decorator
@inline function setRootNode(r: u32, v: u32): void { store<u64>(r, <u64>v, 0); }
// @ts-ignore: decorator
@inline export function rootLeftmost(r: u32): u32 { return <u32>load<u64>(r, 8); }
// @ts-ignore: decorator
@inline function setRootLeftmost(r: u32, v: u32): void { store<u64>(r, <u64>v, 8); }

// ---- rbtree.h / rbtree_augmented.h helpers ----
// @ts-ignore: decorator
@inline export function rbParent(n: u32): u32 { return rbPc(n) & ~3; }
// @ts-ignore: decorator
@inline function rbIsBlack(n: u32): bool { return (rbPc(n) & 1) != 0; }
// @ts-ignore: decorator
@inline function rbIsRed(n: u32): bool { return (rbPc(n) & 1) == 0; }
/** rb_red_parent: the parent of a red node (colour bit is 0). */
// @ts-ignore: decorator
@inline function rbRedParent(n: u32): u32 { return rbPc(n); }
// @ts-ignore: decorator
@inline function rbSetBlack(n: u32): void { setPc(n, rbPc(n) + RB_BLACK); }
// @ts-ignore: decorator
@inline function rbSetParent(n: u32, p: u32): void { setPc(n, (rbPc(n) & 1) + p); }
// @ts-ignore: decorator
@inline function rbSetParentColor(n: u32, p: u32, color: u32): void { setPc(n, p + color); }
// @ts-ignore: decorator
@inline export function rbEmptyNode(n: u32): bool { return rbPc(n) == n; }
// @ts-ignore: decorator
@inline function rbClearNode(n: u32): void { setPc(n, n); }

// @ts-ignore: decorator
@inline function changeChild(old: u32, nw: u32, parent: u32, root: u32): void {
  if (parent != 0) {
    if (rbLeftOf(parent) == old) setLeft(parent, nw);
    else setRight(parent, nw);
  } else {
    setRootNode(root, nw);
  }
}

/** __rb_rotate_set_parents: old's parent and colour go to new; old gets new as parent and `color`. */
// @ts-ignore: decorator
@inline function rotateSetParents(old: u32, nw: u32, root: u32, color: u32): void {
  const parent = rbParent(old);
  setPc(nw, rbPc(old));
  rbSetParentColor(old, nw, color);
  changeChild(old, nw, parent, root);
}

/** __rb_insert (rb_insert_color). */
function rbInsertColor(node: u32, root: u32): void {
  let parent = rbRedParent(node);
  let gparent: u32, tmp: u32;
  let steps: u32 = 0;
  while (true) {
    // each case-1 iteration moves two levels up: more than RB_MAX_DEPTH of them means a cycle
    if (++steps > RB_MAX_DEPTH) { setCorrupt(node); break; }
    // Loop invariant: node is red.
    if (parent == 0) {
      rbSetParentColor(node, 0, RB_BLACK);
      break;
    }
    if (rbIsBlack(parent)) break;
    gparent = rbRedParent(parent);
    tmp = rbRightOf(gparent);
    if (parent != tmp) { // parent == gparent->rb_left
      if (tmp != 0 && rbIsRed(tmp)) {
        // Case 1 - node's uncle is red (color flips).
        rbSetParentColor(tmp, gparent, RB_BLACK);
        rbSetParentColor(parent, gparent, RB_BLACK);
        node = gparent;
        parent = rbParent(node);
        rbSetParentColor(node, parent, RB_RED);
        continue;
      }
      tmp = rbRightOf(parent);
      if (node == tmp) {
        // Case 2 - left rotate at parent.
        tmp = rbLeftOf(node);
        setRight(parent, tmp);
        setLeft(node, parent);
        if (tmp != 0) rbSetParentColor(tmp, parent, RB_BLACK);
        rbSetParentColor(parent, node, RB_RED);
        parent = node;
        tmp = rbRightOf(node);
      }
      // Case 3 - right rotate at gparent.
      setLeft(gparent, tmp); // == parent->rb_right
      setRight(parent, gparent);
      if (tmp != 0) rbSetParentColor(tmp, gparent, RB_BLACK);
      rotateSetParents(gparent, parent, root, RB_RED);
      break;
    } else {
      tmp = rbLeftOf(gparent);
      if (tmp != 0 && rbIsRed(tmp)) {
        // Case 1 - color flips.
        rbSetParentColor(tmp, gparent, RB_BLACK);
        rbSetParentColor(parent, gparent, RB_BLACK);
        node = gparent;
        parent = rbParent(node);
        rbSetParentColor(node, parent, RB_RED);
        continue;
      }
      tmp = rbLeftOf(parent);
      if (node == tmp) {
        // Case 2 - right rotate at parent.
        tmp = rbRightOf(node);
        setLeft(parent, tmp);
        setRight(node, parent);
        if (tmp != 0) rbSetParentColor(tmp, parent, RB_BLACK);
        rbSetParentColor(parent, node, RB_RED);
        parent = node;
        tmp = rbLeftOf(node);
      }
      // Case 3 - left rotate at gparent.
      setRight(gparent, tmp); // == parent->rb_left
      setLeft(parent, gparent);
      if (tmp != 0) rbSetParentColor(tmp, gparent, RB_BLACK);
      rotateSetParents(gparent, parent, root, RB_RED);
      break;
    }
  }
}

/** ____rb_erase_color. */
function rbEraseColor(parent: u32, root: u32): void {
  let node: u32 = 0;
  let sibling: u32, tmp1: u32, tmp2: u32;
  let steps: u32 = 0;
  while (true) {
    if (++steps > RB_MAX_DEPTH) { setCorrupt(parent); break; }
    // Loop invariants: node is black (or NULL on first iteration); node is not the
    // root (parent is not NULL); paths through parent and node are one black short.
    sibling = rbRightOf(parent);
    if (node != sibling) { // node == parent->rb_left
      if (rbIsRed(sibling)) {
        // Case 1 - left rotate at parent.
        tmp1 = rbLeftOf(sibling);
        setRight(parent, tmp1);
        setLeft(sibling, parent);
        rbSetParentColor(tmp1, parent, RB_BLACK);
        rotateSetParents(parent, sibling, root, RB_RED);
        sibling = tmp1;
      }
      tmp1 = rbRightOf(sibling);
      if (tmp1 == 0 || rbIsBlack(tmp1)) {
        tmp2 = rbLeftOf(sibling);
        if (tmp2 == 0 || rbIsBlack(tmp2)) {
          // Case 2 - sibling color flip.
          rbSetParentColor(sibling, parent, RB_RED);
          if (rbIsRed(parent)) {
            rbSetBlack(parent);
          } else {
            node = parent;
            parent = rbParent(node);
            if (parent != 0) continue;
          }
          break;
        }
        // Case 3 - right rotate at sibling.
        tmp1 = rbRightOf(tmp2);
        setLeft(sibling, tmp1);
        setRight(tmp2, sibling);
        setRight(parent, tmp2);
        if (tmp1 != 0) rbSetParentColor(tmp1, sibling, RB_BLACK);
        tmp1 = sibling;
        sibling = tmp2;
      }
      // Case 4 - left rotate at parent + color flips.
      tmp2 = rbLeftOf(sibling);
      setRight(parent, tmp2);
      setLeft(sibling, parent);
      rbSetParentColor(tmp1, sibling, RB_BLACK);
      if (tmp2 != 0) rbSetParent(tmp2, parent);
      rotateSetParents(parent, sibling, root, RB_BLACK);
      break;
    } else {
      sibling = rbLeftOf(parent);
      if (rbIsRed(sibling)) {
        // Case 1 - right rotate at parent.
        tmp1 = rbRightOf(sibling);
        setLeft(parent, tmp1);
        setRight(sibling, parent);
        rbSetParentColor(tmp1, parent, RB_BLACK);
        rotateSetParents(parent, sibling, root, RB_RED);
        sibling = tmp1;
      }
      tmp1 = rbLeftOf(sibling);
      if (tmp1 == 0 || rbIsBlack(tmp1)) {
        tmp2 = rbRightOf(sibling);
        if (tmp2 == 0 || rbIsBlack(tmp2)) {
          // Case 2 - sibling color flip.
          rbSetParentColor(sibling, parent, RB_RED);
          if (rbIsRed(parent)) {
            rbSetBlack(parent);
          } else {
            node = parent;
            parent = rbParent(node);
            if (parent != 0) continue;
          }
          break;
        }
        // Case 3 - left rotate at sibling.
        tmp1 = rbLeftOf(tmp2);
        setRight(sibling, tmp1);
        setLeft(tmp2, sibling);
        setLeft(parent, tmp2);
        if (tmp1 != 0) rbSetParentColor(tmp1, sibling, RB_BLACK);
        tmp1 = sibling;
        sibling = tmp2;
      }
      // Case 4 - right rotate at parent + color flips.
      tmp2 = rbRightOf(sibling);
      setLeft(parent, tmp2);
      setRight(sibling, parent);
      rbSetParentColor(tmp1, sibling, RB_BLACK);
      if (tmp2 != 0) rbSetParent(tmp2, parent);
      rotateSetParents(parent, sibling, root, RB_BLACK);
      break;
    }
  }
}

/** __rb_erase_augmented with the dummy callbacks: returns the node to rebalance from, or 0. */
function rbEraseAugmented(node: u32, root: u32): u32 {
  const child = rbRightOf(node);
  let tmp = rbLeftOf(node);
  let parent: u32, rebalance: u32, pc: u32;
  if (tmp == 0) {
    // Case 1: node to erase has no more than 1 child (easy!).
    pc = rbPc(node);
    parent = pc & ~3;
    changeChild(node, child, parent, root);
    if (child != 0) {
      setPc(child, pc);
      rebalance = 0;
    } else {
      rebalance = (pc & 1) != 0 ? parent : 0;
    }
  } else if (child == 0) {
    // Still case 1, but this time the child is node->rb_left.
    pc = rbPc(node);
    setPc(tmp, pc);
    parent = pc & ~3;
    changeChild(node, tmp, parent, root);
    rebalance = 0;
  } else {
    let successor = child;
    let child2: u32;
    tmp = rbLeftOf(child);
    if (tmp == 0) {
      // Case 2: node's successor is its right child.
      parent = successor;
      child2 = rbRightOf(successor);
    } else {
      // Case 3: node's successor is leftmost under node's right child subtree.
      let steps: u32 = 0;
      do {
        parent = successor;
        successor = tmp;
        tmp = rbLeftOf(tmp);
        if (++steps > RB_MAX_DEPTH) { setCorrupt(successor); return 0; }
      } while (tmp != 0);
      child2 = rbRightOf(successor);
      setLeft(parent, child2);
      setRight(successor, child);
      rbSetParent(child, successor);
    }
    tmp = rbLeftOf(node);
    setLeft(successor, tmp);
    rbSetParent(tmp, successor);

    pc = rbPc(node);
    tmp = pc & ~3;
    changeChild(node, successor, tmp, root);

    if (child2 != 0) {
      rbSetParentColor(child2, parent, RB_BLACK);
      rebalance = 0;
    } else {
      rebalance = rbIsBlack(successor) ? parent : 0;
    }
    setPc(successor, pc);
  }
  return rebalance;
}

/** rb_erase. */
function rbErase(node: u32, root: u32): void {
  const rebalance = rbEraseAugmented(node, root);
  if (rebalance != 0) rbEraseColor(rebalance, root);
}

/** rb_next (in-order successor). */
export function rbNext(node: u32): u32 {
  if (rbEmptyNode(node)) return 0;
  let n = node;
  let steps: u32 = 0;
  let r = rbRightOf(n);
  if (r != 0) {
    n = r;
    let l = rbLeftOf(n);
    while (l != 0) {
      n = l; l = rbLeftOf(n);
      if (++steps > RB_MAX_DEPTH) { setCorrupt(n); return 0; }
    }
    return n;
  }
  let parent = rbParent(n);
  while (parent != 0 && n == rbRightOf(parent)) {
    n = parent;
    parent = rbParent(n);
    if (++steps > RB_MAX_DEPTH) { setCorrupt(n); return 0; }
  }
  return parent;
}

/** rb_left_deepest_node. */
function leftDeepest(node: u32): u32 {
  let n = node;
  let steps: u32 = 0;
  while (true) {
    if (++steps > RB_MAX_DEPTH) { setCorrupt(n); return 0; }
    const l = rbLeftOf(n);
    if (l != 0) { n = l; continue; }
    const r = rbRightOf(n);
    if (r != 0) { n = r; continue; }
    return n;
  }
}

/** rb_next_postorder. */
function nextPostorder(node: u32): u32 {
  if (node == 0) return 0;
  const parent = rbParent(node);
  if (parent != 0 && node == rbLeftOf(parent)) {
    const r = rbRightOf(parent);
    if (r != 0) return leftDeepest(r);
  }
  return parent;
}

// ---- bpf_rbtree_* semantics ----

// __bpf_rbtree_add as resumable steps, so an interpreter can run each `less` call inside its own
// dispatch loop (no re-entry) while the order of the calls stays exactly Linux's:
//   let cmp = rbAddBegin(c, root, node, obj, rec, free);
//   while (cmp != 0) cmp = rbAddNext(c, less(node, cmp));
//   result = rbAddResult(c);
// Cursor `c` (RB_CURSOR_SIZE bytes, one per nesting level): root, node, link, parent, leftmost, depth, result.
export const RB_CURSOR_SIZE: u32 = 32;
// @ts-ignore: decorator
@inline function cRoot(c: usize): u32 { return load<u32>(c, 0); }
// @ts-ignore: decorator
@inline function cNode(c: usize): u32 { return load<u32>(c, 4); }

/** rb_link_node + rb_insert_color_cached + the owner, once the descent found the empty slot `link`. */
function rbAddLink(c: usize, link: u32, parent: u32, leftmost: bool): void {
  const root = cRoot(c), node = cNode(c);
  setPc(node, parent);
  setLeft(node, 0);
  setRight(node, 0);
  store<u64>(link, <u64>node);
  if (leftmost) setRootLeftmost(root, node);
  rbInsertColor(node, root);
  setOwner(node, root);
  store<i32>(c, 0, 24);
}

/**
 * First step of bpf_rbtree_add: owner check (an owned node: the object is dropped, result -EINVAL),
 * node poisoned. Returns the node to compare against (call less(node, it) and pass the answer to
 * rbAddNext), or 0 when the add is over (empty tree: linked) — then read rbAddResult(c).
 */
export function rbAddBegin(c: usize, root: u32, node: u32, obj: u32, rec: u32, free: FreeFn): u32 {
  if (rbOwner(node) != 0) {
    objDrop(obj, rec, free);
    store<i32>(c, EINVAL, 24);
    return 0;
  }
  setOwner(node, OWNER_POISON);
  store<u32>(c, root, 0);
  store<u32>(c, node, 4);
  const cur = rootNode(root);
  if (cur == 0) { rbAddLink(c, root, 0, true); return 0; }
  store<u32>(c, cur, 12); // parent
  store<u32>(c, 1, 16);   // leftmost so far
  store<u32>(c, 0, 20);   // depth
  return cur;
}

/** Next step: `isLess` = less(node, the node rbAddBegin/rbAddNext returned). Same contract as rbAddBegin. */
// @ts-ignore: decorator
@inline export function rbAddNext(c: usize, isLess: bool): u32 {
  // branch-free choice of the child slot (`isLess` is data-dependent: a branch would mispredict half the time)
  const parent = load<u32>(c, 12);
  const link = parent + select<u32>(16, 8, isLess); // &parent->rb_left : &parent->rb_right
  store<u32>(c, load<u32>(c, 16) & <u32>isLess, 16); // leftmost while every step went left
  const cur = <u32>load<u64>(link);
  const depth = load<u32>(c, 20) + 1;
  if (cur != 0 && depth <= RB_MAX_DEPTH) {
    store<u32>(c, depth, 20);
    store<u32>(c, cur, 12);
    return cur;
  }
  return rbAddLeaf(c, link, parent, cur);
}

/** The descent ended: link the node at the empty slot, or (a cycle: deeper than any valid tree) give up. */
function rbAddLeaf(c: usize, link: u32, parent: u32, cur: u32): u32 {
  if (cur == 0) { rbAddLink(c, link, parent, load<u32>(c, 16) != 0); return 0; }
  setCorrupt(cur); // leave the tree as it is, the node unlinked and unowned
  setOwner(cNode(c), 0);
  store<i32>(c, EINVAL, 24);
  return 0;
}

/** Result of a finished add: 0, or -EINVAL (owned node, dropped; or a corrupt tree, see guard.ts). */
// @ts-ignore: decorator
@inline export function rbAddResult(c: usize): i32 { return load<i32>(c, 24); }

/** Cursors of the callback-style rbAddImpl (less may itself add to a tree, so one per nesting level). */
const MAX_NEST: u32 = 32;
const CURSORS: usize = memory.data(<i32>(MAX_NEST * RB_CURSOR_SIZE), 16);
let gNest: u32 = 0;
/** Set by a LessFn whose callback failed: the add stops, its node stays unlinked (owner poisoned). */
let gAbort: bool = false;
export function rbAbortAdd(): void { gAbort = true; }

/** __bpf_rbtree_add with a LessFn. */
export function rbAddImpl(root: u32, node: u32, obj: u32, rec: u32, less: LessFn, free: FreeFn): i32 {
  if (gNest >= MAX_NEST) { setCorrupt(node); return EINVAL; }
  const c = CURSORS + <usize>gNest * RB_CURSOR_SIZE;
  gNest++;
  let cmp = rbAddBegin(c, root, node, obj, rec, free);
  while (cmp != 0) {
    const l = less(node, cmp);
    if (gAbort) { gAbort = false; gNest--; return EINVAL; }
    cmp = rbAddNext(c, l);
  }
  gNest--;
  return rbAddResult(c);
}

/** bpf_rbtree_remove. */
export function rbRemoveImpl(root: u32, node: u32): u32 {
  if (rbOwner(node) != root) return 0;
  // rb_erase_cached
  if (rootLeftmost(root) == node) setRootLeftmost(root, rbNext(node));
  rbErase(node, root);
  rbClearNode(node);
  setOwner(node, 0);
  return node;
}

export function rbLeftImpl(root: u32, node: u32): u32 {
  if (rbOwner(node) != root) return 0;
  return rbLeftOf(node);
}

export function rbRightImpl(root: u32, node: u32): u32 {
  if (rbOwner(node) != root) return 0;
  return rbRightOf(node);
}

/** bpf_rb_root_free: detach the tree, leave the root empty, drop every element in post-order. */
export function rbRootFree(root: u32, elemRec: u32, nodeOff: u32, free: FreeFn): void {
  const top = rootNode(root);
  setRootNode(root, 0);
  setRootLeftmost(root, 0);
  let pos = top != 0 ? leftDeepest(top) : 0;
  let steps: u32 = 0;
  while (pos != 0) {
    if (++steps > MAX_WALK) { setCorrupt(pos); return; }
    const n = nextPostorder(pos);
    objDrop(pos - nodeOff, elemRec, free);
    pos = n;
  }
}

/** RB_CLEAR_NODE (used by object init). */
export function rbClearNodeAt(n: u32): void { rbClearNode(n); }
