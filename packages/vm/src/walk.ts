/**
 * Walks lists and red-black trees in a core memory image (layouts of docs/runtime-contract.md):
 * `bpf_list_head {next, prev}` / `bpf_list_node {next, prev, owner}` as a circular list through
 * the head, `bpf_rb_root {node, leftmost}` / `bpf_rb_node {parent_color, right, left, owner}`.
 * Read-only and bounded (a corrupt image ends the walk with an error, never a hang).
 */

export class WalkError extends Error {
  override readonly name = 'WalkError';
}

const u64lo = (dv: DataView, addr: number): number => {
  if (addr < 0 || addr + 8 > dv.byteLength) throw new WalkError(`address 0x${addr.toString(16)} is outside memory`);
  return dv.getUint32(addr, true);
};

/** Addresses of the `bpf_list_node` members in a list, front to back. */
export function listNodes(dv: DataView, head: number, limit = 1 << 20): number[] {
  const out: number[] = [];
  let n = u64lo(dv, head);
  if (n === 0) return out; // never initialised: empty
  while (n !== head && n !== 0) {
    out.push(n);
    if (out.length > limit) throw new WalkError(`list at 0x${head.toString(16)} does not end`);
    n = u64lo(dv, n);
  }
  return out;
}

export interface RbNodeView {
  readonly node: number;
  readonly black: boolean;
  readonly left: RbNodeView | null;
  readonly right: RbNodeView | null;
}

/** The tree under a `bpf_rb_root` (null when empty). */
export function rbTree(dv: DataView, root: number, limit = 1 << 20): RbNodeView | null {
  let count = 0;
  const build = (n: number, depth: number): RbNodeView | null => {
    if (n === 0) return null;
    if (++count > limit || depth > 128) throw new WalkError(`tree at 0x${root.toString(16)} is not a tree`);
    const pc = u64lo(dv, n);
    return { node: n, black: (pc & 1) === 1, right: build(u64lo(dv, n + 8), depth + 1), left: build(u64lo(dv, n + 16), depth + 1) };
  };
  return build(u64lo(dv, root), 0);
}

/** In-order node addresses of a tree. */
export function rbInorder(t: RbNodeView | null): number[] {
  const out: number[] = [];
  const go = (n: RbNodeView | null): void => {
    if (!n) return;
    go(n.left);
    out.push(n.node);
    go(n.right);
  };
  go(t);
  return out;
}
