import { describe, expect, it } from 'vitest';
import { BtfRecordError } from './errors.js';
import { checkOwnershipGraph } from './ownership.js';
import { parseBtf } from './parse.js';
import { findByName } from './query.js';
import {
  BPF_KPTR_REF, BPF_KPTR_UNREF, BPF_LIST_HEAD, BPF_LIST_NODE, BPF_RB_NODE, BPF_RB_ROOT, BPF_REFCOUNT, BPF_SPIN_LOCK,
  MAP_VALUE_FIELD_MASK, findSpecialFields, recordFind, recordHas,
} from './special-fields.js';
import { BtfBuilder } from './testing/builder.js';
import { fixture } from './testing/fixtures.js';

/** Program BTF with the UAPI special structs, plus a tiny struct DSL: [name, type, byteOffset]. */
class Prog {
  readonly b = new BtfBuilder();
  readonly int = this.b.int('int', 4, { signed: true });
  readonly u64 = this.b.int('unsigned long long', 8);
  readonly lock = this.opaque('bpf_spin_lock', 4, this.int, 1);
  readonly head = this.opaque('bpf_list_head', 16, this.u64, 2);
  readonly node = this.opaque('bpf_list_node', 24, this.u64, 3);
  readonly root = this.opaque('bpf_rb_root', 16, this.u64, 2);
  readonly rbnode = this.opaque('bpf_rb_node', 32, this.u64, 4);
  readonly refcount = this.opaque('bpf_refcount', 4, this.int, 1);
  private readonly sizes = new Map<number, number>([[this.int, 4], [this.u64, 8], [this.lock, 4], [this.head, 16], [this.node, 24], [this.root, 16], [this.rbnode, 32], [this.refcount, 4]]);

  private opaque(name: string, size: number, elem: number, n: number): number {
    const arr = n > 1 ? this.b.array(elem, this.int, n) : elem;
    return this.b.struct(name, size, [{ name: '__opaque', type: arr, offset: 0 }]);
  }

  /** Struct whose size is the end of its last member rounded up to 8. */
  struct(name: string, members: [string, number, number][]): number {
    const end = Math.max(0, ...members.map(([, t, off]) => off + (this.sizes.get(t) ?? 8)));
    const id = this.b.struct(name, Math.ceil(end / 8) * 8, members.map(([n, type, offset]) => ({ name: n, type, offset })));
    this.sizes.set(id, Math.ceil(end / 8) * 8);
    return id;
  }

  contains(structId: number, member: number, value: string): void {
    this.b.declTag(`contains:${value}`, structId, member);
  }

  /** Outcome of the §1.9 load-time check: 0 or the negative errno name. */
  ownership(): number | string {
    try {
      checkOwnershipGraph(parseBtf(this.b.build()));
      return 0;
    } catch (e) {
      if (e instanceof BtfRecordError) return `-${e.errno}`;
      throw e;
    }
  }
}

