import { readFileSync } from 'node:fs';
import { findByName, parseBtf } from '@bpfkit/btf';
import { kernelBtfBytes, loadObject } from '@bpfkit/object';
import { describe, expect, test } from 'vitest';
import { NONE, RecordKind, RecordSet } from './records.js';

const obj = (name: string) => {
  const { spec, btfFixups } = loadObject(new Uint8Array(readFileSync(new URL(`../../../fixtures/obj/${name}.bpf.o`, import.meta.url))), { name });
  return { spec, btf: parseBtf(kernelBtfBytes(spec.btf!, btfFixups!)) };
};

describe('records', () => {
  test('list_nested: map value → outer → inner, encoded per the contract', () => {
    const { spec, btf } = obj('list_nested');
    const rs = new RecordSet(btf);
    const roots = spec.maps.find((m) => m.name === 'roots')!;
    const key = rs.valueRecord('m0', roots.btfValueTypeId, roots.valueSize, roots.name)!;
    const outerId = findByName(btf, 'outer', 'STRUCT');
    const innerId = findByName(btf, 'inner', 'STRUCT');
    const v = rs.desc(key)!;
    expect(v.size).toBe(roots.valueSize);
    expect(v.spinLockOff).toBe(0);
    expect(v.refcountOff).toBe(NONE);
    expect(v.fields.map((f) => f.kind)).toEqual([RecordKind.SPIN_LOCK, RecordKind.LIST_HEAD]);
    expect(v.fields[1]).toMatchObject({ off: 8, typeId: outerId, nodeOff: 24 });
    const o = rs.desc(`t${outerId}`)!;
    expect(o.fields.map((f) => f.kind)).toEqual([RecordKind.SPIN_LOCK, RecordKind.LIST_HEAD, RecordKind.LIST_NODE]);
    expect(o.fields[1]).toMatchObject({ typeId: innerId, nodeOff: 8 });
    expect(rs.desc(`t${innerId}`)!.fields).toEqual([{ kind: RecordKind.LIST_NODE, off: 8 }]);

    const base = 0x20000;
    const bytes = rs.encode(base);
    expect(bytes.byteLength).toBe(rs.byteLength);
    const dv = new DataView(bytes.buffer);
    const at = (k: string) => rs.addrOf(k) - base;
    const p = at(key);
    expect([dv.getUint32(p, true), dv.getUint32(p + 4, true), dv.getUint32(p + 8, true), dv.getUint32(p + 12, true)]).toEqual([roots.valueSize, 0, NONE, 2]);
    // field 1: LIST_HEAD at 8, aux = address of outer's record, aux2 = node offset
    expect([dv.getUint32(p + 32, true), dv.getUint32(p + 36, true), dv.getUint32(p + 40, true), dv.getUint32(p + 44, true)]).toEqual([
      RecordKind.LIST_HEAD, 8, rs.addrOf(`t${outerId}`), 24,
    ]);
    expect(rs.addrOf(key) % 8).toBe(0);
  });

  test('a global section record comes from the fixed DATASEC', () => {
    const { spec, btf } = obj('list_global');
    const rs = new RecordSet(btf);
    const m = spec.maps.find((x) => x.section === '.bss.A')!;
    const key = rs.valueRecord('g', m.datasecId!, m.valueSize, m.name)!;
    expect(rs.desc(key)!.fields.map((f) => f.kind).sort()).toEqual([RecordKind.SPIN_LOCK, RecordKind.LIST_HEAD]);
  });

  test('a value without special fields has no record; plain structs get an empty one', () => {
    const { spec, btf } = obj('plain');
    const rs = new RecordSet(btf);
    const m = spec.maps.find((x) => x.name === 'stats_array')!;
    expect(rs.valueRecord('x', m.btfValueTypeId, m.valueSize, m.name)).toBeUndefined();
    const id = findByName(btf, 'pkt_stats', 'STRUCT');
    expect(rs.desc(rs.structRecord(id))).toMatchObject({ size: 16, fields: [], spinLockOff: NONE });
  });
});
