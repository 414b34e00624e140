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
    const nestedItems: GraphItem[] = [];
    if (c.kind === 'list') {
      let prev = anchor;
      for (const it of c.items) {
        out.push(`    ${q(it.id)} [shape=box, label=${q(it.label)}];`);
        out.push(`    ${q(prev)} -> ${q(it.id)};`);
        prev = it.id;
        nestedItems.push(it);
      }
    } else {
      if (c.root) out.push(`    ${q(anchor)} -> ${q(c.root.id)};`);
      for (const { node } of inOrder(c.root)) {
        const fill = node.color === 'red' ? 'firebrick' : 'black';
        out.push(`    ${q(node.id)} [shape=ellipse, style=filled, fillcolor=${fill}, fontcolor=white, label=${q(node.label)}];`);
        if (node.left) out.push(`    ${q(node.id)} -> ${q(node.left.id)} [label="L"];`);
        if (node.right) out.push(`    ${q(node.id)} -> ${q(node.right.id)} [label="R"];`);
        nestedItems.push(node);
      }
    }
    out.push('  }');
    for (const it of nestedItems) {
      for (const n of it.nested ?? []) {
        const p = `${it.id}/`;
        emit(n, p);
        out.push(`  ${q(it.id)} -> ${q(`${p}${n.name}`)} [style=dashed];`);
      }
    }
  };
  for (const c of view.collections) emit(c, '');
  out.push('}');
  return out.join('\n') + '\n';
}
