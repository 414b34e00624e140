import { describe, expect, it } from 'vitest';
import { CollectionsError } from './errors.js';
import { memberReader, readMember } from './keys.js';
import { rbViolations, readList, readListNodes, readTree } from './reader.js';
import { buildTestBtf } from './testing/btf-model.js';

/** A fake memory image with helpers to lay out list and rb nodes by hand. */
class Image {
  readonly view = new DataView(new ArrayBuffer(0x4000));
  w(addr: number, ...words: number[]): void { words.forEach((v, i) => this.view.setBigUint64(addr + 8 * i, BigInt(v), true)); }
  /** A well-formed list at `head` through `nodes` (node addresses). */
  list(head: number, nodes: number[]): void {
    if (!nodes.length) { this.w(head, head, head); return; }
    this.w(head, nodes[0]!, nodes[nodes.length - 1]!);
    nodes.forEach((n, i) => this.w(n, nodes[i + 1] ?? head, nodes[i - 1] ?? head, head));
  }
  /** rb node: parent|color, right, left, owner */
  rb(n: number, parent: number, black: boolean, left: number, right: number, owner: number): void {
    this.w(n, parent | (black ? 1 : 0), right, left, owner);
  }
}
const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { if (e instanceof CollectionsError) return e.code; throw e; }
  return 'OK';
};

describe('readList', () => {
  it('walks a list front to back, subtracting the node offset', () => {
    const m = new Image();
    m.list(0x100, [0x208, 0x308, 0x408]);
    expect(readList(m.view, 0x100, { nodeOffset: 8 })).toEqual([0x200, 0x300, 0x400]);
    expect(readListNodes(m.view, 0x100)).toEqual([0x208, 0x308, 0x408]);
    m.list(0x100, []);
    expect(readList(m.view, 0x100, { nodeOffset: 8 })).toEqual([]);
    expect(readList(m.view, 0x800, { nodeOffset: 8 })).toEqual([]); // zero head
  });

  it('reports corrupt lists with typed errors, never hanging', () => {
    const m = new Image();
    m.list(0x100, [0x200, 0x300, 0x400]);
    m.w(0x300, 0x200); // 0x300.next -> 0x200: a cycle that skips the head
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('CYCLE');
    m.list(0x100, [0x200, 0x300, 0x400]);
    m.w(0x308, 0x400); // 0x300.prev is not 0x200
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_LINK');
    m.list(0x100, [0x200, 0x300]);
    m.w(0x310, 0x999); // owner
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_OWNER');
    expect(readList(m.view, 0x100, { nodeOffset: 0 }, { checkOwner: false })).toEqual([0x200, 0x300]);
    m.list(0x100, [0x200, 0x300]);
    m.w(0x300, 0x10_0000); // next outside the image
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_ADDRESS');
    m.w(0x300, 0);
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_LINK');
    m.list(0x100, [0x200, 0x300]);
    m.w(0x108, 0x200); // head.prev is not the last node
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_LINK');
    m.w(0x100, 0, 0x200); // next 0, prev set
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_LINK');
    m.list(0x100, [0x200, 0x300, 0x400]);
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }, { limit: 2 }))).toBe('LIMIT');
    m.w(0x100, 0x1_0000_0000, 0);
    expect(code(() => readList(m.view, 0x100, { nodeOffset: 0 }))).toBe('BAD_ADDRESS');
    expect(code(() => readList(m.view, 0x3ffc, { nodeOffset: 0 }))).toBe('BAD_ADDRESS');
    const e = (() => { try { readList(m.view, 0x3ff8, { nodeOffset: 0 }); } catch (x) { return x as CollectionsError; } return undefined; })()!;
    expect(e.message).toMatch(/list head, at 0x3ff8/);
  });
});

