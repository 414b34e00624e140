import { MAP_VALUE_FIELD_MASK, checkAndFixupFields, checkOwnershipGraph, findSpecialFields } from '@bpfkit/btf';
import { describe, expect, it } from 'vitest';
import { CollectionsError } from './errors.js';
import { memberReader } from './keys.js';
import { readGraph, readList, readTree } from './reader.js';
import {
  FieldKind as K, NO_OFFSET, decodeRecord, encodeRecords, encodeRecordsAt, layoutRecords, planRecords, type RecordPlan,
} from './records.js';
import { buildTestBtf } from './testing/btf-model.js';
import { loadHarness } from './testing/harness.js';

function mapPlan(withMetas: boolean): { plan: RecordPlan; t: ReturnType<typeof buildTestBtf> } {
  const t = buildTestBtf();
  const metas = checkOwnershipGraph(t.btf);
  const valRec = findSpecialFields(t.btf, t.ids.val, { mask: MAP_VALUE_FIELD_MASK })!;
  checkAndFixupFields(valRec, metas);
  const plan = planRecords(t.btf, [{ key: 'map:vals', size: 40, record: valRec }], withMetas ? { metas } : {});
  return { plan, t };
}

describe('planRecords / encodeRecords', () => {
  it('plans the value record and every record it references, once each', () => {
    for (const withMetas of [true, false]) {
      const { plan, t } = mapPlan(withMetas);
      expect(plan.entries.map((e) => e.key)).toEqual(['map:vals', `type:${t.ids.outer}`, `type:${t.ids.leaf}`, `type:${t.ids.plain}`, `type:${t.ids.elem}`]);
      const val = plan.entries[0]!;
      expect(val.spinLockOff).toBe(0);
      expect(val.refcountOff).toBe(NO_OFFSET);
      expect(val.fields).toEqual([
        { kind: K.SPIN_LOCK, offset: 0, auxEntry: -1, aux2: 0 },
        { kind: K.LIST_HEAD, offset: 8, auxEntry: 1, aux2: 8 },
        { kind: K.KPTR_REF, offset: 24, auxEntry: 1, aux2: 0 },
        { kind: K.KPTR_UNREF, offset: 32, auxEntry: -1, aux2: 0 },
      ]);
      const outer = plan.entries[plan.indexOfType(t.ids.outer)]!;
      expect(outer.size).toBe(80);
      expect(outer.fields.map((f) => [f.kind, f.offset, f.auxEntry, f.aux2])).toEqual([
        [K.LIST_NODE, 8, -1, 0], [K.SPIN_LOCK, 32, -1, 0], [K.LIST_HEAD, 40, 2, 8], [K.KPTR_REF, 56, 3, 0], [K.RB_ROOT, 64, 4, 40],
      ]);
      // the kptr pointee without special fields still gets an (empty) record, so a drop frees it
      expect(plan.entries[3]!).toMatchObject({ size: 8, fields: [], byteLength: 16 });
      expect(plan.entries[4]!).toMatchObject({ size: 80, refcountOff: 8 });
      expect(plan.totalSize).toBe(plan.entries.reduce((s, e) => s + e.byteLength, 0));
      expect(plan.indexOf('map:vals')).toBe(0);
      expect(plan.indexOf('nope')).toBe(-1);
    }
  });

  it('encodes at caller-given addresses with references resolved, and decodes back', () => {
    const { plan } = mapPlan(true);
    const addrs = [0x20000, 0x30000, 0x30100, 0x30200, 0x40008];
    const bytes = encodeRecords(plan, addrs);
    const mem = new DataView(new ArrayBuffer(0x50000));
    bytes.forEach((b, i) => new Uint8Array(mem.buffer).set(b, addrs[i]!));
    const val = decodeRecord(mem, 0x20000);
    expect(val).toEqual({
      addr: 0x20000, size: 40, spinLockOff: 0, refcountOff: undefined,
      fields: [
        { kind: K.SPIN_LOCK, offset: 0, aux: 0, aux2: 0 }, { kind: K.LIST_HEAD, offset: 8, aux: 0x30000, aux2: 8 },
        { kind: K.KPTR_REF, offset: 24, aux: 0x30000, aux2: 0 }, { kind: K.KPTR_UNREF, offset: 32, aux: 0, aux2: 0 },
      ],
    });
    const outer = decodeRecord(mem, 0x30000);
    expect(outer.fields.map((f) => f.aux)).toEqual([0, 0, 0x30100, 0x30200, 0x40008]);
    expect(decodeRecord(mem, 0x40008).refcountOff).toBe(8);
    // one contiguous block
    const at = encodeRecordsAt(plan, 0x1000);
    expect(at.addresses).toEqual(layoutRecords(plan, 0x1000));
    expect(at.bytes.length).toBe(plan.totalSize);
  });

  it('rejects bad addresses and duplicate keys with typed errors', () => {
    const { plan, t } = mapPlan(true);
    expect(() => encodeRecords(plan, [8, 16])).toThrow(CollectionsError);
    expect(() => encodeRecords(plan, [0x1001, 0x2000, 0x3000, 0x4000, 0x5000])).toThrow(/8-aligned/);
    expect(() => layoutRecords(plan, 4)).toThrow(CollectionsError);
    expect(() => planRecords(t.btf, [{ key: 'a', size: 8, record: null }, { key: 'a', size: 8, record: null }])).toThrow(/duplicate/);
    const valRec = findSpecialFields(t.btf, t.ids.val, { mask: MAP_VALUE_FIELD_MASK })!;
    expect(() => planRecords(t.btf, [{ key: 'small', size: 16, record: valRec }])).toThrow(/does not fit/);
  });

  it('decodeRecord reports corrupt records with their location', () => {
    const mem = new DataView(new ArrayBuffer(256));
    const put = (o: number, ...w: number[]): void => w.forEach((v, i) => mem.setUint32(o + 4 * i, v, true));
    put(64, 16, NO_OFFSET, NO_OFFSET, 1, 42, 0, 0, 0);
    expect(() => decodeRecord(mem, 64)).toThrow(expect.objectContaining({ code: 'BAD_RECORD', addr: 80 }));
    put(64, 16, NO_OFFSET, NO_OFFSET, 1, K.LIST_HEAD, 8, 0, 0); // 8 + 16 > 16
    expect(() => decodeRecord(mem, 64)).toThrow(/exceeds/);
    put(64, 16, 4, NO_OFFSET, 0);
    expect(() => decodeRecord(mem, 64)).toThrow(/spinLockOff 4 names no such field/);
    put(64, 16, NO_OFFSET, NO_OFFSET, 1000);
    expect(() => decodeRecord(mem, 64)).toThrow(CollectionsError);
    expect(() => decodeRecord(mem, 250)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
  });
});

describe('encoded records drive the AssemblyScript collections', () => {
  it('map value with a list of objects that own lists, trees and kptrs: read back with keys, then drained to zero', async () => {
    const { plan, t } = mapPlan(true);
    const h = await loadHarness();
    const x = h.x;
    const addrs = h.writePlan(plan);
    const recVal = addrs[0]!;
    const recOf = (id: number): number => addrs[plan.indexOfType(id)]!;
    const value = x.staticAlloc(40) >>> 0;
    x.setKey(-40, 0); // elem.key is 40 bytes before elem.r
    const key = memberReader(t.btf, t.ids.elem, 'key');
    const prio = memberReader(t.btf, t.ids.elem, 'prio');
    const outers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const o = x.objNew(recOf(t.ids.outer)) >>> 0;
      outers.push(o);
      h.setU64(o, BigInt(100 + i));
      for (let j = 0; j < 2; j++) {
        const l = x.objNew(recOf(t.ids.leaf)) >>> 0;
        expect(x.listPush(o + 40, l + 8, l, recOf(t.ids.leaf), 1)).toBe(0);
      }
      for (const k of [5, 1, 3]) {
        const e = x.objNew(recOf(t.ids.elem)) >>> 0;
        h.setU64(e, BigInt(k * 10 + i));
        h.view.setInt32(e + 72, -1, true);
        expect(x.rbAdd(o + 64, e + 40, e, recOf(t.ids.elem))).toBe(0);
      }
      h.setU64(o + 56, BigInt(x.objNew(recOf(t.ids.plain)) >>> 0)); // kptr_xchg of a plain object
      expect(x.listPush(value + 8, o + 8, o, recOf(t.ids.outer), 1)).toBe(0);
    }
    expect(x.liveCount()).toBe(3 * (1 + 2 + 3 + 1));
    expect(readList(h.view, value + 8, { nodeOffset: 8 })).toEqual(outers);
    const g = readGraph(h.view, value, recVal);
    const list = g.fields[0]!;
    if (list.kind !== 'list') throw new Error('expected the list first');
    expect(list.elements.map((o) => o.addr)).toEqual(outers);
    const trees = list.elements.map((o) => o.fields.find((f) => f.kind === 'rbtree')!);
    expect(trees.map((f) => f.kind === 'rbtree' && f.elements.map((e) => key(h.view, e.addr)))).toEqual([
      [10n, 30n, 50n], [11n, 31n, 51n], [12n, 32n, 52n],
    ]);
    if (trees[0]!.kind !== 'rbtree') throw new Error('tree');
    expect(trees[0]!.elements[0]!.refcount).toBe(1);
    expect(prio(h.view, trees[0]!.elements[0]!.addr)).toBe(-1);
    expect(readTree(h.view, outers[0]! + 64, { nodeOffset: 40 }).inOrder.length).toBe(3);
    // a map update drains the value: everything, nested included, is freed
    x.objFreeFields(value, recVal);
    expect(x.liveCount()).toBe(0);
    x.flush();
    expect(x.badFreeCount()).toBe(0);
  });
});
