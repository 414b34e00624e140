import { describe, expect, it } from 'vitest';
import { inOrder, renderAscii, renderDot, renderSvg, toJson, type GraphTreeNode, type GraphView } from './index.js';

const leaf = (id: string, label: string, color: 'red' | 'black'): GraphTreeNode => ({ id, label, color, left: null, right: null });
const view: GraphView = {
  source: 'map rq key 0',
  collections: [
    {
      kind: 'rbtree',
      name: 'by_deadline',
      root: { id: '0x10', label: 'deadline=200', color: 'black', left: leaf('0x20', 'deadline=100', 'red'), right: leaf('0x30', 'deadline=300', 'red') },
    },
    {
      kind: 'list',
      name: 'arrivals',
      items: [
        { id: '0x30', label: 'pid=1' },
        { id: '0x40', label: 'pid=2 <x>', nested: [{ kind: 'list', name: 'children', items: [{ id: '0x50', label: 'c=1' }] }] },
      ],
    },
    { kind: 'rbtree', name: 'empty', root: null },
  ],
};

describe('graph renderers', () => {
  it('walks a tree in order with depths', () => {
    const root = view.collections[0]!;
    expect(root.kind === 'rbtree' && inOrder(root.root).map((n) => [n.node.label, n.depth])).toEqual([
      ['deadline=100', 1], ['deadline=200', 0], ['deadline=300', 1],
    ]);
  });
  it('ascii: tree with colours and sides, list in order, nested lists, empty roots', () => {
    expect(renderAscii(view)).toBe(
      [
        'map rq key 0',
        'by_deadline  (rbtree, 3 nodes)',
        '  ● B deadline=200',
        '  ├─L ○ R deadline=100',
        '  └─R ○ R deadline=300',
        'arrivals  (list, 2 nodes)',
        '  ├─ [0] pid=1',
        '  └─ [1] pid=2 <x>',
        '        children  (list, 1 node)',
        '          └─ [0] c=1',
        'empty  (rbtree, 0 nodes)',
        '  (empty)',
        '',
      ].join('\n'),
    );
  });
  it('json: nodes and edges', () => {
    const j = toJson(view);
    expect(j.collections[0]!.edges).toEqual([
      { from: '0x10', to: '0x20', kind: 'left' },
      { from: '0x10', to: '0x30', kind: 'right' },
    ]);
    expect(j.collections[1]!.edges).toEqual([
      { from: '0x30', to: '0x40', kind: 'next' },
      { from: '0x40', to: '0x50', kind: 'nested' },
    ]);
    expect(j.collections[1]!.nested[0]!.nodes).toEqual([{ id: '0x50', label: 'c=1' }]);
    expect(j.collections[2]!.count).toBe(0);
  });
  it('dot: filled red/black nodes, L/R edges, list chain, dashed nested edge', () => {
    const d = renderDot(view);
    expect(d).toMatch(/^digraph bpfkit \{/);
    expect(d).toContain('"by_deadline/0x20" [shape=ellipse, style=filled, fillcolor=firebrick');
    expect(d).toContain('tooltip="0x20"');
    expect(d).toContain('"by_deadline/0x10" -> "by_deadline/0x30" [label="R"];');
    expect(d).toContain('"arrivals" -> "arrivals/0x30";');
    expect(d).toContain('"arrivals/0x40" -> "arrivals/0x40/children" [style=dashed];');
    expect(d).toContain('"arrivals/0x40/children" -> "arrivals/0x40/children/0x50";');
  });
  it('svg: well-formed, one shape per node, labels escaped', () => {
    const s = renderSvg(view);
    expect(s.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(s.trim().endsWith('</svg>')).toBe(true);
    expect(s.match(/class="red"/g)).toHaveLength(2);
    expect(s.match(/class="black"/g)).toHaveLength(1);
    expect(s.match(/class="item"/g)).toHaveLength(3);
    expect(s).toContain('pid=2 &lt;x&gt;');
    expect(s).not.toContain('<x>');
    // balanced tags: every opened element is closed or self-closed
    const opened = (s.match(/<(svg|defs|marker|style|text)\b/g) ?? []).length;
    const closed = (s.match(/<\/(svg|defs|marker|style|text)>/g) ?? []).length;
    expect(opened).toBe(closed);
  });
});
