/** Text pictures of lists and red-black trees (`bpfkit graph --format ascii`). */
import { countOf, type GraphCollection, type GraphItem, type GraphTreeNode, type GraphView } from './model.js';

export interface AsciiStyle {
  /** Colour red nodes (terminal only). */
  readonly red: (s: string) => string;
  readonly dim: (s: string) => string;
}

const plain: AsciiStyle = { red: (s) => s, dim: (s) => s };

export function renderAscii(view: GraphView, style: AsciiStyle = plain): string {
  const lines: string[] = [`${view.source}`];
  for (const c of view.collections) collection(c, '', lines, style);
  return lines.join('\n') + '\n';
}

function collection(c: GraphCollection, indent: string, lines: string[], style: AsciiStyle): void {
  const n = countOf(c);
  lines.push(`${indent}${c.name}  ${style.dim(`(${c.kind === 'list' ? 'list' : 'rbtree'}, ${n} ${n === 1 ? 'node' : 'nodes'})`)}`);
  if (c.kind === 'list') {
    if (c.items.length === 0) lines.push(`${indent}  (empty)`);
    c.items.forEach((it, i) => {
      const last = i === c.items.length - 1;
      lines.push(`${indent}  ${last ? '└─' : '├─'} [${i}] ${it.label}`);
      nestedOf(it, `${indent}  ${last ? '   ' : '│  '}   `, lines, style);
    });
    return;
  }
  if (!c.root) {
    lines.push(`${indent}  (empty)`);
    return;
  }
  tree(c.root, `${indent}  `, '', true, lines, style, true);
}

function dot(n: GraphTreeNode, style: AsciiStyle): string {
  return n.color === 'red' ? style.red('○ R') : '● B';
}

function tree(n: GraphTreeNode, indent: string, side: string, last: boolean, lines: string[], style: AsciiStyle, isRoot = false): void {
  const branch = isRoot ? '' : last ? '└─' : '├─';
  lines.push(`${indent}${branch}${side}${dot(n, style)} ${n.label}`);
  const childIndent = isRoot ? indent : indent + (last ? '   ' : '│  ');
  nestedOf(n, childIndent + '    ', lines, style);
  const kids: [string, GraphTreeNode][] = [];
  if (n.left) kids.push(['L ', n.left]);
  if (n.right) kids.push(['R ', n.right]);
  kids.forEach(([s, k], i) => tree(k, childIndent, s, i === kids.length - 1, lines, style));
}

function nestedOf(it: GraphItem, indent: string, lines: string[], style: AsciiStyle): void {
  for (const c of it.nested ?? []) collection(c, indent, lines, style);
}
