import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BtfError } from './errors.js';
import { parseBtf } from './parse.js';
import {
  alignOf, declTags, findAllByName, findByName, findMember, memberOffset, pointerTypeTags, resolveSize, resolveType, sizeOf,
  skipModifiers, skipModsAndTypedefs, trySizeOf, typeLabel,
} from './query.js';
import { BtfBuilder } from './testing/builder.js';
import { fixture, hasVmlinux, VMLINUX } from './testing/fixtures.js';

describe('queries on a clang object', () => {
  const btf = parseBtf(fixture('kinds.bpfel.btf'));
  const ms = findByName(btf, 'my_struct', 'STRUCT');

  it('finds by name and kind (first match), and void', () => {
    expect(ms).toBeGreaterThan(0);
    expect(findByName(btf, 'my_struct', 'UNION')).toBe(-1);
    expect(findByName(btf, 'nope')).toBe(-1);
    expect(findByName(btf, 'void')).toBe(0);
    expect(findByName(btf, 'u32')).toBe(findByName(btf, 'u32', 'TYPEDEF'));
    expect(findAllByName(btf, 'int')).toEqual([findByName(btf, 'int', 'INT')]);
  });

  it('computes sizes, alignment and member offsets like clang laid them out', () => {
    expect(sizeOf(btf, ms)).toBe(120);
    expect(alignOf(btf, ms)).toBe(8);
    expect(sizeOf(btf, findByName(btf, 'u32'))).toBe(4);
    const arr2 = findMember(btf, ms, 'arr2')!;
    expect(sizeOf(btf, arr2.member.type)).toBe(24);
    expect(memberOffset(btf, ms, 'arr2')).toBe(48);
    expect(memberOffset(btf, ms, 'next')).toBe(24);
    expect(sizeOf(btf, findMember(btf, ms, 'next')!.member.type)).toBe(8);
    // members of the anonymous union are found through it
    expect(findMember(btf, ms, 'p')).toMatchObject({ bitsOffset: 256 });
    expect(memberOffset(btf, ms, 'c')).toBeUndefined(); // bitfield at bit 35
    expect(findMember(btf, ms, 'c')!.member.bitfieldSize).toBe(5);
    expect(trySizeOf(btf, findByName(btf, 'sub', 'FUNC'))).toBeUndefined();
    expect(() => sizeOf(btf, findByName(btf, 'sub', 'FUNC'))).toThrow(BtfError);
  });

  it('skips modifiers and typedefs', () => {
    const cvp = findMember(btf, ms, 'cvp')!.member.type; // volatile const int *
    const pointee = btf.type(cvp);
    expect(pointee.kind).toBe('PTR');
    if (pointee.kind !== 'PTR') return;
    expect(btf.type(skipModifiers(btf, pointee.type)).name).toBe('int');
    const b = findMember(btf, ms, 'b')!.member.type;
    expect(skipModifiers(btf, b)).toBe(b);
    expect(resolveType(btf, b)).toMatchObject({ kind: 'INT', name: 'unsigned int' });
    expect(typeLabel(btf, ms)).toBe('struct my_struct');
  });

  it('lists declaration tags by target and component', () => {
    expect(declTags(btf, ms).map((t) => t.name)).toEqual(['st_tag']);
    expect(declTags(btf, ms, -1).map((t) => t.name)).toEqual(['st_tag']);
    expect(declTags(btf, ms, 0)).toEqual([]);
    // struct node is only used through a pointer, so clang emitted a FWD (and no member tag)
    expect(findByName(btf, 'node', 'FWD')).toBeGreaterThan(0);
    const b = new BtfBuilder();
    const s = b.struct('s', 8, [{ name: 'a', type: b.int('int', 4), offset: 0 }, { name: 'b', type: 1, offset: 4 }]);
    b.declTag('x', s, 1);
    b.declTag('y', s, 1);
    b.declTag('z', s, -1);
    const synth = parseBtf(b.build());
    expect(declTags(synth, s, 1).map((t) => t.name)).toEqual(['x', 'y']);
    expect(declTags(synth, s).map((t) => t.name)).toEqual(['x', 'y', 'z']);
    const sub = findByName(btf, 'sub', 'FUNC');
    expect(declTags(btf, sub, 0).map((t) => t.name)).toEqual(['argtag']);
  });

  it('collects type tags in a pointer chain', () => {
    const uptr = btf.type(findByName(btf, 'uptr', 'VAR'));
    if (uptr.kind !== 'VAR') throw new Error('not a VAR');
    const r = pointerTypeTags(btf, uptr.type)!;
    expect(r.tags.map((t) => t.name)).toEqual(['user']);
    expect(btf.type(r.pointee).name).toBe('int');
    expect(pointerTypeTags(btf, findByName(btf, 'int'))).toBeUndefined();
  });
});

