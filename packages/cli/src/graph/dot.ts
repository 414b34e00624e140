/** Graphviz text (`bpfkit graph --format dot`): trees top-down, lists left to right. */
import { inOrder, type GraphCollection, type GraphItem, type GraphView } from './model.js';

const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function renderDot(view: GraphView): string {
  const out: string[] = ['digraph bpfkit {', `  label=${q(view.source)};`, '  labelloc=t;', '  node [fontname="monospace", fontsize=10];'];
  let cluster = 0;
  const emit = (c: GraphCollection, prefix: string): void => {
    const id = `cluster_${cluster++}`;
    out.push(`  subgraph ${id} {`, `    label=${q(`${c.name} (${c.kind})`)};`);
    const anchor = `${prefix}${c.name}`;
    out.push(`    ${q(anchor)} [shape=plaintext, label=${q(c.name)}];`);
    // node names are unique per collection (a refcounted object can be in a list and a tree at once);
    // the id (the object's address) is in the tooltip
    const name = (it: GraphItem): string => `${anchor}/${it.id}`;
    const nestedItems: GraphItem[] = [];
    if (c.kind === 'list') {
      let prev = anchor;
      for (const it of c.items) {
        out.push(`    ${q(name(it))} [shape=box, label=${q(it.label)}, tooltip=${q(it.id)}];`);
        out.push(`    ${q(prev)} -> ${q(name(it))};`);
        prev = name(it);
        nestedItems.push(it);
      }
    } else {
      if (c.root) out.push(`    ${q(anchor)} -> ${q(name(c.root))};`);
      for (const { node } of inOrder(c.root)) {
        const fill = node.color === 'red' ? 'firebrick' : 'black';
        out.push(`    ${q(name(node))} [shape=ellipse, style=filled, fillcolor=${fill}, fontcolor=white, label=${q(node.label)}, tooltip=${q(node.id)}];`);
        if (node.left) out.push(`    ${q(name(node))} -> ${q(name(node.left))} [label="L"];`);
        if (node.right) out.push(`    ${q(name(node))} -> ${q(name(node.right))} [label="R"];`);
        nestedItems.push(node);
      }
    }
    out.push('  }');
    for (const it of nestedItems) {
      for (const n of it.nested ?? []) {
        const p = `${name(it)}/`;
        emit(n, p);
        out.push(`  ${q(name(it))} -> ${q(`${p}${n.name}`)} [style=dashed];`);
      }
    }
  };
  for (const c of view.collections) emit(c, '');
  out.push('}');
  return out.join('\n') + '\n';
}
