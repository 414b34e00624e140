import { describe, expect, it } from 'vitest';
import { BtfError } from './errors.js';
import { parseBtf } from './parse.js';
import { BtfBuilder } from './testing/builder.js';
import { fixture, hasVmlinux, VMLINUX } from './testing/fixtures.js';
import { readFileSync } from 'node:fs';

function expectBtfError(fn: () => unknown, code: string): BtfError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BtfError);
    expect((e as BtfError).code).toBe(code);
    return e as BtfError;
  }
  throw new Error('expected a BtfError');
}

describe('parseBtf', () => {
  it('reads a clang object BTF with every kind clang emits', () => {
    const btf = parseBtf(fixture('kinds.bpfel.btf'));
    expect(btf.bigEndian).toBe(false);
    expect(btf.startId).toBe(1);
    expect(btf.types[0]!.kind).toBe('VOID');
    const kinds = new Set(btf.types.map((t) => t.kind));
    for (const k of ['INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE', 'CONST',
      'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64']) {
      expect(kinds.has(k as never), k).toBe(true);
    }
    const s = btf.types.find((t) => t.name === 'my_struct');
    expect(s?.kind).toBe('STRUCT');
    if (s?.kind !== 'STRUCT') return;
    expect(s.kindFlag).toBe(true);
    expect(s.members[2]).toMatchObject({ name: 'c', bitsOffset: 35, bitfieldSize: 5 });
    const big = btf.types.find((t) => t.name === 'big');
    expect(big?.kind === 'ENUM64' && big.values[0]!.value).toBe(1n << 32n);
    const color = btf.types.find((t) => t.name === 'color');
    expect(color?.kind === 'ENUM' && color.values[2]!.value).toBe(-1);
    const tag = btf.types.find((t) => t.name === 'argtag');
    expect(tag?.kind === 'DECL_TAG' && tag.componentIdx).toBe(0);
  });

  it('reads big-endian BTF to the same model', () => {
    const le = parseBtf(fixture('kinds.bpfel.btf'));
    const be = parseBtf(fixture('kinds.bpfeb.btf'));
    expect(be.bigEndian).toBe(true);
    expect(be.types).toEqual(le.types);
  });

  it('round-trips builder output in both byte orders', () => {
    const b = new BtfBuilder();
    const int = b.int('int', 4, { signed: true });
    const s = b.struct('pair', 8, [{ name: 'a', type: int, offset: 0 }, { name: 'b', type: int, offset: 4 }]);
    b.add({ kind: 'ENUM64', name: 'e', values: [{ name: 'X', value: (1n << 63n) | 5n }], kindFlag: false });
    b.declTag('t', s, 1);
    for (const bigEndian of [false, true]) {
      const btf = parseBtf(b.build({ bigEndian }));
      expect(btf.typeCount).toBe(5);
      expect(btf.type(2)).toMatchObject({ kind: 'STRUCT', name: 'pair', size: 8 });
      expect(btf.type(3)).toMatchObject({ kind: 'ENUM64', values: [{ name: 'X', value: (1n << 63n) | 5n }] });
      expect(btf.type(4)).toMatchObject({ kind: 'DECL_TAG', type: 2, componentIdx: 1 });
    }
  });

  it('parses split BTF on top of a base', () => {
    const base = new BtfBuilder();
    const int = base.int('int', 4, { signed: true });
    const baseBtf = parseBtf(base.build());
    const split = new BtfBuilder({ startId: baseBtf.typeCount, strBase: baseBtf.strEnd });
    const p = split.ptr(int);
    const td = split.typedef('intp', p);
    const tdInt = split.add({ kind: 'TYPEDEF', nameOff: baseBtf.types[int]!.nameOff, type: int });
    const btf = parseBtf(split.build(), { base: baseBtf });
    expect(btf.startId).toBe(2);
    expect(btf.typeCount).toBe(5);
    expect(btf.type(p)).toMatchObject({ kind: 'PTR', type: int });
    expect(btf.type(td).name).toBe('intp');
    expect(btf.type(tdInt).name).toBe('int');
    expect(btf.type(int).name).toBe('int');
    expect(btf.str(btf.type(td).nameOff)).toBe('intp');
  });

  it('rejects structural problems with typed errors', () => {
    expectBtfError(() => parseBtf(new Uint8Array(10)), 'TRUNCATED_HEADER');
    expectBtfError(() => parseBtf(new Uint8Array(24)), 'BAD_MAGIC');
    const good = new BtfBuilder();
    good.struct('s', 4, [{ name: 'a', type: good.int('int', 4), offset: 0 }]);
    const bytes = good.build();
    // truncate the member record: shrink type_len by 4 and move strings accordingly
    const dv = new DataView(bytes.buffer);
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(12, dv.getUint32(12, true) - 4, true);
    const e = expectBtfError(() => parseBtf(bad), 'TRUNCATED_TYPE');
    expect(e.typeId).toBe(2);
    // section outside the blob
    const out = bytes.slice();
    new DataView(out.buffer).setUint32(20, 1 << 30, true);
    expectBtfError(() => parseBtf(out), 'BAD_LAYOUT');
    // unknown kind 25
    const unk = BtfBuilder.build([{ kind: 'INT', name: 'int', size: 4 }, { kind: 'PTR', type: 1, rawInfo: 25 << 24 }]);
    const e2 = expectBtfError(() => parseBtf(unk), 'UNKNOWN_KIND');
    expect(e2.typeId).toBe(2);
    expect(e2.offset).toBe(24 + 16);
    // name offset out of range
    expectBtfError(() => parseBtf(BtfBuilder.build([{ kind: 'INT', nameOff: 999, size: 4 }])), 'BAD_STRING_OFFSET');
    // huge vlen must not hang or allocate: truncated
    expectBtfError(() => parseBtf(BtfBuilder.build([{ kind: 'STRUCT', name: 's', size: 4, members: [], rawInfo: (4 << 24) | 0xffff }])), 'TRUNCATED_TYPE');
  });

  if (!hasVmlinux()) {
    it('parses every committed clang fixture quickly (no /sys/kernel/btf/vmlinux on this machine)', () => {
      for (const f of ['kinds.bpfel.btf', 'kinds.bpfeb.btf', 'graph.btf', 'core.btf']) {
        const t0 = performance.now();
        const btf = parseBtf(fixture(f));
        expect(performance.now() - t0).toBeLessThan(500);
        expect(btf.typeCount).toBeGreaterThan(10);
        expect(btf.types.some((t) => t.kind === 'STRUCT' && t.name !== '')).toBe(true);
      }
    });
  } else {
    it('parses the running kernel BTF (/sys/kernel/btf/vmlinux) quickly', () => {
      const raw = new Uint8Array(readFileSync(VMLINUX));
      parseBtf(raw);
      const t0 = performance.now();
      const btf = parseBtf(raw);
      const ms = performance.now() - t0;
      expect(btf.typeCount).toBeGreaterThan(1000);
      expect(btf.types.find((t) => t.name === 'task_struct')?.kind).toBe('STRUCT');
      expect(ms).toBeLessThan(1500); // generous bound for loaded CI machines; ~50 ms warm on the dev box
    }, 60_000);
  }
});
