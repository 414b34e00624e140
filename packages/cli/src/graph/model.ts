/**
 * What `bpfkit graph` draws: the lists and red-black trees reachable from one map value or
 * global section, as plain data (built from the runtime's collection reader, drawn by the
 * ascii, dot and svg renderers). Nested collections hang off the element that holds them.
 */
export interface GraphItem {
  /** Stable id (the object's address in hex). */
  readonly id: string;
  /** Short text: the key and a few fields, e.g. `deadline=300 pid=1`. */
  readonly label: string;
  /** Lists and trees inside this element (nested objects with their own roots). */
  readonly nested?: readonly GraphCollection[];
}

export interface GraphTreeNode extends GraphItem {
  readonly color: 'red' | 'black';
  readonly left: GraphTreeNode | null;
  readonly right: GraphTreeNode | null;
}

export type GraphCollection =
  | { readonly kind: 'list'; readonly name: string; readonly items: readonly GraphItem[] }
  | { readonly kind: 'rbtree'; readonly name: string; readonly root: GraphTreeNode | null };

export interface GraphView {
  /** Where the collections live, e.g. `map rq key 0` or `global .bss.A`. */
  readonly source: string;
  readonly collections: readonly GraphCollection[];
}

/** In-order nodes of a tree with their depth. */
export function inOrder(root: GraphTreeNode | null): { node: GraphTreeNode; depth: number }[] {
  const out: { node: GraphTreeNode; depth: number }[] = [];
  const walk = (n: GraphTreeNode | null, depth: number): void => {
    if (!n) return;
    walk(n.left, depth + 1);
    out.push({ node: n, depth });
    walk(n.right, depth + 1);
  };
  walk(root, 0);
  return out;
}

export function countOf(c: GraphCollection): number {
  return c.kind === 'list' ? c.items.length : inOrder(c.root).length;
}

/** Nodes and edges, the JSON shape of `bpfkit --json graph`. */
export interface GraphJson {
  source: string;
  collections: {
    kind: 'list' | 'rbtree';
    name: string;
    count: number;
    nodes: { id: string; label: string; color?: 'red' | 'black' }[];
    edges: { from: string; to: string; kind: 'next' | 'left' | 'right' | 'root' | 'nested' }[];
    nested: GraphJson['collections'];
  }[];
}

export function toJson(view: GraphView): GraphJson {
  const conv = (c: GraphCollection): GraphJson['collections'][number] => {
    const nodes: GraphJson['collections'][number]['nodes'] = [];
    const edges: GraphJson['collections'][number]['edges'] = [];
    const nested: GraphJson['collections'] = [];
    const addNested = (it: GraphItem): void => {
      for (const n of it.nested ?? []) {
        const j = conv(n);
        nested.push(j);
        if (j.nodes[0]) edges.push({ from: it.id, to: j.nodes[0].id, kind: 'nested' });
      }
    };
    if (c.kind === 'list') {
      c.items.forEach((it, i) => {
        nodes.push({ id: it.id, label: it.label });
        if (i > 0) edges.push({ from: c.items[i - 1]!.id, to: it.id, kind: 'next' });
        addNested(it);
      });
    } else {
      for (const { node } of inOrder(c.root)) {
        nodes.push({ id: node.id, label: node.label, color: node.color });
        if (node.left) edges.push({ from: node.id, to: node.left.id, kind: 'left' });
        if (node.right) edges.push({ from: node.id, to: node.right.id, kind: 'right' });
        addNested(node);
      }
    }
    return { kind: c.kind, name: c.name, count: nodes.length, nodes, edges, nested };
  };
  return { source: view.source, collections: view.collections.map(conv) };
}