describe('program BTF ownership graph (graph-collections §1.9 table)', () => {
  it('too many locks: -E2BIG', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['a', p.lock, 0], ['b', p.lock, 4], ['head', p.head, 8]]);
    p.contains(foo, 2, 'bar:node');
    p.struct('bar', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-E2BIG');
  });
  it('missing lock: -EINVAL', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['head', p.head, 0]]);
    p.contains(foo, 0, 'bar:node');
    p.struct('bar', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-EINVAL');
  });
  it('bad offset (head, node, lock all at 0): -EEXIST', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['head', p.head, 0], ['node', p.node, 0], ['lock', p.lock, 0]]);
    p.contains(foo, 0, 'bar:node');
    p.struct('bar', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-EEXIST');
  });
  it('missing contains: -EINVAL', () => {
    const p = new Prog();
    p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.struct('bar', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-EINVAL');
  });
  it('missing struct: -ENOENT', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'baz:node');
    expect(p.ownership()).toBe('-ENOENT');
  });
  it('missing node: -ENOENT', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:nope');
    p.struct('bar', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-ENOENT');
  });
  it('node incorrect type: -EINVAL', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:a');
    p.struct('bar', [['a', p.lock, 0]]);
    expect(p.ownership()).toBe('-EINVAL');
  });
  it('multiple bpf_list_node with name b: -EINVAL', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:b');
    p.struct('bar', [['b', p.node, 0], ['b', p.node, 24]]);
    expect(p.ownership()).toBe('-EINVAL');
  });
  it('owning | owned AA cycle: -ELOOP', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(foo, 1, 'foo:node');
    expect(p.ownership()).toBe('-ELOOP');
  });
  it('owning | owned ABA cycle: -ELOOP', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(foo, 1, 'bar:node');
    const bar = p.struct('bar', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(bar, 1, 'foo:node');
    expect(p.ownership()).toBe('-ELOOP');
  });
  it('owning -> owned: 0', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:node');
    p.struct('bar', [['data', p.int, 0], ['node', p.node, 8]]);
    expect(p.ownership()).toBe(0);
    const btf = parseBtf(p.b.build());
    const metas = checkOwnershipGraph(btf);
    const fooMeta = metas.get(findByName(btf, 'foo', 'STRUCT'))!;
    const head = recordFind(fooMeta.record, 8, BPF_LIST_HEAD)!;
    expect(head.graphRoot).toMatchObject({ valueBtfId: findByName(btf, 'bar', 'STRUCT'), nodeName: 'node', nodeOffset: 8 });
    expect(head.graphRoot!.valueRec).toBe(metas.get(findByName(btf, 'bar', 'STRUCT'))!.record);
  });
  it('owning -> owning|owned -> owned: 0', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:node');
    const bar = p.struct('bar', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(bar, 1, 'baz:node');
    p.struct('baz', [['node', p.node, 0]]);
    expect(p.ownership()).toBe(0);
  });
  it('owning|owned -> owning|owned -> owned: -ELOOP', () => {
    const p = new Prog();
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(foo, 1, 'bar:node');
    const bar = p.struct('bar', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(bar, 1, 'baz:node');
    p.struct('baz', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-ELOOP');
  });
  it('owning -> o|o -> o|o -> owned: -ELOOP', () => {
    const p = new Prog();
    const a = p.struct('a', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(a, 1, 'b:node');
    const b = p.struct('b', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(b, 1, 'c:node');
    const c = p.struct('c', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(c, 1, 'd:node');
    p.struct('d', [['node', p.node, 0]]);
    expect(p.ownership()).toBe('-ELOOP');
  });
  it('list_node and rb_node in the same struct: 0 with bpf_refcount, -EINVAL without', () => {
    const p = new Prog();
    p.struct('foo', [['node', p.node, 0], ['r', p.rbnode, 24], ['ref', p.refcount, 56]]);
    expect(p.ownership()).toBe(0);
    const q = new Prog();
    q.struct('foo', [['node', q.node, 0], ['r', q.rbnode, 24]]);
    expect(q.ownership()).toBe('-EINVAL');
  });
});

describe('findSpecialFields', () => {
  it('reads a clang-compiled map value with list/rb roots and kptrs', () => {
    const btf = parseBtf(fixture('graph.btf'));
    const mv = findByName(btf, 'map_value', 'STRUCT');
    const rec = findSpecialFields(btf, mv, { mask: MAP_VALUE_FIELD_MASK })!;
    expect(rec.fields.map((f) => [f.typeName, f.offset])).toEqual([
      ['bpf_spin_lock', 0], ['bpf_list_head', 8], ['bpf_rb_root', 24], ['kptr', 40], ['kptr', 48],
    ]);
    expect(rec.spinLockOff).toBe(0);
    expect(recordHas(rec, BPF_LIST_HEAD | BPF_RB_ROOT)).toBe(true);
    expect(recordHas(rec, BPF_LIST_NODE)).toBe(false);
    const nd = findByName(btf, 'node_data', 'STRUCT');
    expect(recordFind(rec, 8, BPF_LIST_HEAD)!.graphRoot).toMatchObject({ valueBtfId: nd, nodeName: 'node', nodeOffset: 8 });
    expect(recordFind(rec, 24, BPF_RB_ROOT)!.graphRoot).toMatchObject({ valueBtfId: nd, nodeName: 'r', nodeOffset: 32 });
    expect(recordFind(rec, 40, BPF_KPTR_REF)!.kptr).toMatchObject({ typeId: nd, tag: 'kptr', local: true });
    expect(recordFind(rec, 48, BPF_KPTR_UNREF)!.kptr).toMatchObject({ tag: 'kptr_untrusted' });
    expect(recordFind(rec, 44, BPF_KPTR_REF)).toBeUndefined();
    const ndRec = findSpecialFields(btf, nd)!;
    expect(ndRec.fields.map((f) => f.type)).toEqual([BPF_LIST_NODE, BPF_RB_NODE, BPF_REFCOUNT]);
    expect(ndRec.refcountOff).toBe(72 - 8);
    // the whole program BTF passes the load-time check
    const metas = checkOwnershipGraph(btf);
    expect([...metas.keys()].sort((a, b) => a - b)).toEqual([mv, nd]);
  });

  it('scans DATASEC variables, honouring contains: tags on VARs and one lock per section', () => {
    const p = new Prog();
    const bar = p.struct('bar', [['v', p.int, 0], ['node', p.node, 8]]);
    const vlock = p.b.variable('glock', p.lock);
    const vhead = p.b.variable('ghead', p.head);
    p.b.declTag('contains:bar:node', vhead, -1);
    const sec = p.b.datasec('.data.A', 32, [{ type: vhead, offset: 0, size: 16 }, { type: vlock, offset: 16, size: 4 }]);
    const btf = parseBtf(p.b.build());
    const rec = findSpecialFields(btf, sec, { mask: MAP_VALUE_FIELD_MASK })!;
    expect(rec.fields.map((f) => [f.type, f.offset])).toEqual([[BPF_LIST_HEAD, 0], [BPF_SPIN_LOCK, 16]]);
    expect(rec.fields[0]!.graphRoot?.valueBtfId).toBe(bar);
    const q = new Prog();
    const l1 = q.b.variable('l1', q.lock);
    const l2 = q.b.variable('l2', q.lock);
    const sec2 = q.b.datasec('.data.B', 8, [{ type: l1, offset: 0, size: 4 }, { type: l2, offset: 4, size: 4 }]);
    expect(() => findSpecialFields(parseBtf(q.b.build()), sec2)).toThrow(BtfRecordError);
  });

  it('replicates kptrs of arrays and nested structs, rejects arrays of locks, caps at 11 fields', () => {
    const p = new Prog();
    const target = p.struct('target', [['x', p.int, 0]]);
    const tag = p.b.typeTag('kptr', target);
    const ptr = p.b.ptr(tag);
    const arr3 = p.b.array(ptr, p.int, 3);
    const inner = p.b.struct('inner', 24, [{ name: 'ps', type: arr3, offset: 0 }]);
    const inner2 = p.b.array(inner, p.int, 2);
    const outer = p.b.struct('outer', 56, [{ name: 'lock', type: p.lock, offset: 0 }, { name: 'in', type: inner2, offset: 8 }]);
    const locks = p.b.array(p.lock, p.int, 2);
    const bad = p.b.struct('bad', 8, [{ name: 'l', type: locks, offset: 0 }]);
    const arr12 = p.b.array(ptr, p.int, 12);
    const many = p.b.struct('many', 96, [{ name: 'ps', type: arr12, offset: 0 }]);
    const btf = parseBtf(p.b.build());
    const rec = findSpecialFields(btf, outer)!;
    expect(rec.fields.map((f) => f.offset)).toEqual([0, 8, 16, 24, 32, 40, 48]);
    expect(rec.fields.slice(1).every((f) => f.type === BPF_KPTR_REF)).toBe(true);
    expect(() => findSpecialFields(btf, bad)).toThrow(expect.objectContaining({ errno: 'EINVAL' }));
    expect(() => findSpecialFields(btf, many)).toThrow(expect.objectContaining({ errno: 'E2BIG' }));
  });

  it('classifies kptrs as kernel or local by the pointee name and kind in the kernel BTF', () => {
    const k = new BtfBuilder();
    const kint = k.int('int', 4);
    const kTask = k.struct('task_struct', 4, [{ name: 'pid', type: kint, offset: 0 }]);
    const kernel = parseBtf(k.build());
    const p = new Prog();
    const task = p.struct('task_struct', [['pid', p.int, 0]]);
    const mine = p.struct('mine', [['x', p.int, 0]]);
    const pt = p.b.ptr(p.b.typeTag('kptr', task));
    const pm = p.b.ptr(p.b.typeTag('kptr', mine));
    const v = p.b.struct('v', 16, [{ name: 't', type: pt, offset: 0 }, { name: 'm', type: pm, offset: 8 }]);
    const btf = parseBtf(p.b.build());
    const rec = findSpecialFields(btf, v, { kernelBtf: kernel })!;
    expect(rec.fields[0]!.kptr).toMatchObject({ typeId: task, local: false, kernelTypeId: kTask });
    expect(rec.fields[1]!.kptr).toMatchObject({ typeId: mine, local: true, kernelTypeId: undefined });
  });

  it('rejects bad kptr tags and ignores wrong-size look-alikes', () => {
    const p = new Prog();
    const target = p.struct('target', [['x', p.int, 0]]);
    const weird = p.b.typeTag('kptr_weird', target);
    const wptr = p.b.ptr(weird);
    const s1 = p.b.struct('s1', 8, [{ name: 'p', type: wptr, offset: 0 }]);
    const fakeLock = p.b.struct('bpf_spin_lock', 8, [{ name: 'v', type: p.u64, offset: 0 }]);
    const s2 = p.b.struct('s2', 8, [{ name: 'l', type: fakeLock, offset: 0 }]);
    const plain = p.b.ptr(target);
    const s3 = p.b.struct('s3', 8, [{ name: 'p', type: plain, offset: 0 }]);
    const btf = parseBtf(p.b.build());
    expect(() => findSpecialFields(btf, s1)).toThrow(expect.objectContaining({ errno: 'EINVAL' }));
    expect(findSpecialFields(btf, s2)).toBeNull();
    expect(findSpecialFields(btf, s3)).toBeNull();
  });
});