describe('queries on synthetic BTF', () => {
  it('bounds resolution of cyclic modifier chains', () => {
    const b = new BtfBuilder();
    b.add({ kind: 'CONST', type: 2 });
    b.add({ kind: 'TYPEDEF', name: 't', type: 1 });
    const btf = parseBtf(b.build());
    expect(() => skipModsAndTypedefs(btf, 1)).toThrow(BtfError);
    expect(trySizeOf(btf, 1)).toBeUndefined();
    expect(() => btf.type(99)).toThrow(BtfError);
  });

  it('resolveSize returns libbpf btf__resolve_size errnos', () => {
    const b = new BtfBuilder();
    const int = b.int('int', 4);
    const idx = b.int('__ARRAY_SIZE_TYPE__', 4);
    const big = b.array(int, idx, 0x40000000); // 4 GiB: size overflows u32
    const huge = b.array(b.array(int, idx, 0x10000), idx, 0x10000); // count overflows u32
    const tag = b.declTag('t', int, -1);
    const proto = b.funcProto(int, []);
    const btf = parseBtf(b.build());
    expect(resolveSize(btf, btf.typeCount)).toBe(-22); // dangling id
    expect(resolveSize(btf, big)).toBe(-7);
    expect(resolveSize(btf, huge)).toBe(-7);
    expect(resolveSize(btf, tag)).toBe(4); // DECL_TAG resolves to its target, as in libbpf
    expect(resolveSize(btf, proto)).toBe(-22);
    expect(resolveSize(btf, 0)).toBe(-22);
    expect(trySizeOf(btf, big)).toBeUndefined();
  });

    it('detects packed structs in alignOf', () => {
    const b = new BtfBuilder();
    const int = b.int('int', 4);
    const packed = b.struct('p', 5, [{ name: 'c', type: b.int('char', 1), offset: 0 }, { name: 'i', type: int, offset: 1 }]);
    expect(alignOf(parseBtf(b.build()), packed)).toBe(1);
  });
});

describe('queries on a large BTF', () => {
  if (hasVmlinux()) {
    it('finds task_struct and its members in the running kernel BTF (/sys/kernel/btf/vmlinux)', () => {
      const btf = parseBtf(new Uint8Array(readFileSync(VMLINUX)));
      const ts = findByName(btf, 'task_struct', 'STRUCT');
      expect(ts).toBeGreaterThan(0);
      expect(memberOffset(btf, ts, 'pid')).toBeGreaterThan(0);
      expect(sizeOf(btf, ts)).toBe((btf.type(ts) as { size: number }).size);
      expect(findByName(btf, 'bpf_spin_lock', 'STRUCT')).toBeGreaterThan(0);
    }, 60_000);
  } else {
    it('finds map_value and its members in the committed graph.btf fixture (no /sys/kernel/btf/vmlinux on this machine)', () => {
      const btf = parseBtf(fixture('graph.btf'));
      const mv = findByName(btf, 'map_value', 'STRUCT');
      expect(mv).toBeGreaterThan(0);
      expect(memberOffset(btf, mv, 'lock')).toBe(0);
      expect(sizeOf(btf, mv)).toBe((btf.type(mv) as { size: number }).size);
      const lock = findByName(btf, 'bpf_spin_lock', 'STRUCT');
      expect(sizeOf(btf, lock)).toBe(4);
      expect(alignOf(btf, lock)).toBe(4);
    });
  }
});
