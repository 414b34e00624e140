/**
 * A self-contained SVG picture (`bpfkit graph --format svg`), laid out here without graphviz:
 * a tree puts each node at (in-order index, depth); a list is a row of boxes with arrows.
 * Nested collections follow their parent's block, titled with the element that holds them.
 */
import { inOrder, type GraphCollection, type GraphItem, type GraphView } from './model.js';

const CHAR_W = 7;
const BOX_H = 26;
const GAP_X = 14;
const LEVEL_H = 52;
const PAD = 16;
const TITLE_H = 24;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const boxW = (label: string): number => Math.max(40, label.length * CHAR_W + 14);

interface Block {
  title: string;
  width: number;
  height: number;
  body: (x0: number, y0: number) => string[];
}

function blocksOf(c: GraphCollection, title: string, out: Block[]): void {
  const nestedItems: GraphItem[] = [];
  if (c.kind === 'list') {
    const xs: number[] = [];
    let x = 0;
    for (const it of c.items) {
      xs.push(x);
      x += boxW(it.label) + GAP_X + 10;
      nestedItems.push(it);
    }
    out.push({
      title: `${title}${c.name} — list, ${c.items.length} ${c.items.length === 1 ? 'node' : 'nodes'}`,
      width: Math.max(x, 120),
      height: BOX_H + 8,
      body: (x0, y0) => {
        if (c.items.length === 0) return [`<text x="${x0}" y="${y0 + 17}" class="empty">(empty)</text>`];
        const s: string[] = [];
        c.items.forEach((it, i) => {
          const bx = x0 + xs[i]!;
          const w = boxW(it.label);
          s.push(`<rect x="${bx}" y="${y0}" width="${w}" height="${BOX_H}" rx="4" class="item"/>`);
          s.push(`<text x="${bx + w / 2}" y="${y0 + 17}" class="label">${esc(it.label)}</text>`);
          if (i + 1 < c.items.length) {
            const ax = bx + w;
            s.push(`<line x1="${ax}" y1="${y0 + BOX_H / 2}" x2="${x0 + xs[i + 1]! - 2}" y2="${y0 + BOX_H / 2}" class="edge" marker-end="url(#arrow)"/>`);
          }
        });
        return s;
      },
    });
  } else {
    const nodes = inOrder(c.root);
    const pos = new Map<string, { x: number; y: number; w: number }>();
    let x = 0;
    let depth = 0;
    for (const { node, depth: d } of nodes) {
      const w = boxW(node.label);
      pos.set(node.id, { x, y: d * LEVEL_H, w });
      x += w + GAP_X;
      depth = Math.max(depth, d);
      nestedItems.push(node);
    }
    out.push({
      title: `${title}${c.name} — rbtree, ${nodes.length} ${nodes.length === 1 ? 'node' : 'nodes'}`,
      width: Math.max(x, 120),
      height: nodes.length ? depth * LEVEL_H + BOX_H + 8 : BOX_H,
      body: (x0, y0) => {
        if (nodes.length === 0) return [`<text x="${x0}" y="${y0 + 17}" class="empty">(empty)</text>`];
        const edges: string[] = [];
        const boxes: string[] = [];
        for (const { node } of nodes) {
          const p = pos.get(node.id)!;
          for (const k of [node.left, node.right]) {
            if (!k) continue;
            const q = pos.get(k.id)!;
            edges.push(`<line x1="${x0 + p.x + p.w / 2}" y1="${y0 + p.y + BOX_H}" x2="${x0 + q.x + q.w / 2}" y2="${y0 + q.y}" class="edge"/>`);
          }
          boxes.push(`<rect x="${x0 + p.x}" y="${y0 + p.y}" width="${p.w}" height="${BOX_H}" rx="13" class="${node.color}"/>`);
          boxes.push(`<text x="${x0 + p.x + p.w / 2}" y="${y0 + p.y + 17}" class="label on-${node.color}">${esc(node.label)}</text>`);
        }
        return [...edges, ...boxes];
      },
    });
  }
  for (const it of nestedItems) for (const n of it.nested ?? []) blocksOf(n, `${title}[${it.label}] → `, out);
}

export function renderSvg(view: GraphView): string {
  const blocks: Block[] = [];
  for (const c of view.collections) blocksOf(c, '', blocks);
  const width = Math.max(320, ...blocks.map((b) => b.width)) + 2 * PAD;
  let y = PAD + TITLE_H;
  const body: string[] = [`<text x="${PAD}" y="${PAD + 12}" class="source">${esc(view.source)}</text>`];
  for (const b of blocks) {
    body.push(`<text x="${PAD}" y="${y + 14}" class="title">${esc(b.title)}</text>`);
    y += TITLE_H;
    body.push(...b.body(PAD, y));
    y += b.height + PAD;
  }
  const height = y + PAD;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    '<style>text{font-family:monospace;font-size:11px}.label{text-anchor:middle}.on-black,.on-red{fill:#fff}.black{fill:#222}.red{fill:#c0392b}' +
      '.item{fill:#eef3fb;stroke:#4a6fa5}.edge{stroke:#555;stroke-width:1.2}.title{font-weight:bold}.source{fill:#555}.empty{fill:#888}</style>',
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    '</svg>',
  ].join('\n') + '\n';
}
