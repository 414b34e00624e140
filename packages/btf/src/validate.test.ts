import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBtf } from './parse.js';
import { BtfBuilder, type BtfTypeSpec } from './testing/builder.js';
import { fixture, hasVmlinux, VMLINUX } from './testing/fixtures.js';
import { loadableBlob } from './testing/oracle-blobs.js';
import { validateBtf, validateBtfBytes } from './validate.js';

function check(specs: BtfTypeSpec[]): { message?: string; typeId?: number; errno?: string; line?: string } {
  const r = validateBtf(parseBtf(BtfBuilder.build(specs)));
  return r.error ? { message: r.error.message, typeId: r.error.typeId, errno: r.error.errno, line: r.error.line } : {};
}

const INT: BtfTypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: 1, nrBits: 32 };

describe('validateBtf (kernel rules)', () => {
  it('accepts well-formed BTF', () => {
    expect(check([INT, { kind: 'PTR', type: 1 }, { kind: 'STRUCT', name: 's', size: 16, members: [{ name: 'a', type: 1, bitsOffset: 0 }, { name: 'p', type: 2, bitsOffset: 64 }] }])).toEqual({});
  });

  it('reports meta errors with the kernel text and type id', () => {
    expect(check([INT, { kind: 'STRUCT', name: 's', size: 8, members: [{ name: 'a', type: 1, bitsOffset: 32 }, { name: 'b', type: 1, bitsOffset: 0 }] }]))
      .toMatchObject({ message: 'Invalid member bits_offset', typeId: 2, line: '\tb type_id=1 bits_offset=0 Invalid member bits_offset' });
    expect(check([INT, { kind: 'UNION', name: 'u', size: 8, members: [{ name: 'a', type: 1, bitsOffset: 32 }] }])).toMatchObject({ message: 'Invalid member bits_offset' });
    expect(check([INT, { kind: 'STRUCT', name: 's', size: 4, members: [{ name: 'a', type: 1, bitsOffset: 64 }] }])).toMatchObject({ message: 'Member bits_offset exceeds its struct size' });
    expect(check([{ kind: 'INT', name: 'int', size: 4, nrBits: 129 }])).toMatchObject({ message: 'nr_bits exceeds 128', typeId: 1 });
    expect(check([{ kind: 'INT', name: 'int', size: 2, nrBits: 32 }])).toMatchObject({ message: 'nr_bits exceeds type_size' });
    expect(check([{ kind: 'INT', name: 'int', size: 4, nrBits: 32, encoding: 3 }])).toMatchObject({ message: 'Unsupported encoding', errno: 'ENOTSUPP' });
    expect(check([{ kind: 'INT', name: 'int', size: 4, rawIntData: 0x10000020 }])).toMatchObject({ message: 'Invalid int_data:10000020' });
    expect(check([INT, { kind: 'PTR', type: 1, name: 'p' }])).toMatchObject({ message: 'Invalid name', typeId: 2 });
    expect(check([INT, { kind: 'TYPEDEF', type: 1, name: '9bad' }])).toMatchObject({ message: 'Invalid name' });
    expect(check([INT, { kind: 'PTR', type: 1, rawInfo: (2 << 24) | 1 }])).toMatchObject({ message: 'vlen != 0' });
    expect(check([INT, { kind: 'PTR', type: 1, rawInfo: (2 << 24) | (1 << 16) }])).toMatchObject({ message: 'Invalid btf_info:2010000' });
    expect(check([INT, { kind: 'CONST', type: 1, kindFlag: true }])).toMatchObject({ message: 'Invalid btf_info kind_flag' });
    expect(check([{ kind: 'ENUM', name: 'e', size: 3, values: [] }])).toMatchObject({ message: 'Unexpected size' });
    expect(check([{ kind: 'FLOAT', name: 'f', size: 6 }])).toMatchObject({ message: 'Invalid type_size' });
    expect(check([{ kind: 'FWD', name: '' }])).toMatchObject({ message: 'Invalid name' });
    expect(check([INT, { kind: 'VAR', name: 'v', type: 1, linkage: 2 }])).toMatchObject({ message: 'Linkage not supported' });
    expect(check([INT, { kind: 'FUNC_PROTO', returnType: 1, params: [] }, { kind: 'FUNC', name: 'f', type: 2, linkage: 2 }])).toMatchObject({ message: 'Invalid func linkage', typeId: 3 });
    expect(check([INT, { kind: 'VAR', name: 'v', type: 1 }, { kind: 'DATASEC', name: '.data', size: 0, vars: [] }])).toMatchObject({ message: 'size == 0', typeId: 3 });
    expect(check([INT, { kind: 'VAR', name: 'v', type: 1 }, { kind: 'DATASEC', name: '.data', size: 8, vars: [{ type: 2, offset: 8, size: 4 }] }])).toMatchObject({ message: 'Invalid offset' });
    expect(check([INT, { kind: 'DECL_TAG', name: 't', type: 1, componentIdx: -2 }])).toMatchObject({ message: 'Invalid component_idx' });
    expect(check([INT, { kind: 'DECL_TAG', name: '', type: 1 }])).toMatchObject({ message: 'Invalid value' });
  });

  it('reports resolution errors', () => {
    // typedef loop: 1 -> 2 -> 1
    expect(check([{ kind: 'TYPEDEF', name: 'a', type: 2 }, { kind: 'TYPEDEF', name: 'b', type: 1 }]))
      .toMatchObject({ message: 'Loop detected', typeId: 1, errno: 'EEXIST' });
    // struct containing itself by value
    expect(check([{ kind: 'STRUCT', name: 's', size: 4, members: [{ name: 'x', type: 1, bitsOffset: 0 }] }])).toMatchObject({ message: 'Loop detected' });
    // self-pointer is fine
    expect(check([{ kind: 'STRUCT', name: 's', size: 8, members: [{ name: 'x', type: 2, bitsOffset: 0 }] }, { kind: 'PTR', type: 1 }])).toEqual({});
    // a chain of 40 typedefs
    const chain: BtfTypeSpec[] = [INT];
    for (let i = 0; i < 40; i++) chain.push({ kind: 'TYPEDEF', name: `t${i}`, type: chain.length });
    const deep = [INT, ...chain.slice(1).reverse().map((s, i, a) => ({ ...s, type: i === a.length - 1 ? 1 : i + 3 }))] as BtfTypeSpec[];
    expect(check(deep)).toMatchObject({ message: 'Exceeded max resolving depth:32', typeId: 2, errno: 'E2BIG' });
    expect(check([INT, { kind: 'STRUCT', name: 's', size: 4, members: [{ name: 'a', type: 1, bitsOffset: 4 }] }])).toMatchObject({ message: 'Member exceeds struct_size' });
    expect(check([INT, { kind: 'PTR', type: 1 }, { kind: 'STRUCT', name: 's', size: 16, members: [{ name: 'p', type: 2, bitsOffset: 4 }] }])).toMatchObject({ message: 'Member is not byte aligned' });
    expect(check([INT, { kind: 'STRUCT', name: 's', size: 4, members: [{ name: 'a', type: 1, bitsOffset: 0, bitfieldSize: 40 }], kindFlag: true }])).toMatchObject({ message: 'Invalid member bitfield_size' });
    expect(check([INT, { kind: 'FUNC_PROTO', returnType: 0, params: [] }, { kind: 'STRUCT', name: 's', size: 4, members: [{ name: 'f', type: 2, bitsOffset: 0 }] }])).toMatchObject({ message: 'Invalid member' });
    expect(check([{ kind: 'FLOAT', name: 'double', size: 8 }, { kind: 'STRUCT', name: 's', size: 16, members: [{ name: 'd', type: 1, bitsOffset: 32 }] }])).toMatchObject({ message: 'Member is not properly aligned' });
    expect(check([INT, { kind: 'ARRAY', type: 1, indexType: 1, nelems: 0x40000000 + 1 }])).toMatchObject({ message: 'Array size overflows U32_MAX' });
    expect(check([INT, { kind: 'FWD', name: 'f' }, { kind: 'ARRAY', type: 1, indexType: 2, nelems: 1 }])).toMatchObject({ message: 'Invalid index' });
    expect(check([INT, { kind: 'INT', name: 'b', size: 4, nrBits: 3 }, { kind: 'ARRAY', type: 2, indexType: 1, nelems: 1 }])).toMatchObject({ message: 'Invalid array of int' });
    expect(check([INT, { kind: 'FUNC', name: 'f', type: 1 }])).toMatchObject({ message: 'Invalid type_id', typeId: 2 });
    expect(check([INT, { kind: 'FUNC_PROTO', returnType: 1, params: [{ type: 1 }] }, { kind: 'FUNC', name: 'f', type: 2 }])).toMatchObject({ message: 'Invalid arg#1', typeId: 3 });
    expect(check([INT, { kind: 'VAR', name: 'v', type: 1 }, { kind: 'FUNC_PROTO', returnType: 2, params: [] }])).toMatchObject({ message: 'Invalid return type' });
    expect(check([INT, { kind: 'STRUCT', name: 's', size: 4, members: [] }, { kind: 'DATASEC', name: '.data', size: 4, vars: [{ type: 2, offset: 0, size: 4 }] }])).toMatchObject({ message: 'Not a VAR kind member' });
    expect(check([INT, { kind: 'VAR', name: 'v', type: 1 }, { kind: 'DECL_TAG', name: 't', type: 2, componentIdx: 0 }])).toMatchObject({ message: 'Invalid component_idx' });
    expect(check([INT, { kind: 'DECL_TAG', name: 't', type: 1 }])).toMatchObject({ message: 'Invalid type_id' });
  });

  it('checks type tag placement', () => {
    // PTR -> CONST -> TYPE_TAG -> int: tag after a modifier
    expect(check([INT, { kind: 'TYPE_TAG', name: 'user', type: 1 }, { kind: 'CONST', type: 2 }, { kind: 'PTR', type: 3 }]))
      .toMatchObject({ message: "Type tags don't precede modifiers", typeId: 3 });
    expect(check([INT, { kind: 'CONST', type: 1 }, { kind: 'TYPE_TAG', name: 'user', type: 2 }, { kind: 'PTR', type: 3 }])).toEqual({});
  });

  it('distinguishes clang objects as written from what the kernel accepts', () => {
    const btf = parseBtf(fixture('kinds.bpfel.btf'));
    const k = validateBtf(btf);
    expect(k.ok).toBe(false);
    expect(k.error?.message).toBe('Invalid func linkage');
    const o = validateBtf(btf, { mode: 'object' });
    expect(o.ok).toBe(true);
    const msgs = new Set(o.fixups.map((f) => f.message));
    expect([...msgs].sort()).toEqual(['Invalid func linkage', 'Linkage not supported', 'Not a VAR kind member', 'size == 0']);
  });

  it('checks the header like the kernel', () => {
    const good = BtfBuilder.build([INT]);
    expect(validateBtfBytes(good).ok).toBe(true);
    expect(validateBtfBytes(good.subarray(0, 6)).error?.message).toBe('hdr_len not found');
    const magic = good.slice(); magic[0] = 0;
    expect(validateBtfBytes(magic).error?.message).toBe('Invalid magic');
    const ver = good.slice(); ver[2] = 2;
    expect(validateBtfBytes(ver).error).toMatchObject({ message: 'Unsupported version', errno: 'ENOTSUPP' });
    const ext = BtfBuilder.build([INT], { headerExtra: new Uint8Array([1, 0, 0, 0]) });
    expect(validateBtfBytes(ext).error).toMatchObject({ message: 'Unsupported btf_header', errno: 'E2BIG' });
    expect(validateBtfBytes(good.subarray(0, 24)).error?.message).toBe('No data');
    const trailing = new Uint8Array(good.length + 4); trailing.set(good);
    expect(validateBtfBytes(trailing).error?.message).toBe('Unsupported section found');
    const nostr = good.slice(); nostr[nostr.length - 1] = 65;
    expect(validateBtfBytes(nostr).error?.message).toBe('Invalid string section');
  });

  if (hasVmlinux()) {
    it('accepts the running kernel BTF (/sys/kernel/btf/vmlinux)', () => {
      const r = validateBtf(parseBtf(new Uint8Array(readFileSync(VMLINUX))));
      expect(r.error).toBeUndefined();
    }, 60_000);
  } else {
    it('accepts the blob the kernel accepted in btf-oracle.json, and the clang fixtures as objects (no /sys/kernel/btf/vmlinux on this machine)', () => {
      expect(validateBtfBytes(loadableBlob())).toMatchObject({ ok: true, error: undefined });
      for (const f of ['kinds.bpfel.btf', 'kinds.bpfeb.btf', 'graph.btf', 'core.btf']) expect(validateBtf(parseBtf(fixture(f)), { mode: 'object' }).error).toBeUndefined();
    });
  }
});
