import { describe, expect, test } from 'vitest';
import type { Instance } from '@bpfkit/vm';
import { graphView } from './graph.js';

/** Just what graphView reads of an instance: a list whose element holds a tree (as the runtime decodes it). */
const inst = {
  lists: () => [
    {
      field: 'outers',
      offset: 0,
      addrs: [0x50],
      elements: [
        {
          id: 1,
          kids: {
            $marker: 'bpf_rb_root',
            elements: [{ k: 1 }, { k: 2 }],
            addrs: [0x100, 0x200],
            shape: { index: 1, color: 'black', left: { index: 0, color: 'red', left: null, right: null }, right: null },
          },
        },
      ],
    },
  ],
  trees: () => [],
  map: () => ({ percpu: false, lookupValue: () => ({}) }),
} as unknown as Instance;

describe('graphView', () => {
  test('ids are the objects\' addresses; a tree inside an element keeps its shape', () => {
    const v = graphView(inst, { map: 'roots' }, 'map roots key 0');
    expect(v.collections).toEqual([
      {
        kind: 'list',
        name: 'outers',
        items: [
          {
            id: '0x50',
            label: 'id=1',
            nested: [
              {
                kind: 'rbtree',
                name: 'kids',
                root: { id: '0x200', label: 'k=2', color: 'black', left: { id: '0x100', label: 'k=1', color: 'red', left: null, right: null }, right: null },
              },
            ],
          },
        ],
      },
    ]);
  });
});