describe('readTree', () => {
  const R = 0x100;
  /** 0x200(b) with left 0x300(r) and right 0x400(r) */
  const small = (): Image => {
    const m = new Image();
    m.w(R, 0x200, 0x300);
    m.rb(0x200, 0, true, 0x300, 0x400, R);
    m.rb(0x300, 0x200, false, 0, 0, R);
    m.rb(0x400, 0x200, false, 0, 0, R);
    return m;
  };

  it('returns the nested structure and the in-order elements', () => {
    const t = readTree(small().view, R, { nodeOffset: 0x10 });
    expect(t.inOrder).toEqual([0x2f0, 0x1f0, 0x3f0]);
    expect(t.nodes).toEqual([0x300, 0x200, 0x400]);
    expect(t.root).toEqual({
      addr: 0x200, obj: 0x1f0, color: 'black',
      left: { addr: 0x300, obj: 0x2f0, color: 'red', left: null, right: null },
      right: { addr: 0x400, obj: 0x3f0, color: 'red', left: null, right: null },
    });
    expect(rbViolations(t)).toEqual([]);
    expect(readTree(new Image().view, R, { nodeOffset: 0 })).toEqual({ root: null, inOrder: [], nodes: [], leftmost: 0 });
  });

  it('finds red-black violations', () => {
    const m = small();
    m.rb(0x200, 0, false, 0x300, 0x400, R); // red root with red children
    expect(rbViolations(readTree(m.view, R, { nodeOffset: 0 }))).toEqual([
      'root 0x200 is red', 'red node 0x200 has red child 0x300', 'red node 0x200 has red child 0x400',
    ]);
    const m2 = small();
    m2.rb(0x300, 0x200, true, 0, 0, R); // black left only
    expect(rbViolations(readTree(m2.view, R, { nodeOffset: 0 }))).toEqual(['black heights differ under 0x200: left 1, right 0']);
  });

  it('reports corrupt trees with typed errors', () => {
    let m = small();
    m.rb(0x300, 0x400, false, 0, 0, R); // wrong parent
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toBe('BAD_LINK');
    m = small();
    m.rb(0x300, 0x200, false, 0x200, 0, R); // child points back at the root
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toBe('CYCLE');
    m = small();
    m.rb(0x400, 0x200, false, 0, 0x300, R); // 0x300 reachable twice
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toMatch(/CYCLE|BAD_LINK/);
    m = small();
    m.w(R + 8, 0x400); // leftmost wrong
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toBe('BAD_LEFTMOST');
    m = small();
    m.rb(0x400, 0x200, false, 0, 0, 0x180);
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toBe('BAD_OWNER');
    m = small();
    m.rb(0x400, 0x200, false, 0, 0x5_0000, R);
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toBe('BAD_ADDRESS');
    expect(code(() => readTree(small().view, R, { nodeOffset: 0 }, { limit: 2 }))).toBe('LIMIT');
    m = new Image();
    m.w(R, 0, 0x200);
    expect(code(() => readTree(m.view, R, { nodeOffset: 0 }))).toBe('BAD_LEFTMOST');
  });

  it('a long corrupt chain is read without recursion (no stack overflow)', () => {
    const m = new Image();
    // a 400-deep right spine: valid links, not balanced
    m.w(R, 0x200, 0x200);
    for (let i = 0; i < 400; i++) {
      const a = 0x200 + 32 * i;
      m.rb(a, i ? a - 32 : 0, true, 0, i < 399 ? a + 32 : 0, R);
    }
    const t = readTree(m.view, R, { nodeOffset: 0 });
    expect(t.inOrder.length).toBe(400);
    expect(rbViolations(t).length).toBeGreaterThan(0);
  });
});

describe('member keys from BTF', () => {
  it('reads integers, signed enums and nested paths; rejects non-scalars', () => {
    const { btf, ids } = buildTestBtf();
    const v = new DataView(new ArrayBuffer(256));
    v.setBigUint64(16, 0xfedcba9876543210n, true);
    v.setInt32(16 + 72, -1, true);
    v.setInt32(16 + 76, -5, true);
    expect(readMember(v, btf, ids.elem, 16, 'key')).toBe(0xfedcba9876543210n);
    expect(readMember(v, btf, ids.elem, 16, 'prio')).toBe(-1);
    expect(readMember(v, btf, ids.elem, 16, 'weight')).toBe(-5);
    expect(() => memberReader(btf, ids.elem, 'r')).toThrow(expect.objectContaining({ code: 'BAD_MEMBER' }));
    expect(() => memberReader(btf, ids.elem, 'nope')).toThrow(/no member 'nope'/);
    expect(() => memberReader(btf, ids.elem, 'r.__opaque')).toThrow(/ARRAY/);
    expect(() => readMember(v, btf, ids.elem, 250, 'key')).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
    // a kptr member reads as the pointer value
    v.setBigUint64(16 + 56, 0x1234n, true);
    expect(readMember(v, btf, ids.outer, 16, 'p')).toBe(0x1234n);
  });
});
