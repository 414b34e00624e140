/**
 * The rbtree port against Linux itself: __fixtures__/rbtree-kernel-trace.json holds a
 * seeded sequence of bpf_rbtree_add / root / left / right / first / remove operations run
 * on Linux 6.18 with BPF_PROG_TEST_RUN (oracle/rbshape.bpf.c, recorded by
 * oracle/record.mjs) and the kernel's answers. Replaying it on the AssemblyScript
 * collections must give the same root, children and erased node at every step — which
 * only holds if insertion and erase colour and rotate exactly like lib/rbtree.c.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FieldKind as K } from './records.js';
import { rbViolations, readTree } from './reader.js';
import { loadHarness } from './testing/harness.js';

interface Trace { kernel: string; ops: string[]; results: number[] }
const trace = JSON.parse(readFileSync(new URL('./__fixtures__/rbtree-kernel-trace.json', import.meta.url), 'utf8')) as Trace;

describe(`rbtree shapes recorded on Linux ${trace.kernel}`, () => {
  it(`replays ${trace.ops.length} kernel operations with identical results`, { timeout: 60_000 }, async () => {
    const h = await loadHarness();
    const x = h.x;
    const rec = h.record({ size: 40, fields: [{ kind: K.RB_NODE, off: 8 }] }); // struct node_data { long key; bpf_rb_node node; }
    const root = x.staticAlloc(16) >>> 0;
    x.setKey(-8, 1);
    const key = (n: number): number => (n === 0 ? 999 : Number(h.u64(n - 8)));
    const got: number[] = [];
    let size = 0;
    trace.ops.forEach((op, i) => {
      const [name, arg] = op.split(' ');
      let r: number;
      switch (name) {
        case 'add': {
          const o = x.objNew(rec) >>> 0;
          h.setU64(o, BigInt(Number(arg)));
          r = x.rbAdd(root, o + 8, o, rec);
          size++;
          break;
        }
        case 'peek': {
          const top = x.rbRoot(root) >>> 0;
          r = top === 0 ? 999999999 : key(top) * 1_000_000 + key(x.rbLeft(root, top) >>> 0) * 1000 + key(x.rbRight(root, top) >>> 0);
          break;
        }
        default: {
          let n = (name === 'remove_first' ? x.rbFirst(root) : x.rbRoot(root)) >>> 0;
          if (n && name === 'remove_left') n = x.rbLeft(root, n) >>> 0;
          if (n && name === 'remove_right') n = x.rbRight(root, n) >>> 0;
          if (!n) { r = 999; break; }
          const removed = x.rbRemove(root, n) >>> 0;
          r = removed === 0 ? -2 : key(removed);
          if (removed) { x.objDrop(removed - 8, rec); size--; }
        }
      }
      got.push(r);
      if (r !== trace.results[i]) {
        expect({ step: i, op, result: r }).toEqual({ step: i, op, result: trace.results[i] });
      }
      if (i % 97 === 0) expect(rbViolations(readTree(h.view, root, { nodeOffset: 8 }))).toEqual([]);
    });
    expect(got).toEqual(trace.results);
    expect(x.liveCount()).toBe(size);
    expect(size).toBeGreaterThan(100);
  });
});
