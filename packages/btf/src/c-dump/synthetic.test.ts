/**
 * Hand-built type graphs for behaviour clang cannot produce from C (and so has no
 * bpftool golden): strong cycles, dangling ids, GCC-only typedefs, root ids.
 */
import { describe, expect, it } from 'vitest';
import type { BtfMember, BtfType } from '../types.js';
import { BtfCDumpError, dumpC } from './index.js';

const base = { nameOff: 0, kindFlag: false, vlen: 0 };
const VOID: BtfType = { id: 0, kind: 'VOID', name: '', ...base };
const named = (name: string) => ({ name, nameOff: name ? 1 : 0 });
const int = (id: number, name = 'int', size = 4): BtfType =>
  ({ ...base, id, kind: 'INT', ...named(name), size, encoding: 1, bitsOffset: 0, nrBits: size * 8 });
const member = (name: string, type: number, bitsOffset: number): BtfMember =>
  ({ ...named(name), type, bitsOffset, bitfieldSize: 0 });
const struct = (id: number, name: string, size: number, members: BtfMember[]): BtfType =>
  ({ ...base, id, kind: 'STRUCT', ...named(name), size, vlen: members.length, members });
const ref = (id: number, kind: 'PTR' | 'TYPEDEF' | 'CONST' | 'TYPE_TAG', type: number, name = ''): BtfType =>
  ({ ...base, id, kind, ...named(name), type });

/** The text between the frame's opening and closing blocks. */
function body(out: string): string {
  const start = out.indexOf('#endif\n\n') + '#endif\n\n'.length;
  return out.slice(start, out.lastIndexOf('#ifndef BPF_NO_PRESERVE_ACCESS_INDEX'));
}

describe('dumpC on synthetic BTF', () => {
  it('prints only the frame for an empty BTF', () => {
    expect(dumpC({ types: [VOID] })).toBe(
      '#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n' +
        '#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n#endif\n\n' +
        '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n',
    );
  });

  it('rejects a struct that embeds itself through a typedef (strong cycle)', () => {
    const types = [VOID, int(1), struct(2, 'loop', 8, [member('a', 1, 0), member('self', 3, 32)]), ref(3, 'TYPEDEF', 2, 'loop_t')];
    let err: unknown;
    try {
      dumpC({ types });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BtfCDumpError);
    expect((err as BtfCDumpError).code).toBe('UNSATISFIABLE_CYCLE');
    expect((err as BtfCDumpError).typeId).toBe(2);
  });

  it('allows the same cycle through a pointer', () => {
    const types = [VOID, int(1), struct(2, 'loop', 16, [member('a', 1, 0), member('self', 3, 64)]), ref(3, 'PTR', 2)];
    expect(body(dumpC({ types }))).toBe('struct loop {\n\tint a;\n\tstruct loop *self;\n};\n\n');
  });

  it('reports a dangling type id with its referrer', () => {
    const types = [VOID, ref(1, 'PTR', 42)];
    expect(() => dumpC({ types })).toThrow(BtfCDumpError);
  });

  it('prints 8-byte 32-bit ENUMs without a mode attribute (libbpf 1.1)', () => {
    const types: BtfType[] = [
      VOID,
      { ...base, id: 1, kind: 'ENUM', ...named('wide'), size: 8, vlen: 2, kindFlag: true,
        values: [{ ...named('W_NEG'), value: -2 }, { ...named('W_ONE'), value: 1 }] },
    ];
    expect(body(dumpC({ types }))).toBe('enum wide {\n\tW_NEG = -2,\n\tW_ONE = 1,\n};\n\n');
  });

  it('aliases GCC __PolyN_t ints and fixes a void __gnuc_va_list', () => {
    const types = [VOID, int(1, '__Poly8_t', 1), struct(2, 's', 1, [member('p', 1, 0)]), ref(3, 'TYPEDEF', 0, '__gnuc_va_list')];
    expect(body(dumpC({ types }))).toBe(
      'typedef unsigned char __Poly8_t;\n\nstruct s {\n\t__Poly8_t p;\n};\n\n' +
        'typedef __builtin_va_list __gnuc_va_list;\n\n',
    );
  });

  it('dumps only root ids and their dependencies', () => {
    const types = [
      VOID, int(1),
      struct(2, 'inner', 4, [member('x', 1, 0)]),
      struct(3, 'outer', 4, [member('in', 2, 0)]),
      struct(4, 'unrelated', 4, [member('y', 1, 0)]),
      ref(5, 'TYPE_TAG', 1, 'user'), ref(6, 'PTR', 5), ref(7, 'TYPEDEF', 6, 'uptr_t'),
    ];
    expect(body(dumpC({ types }, { rootIds: [3, 7] }))).toBe(
      'struct inner {\n\tint x;\n};\n\nstruct outer {\n\tstruct inner in;\n};\n\n' +
        'typedef int __attribute__((btf_type_tag("user"))) *uptr_t;\n\n',
    );
  });

  it('gives identical output when the same BTF is dumped twice (per-BTF caches)', () => {
    const types = [
      VOID, int(1),
      struct(2, 'dup', 4, [member('a', 1, 0)]),
      struct(3, 'dup', 4, [member('b', 1, 0)]),
      { ...base, id: 4, kind: 'ENUM', ...named('e1'), size: 4, vlen: 1, values: [{ ...named('V'), value: 1 }] } as BtfType,
      { ...base, id: 5, kind: 'ENUM', ...named('e2'), size: 4, vlen: 1, values: [{ ...named('V'), value: 2 }] } as BtfType,
    ];
    const first = dumpC({ types });
    expect(body(first)).toBe(
      'struct dup {\n\tint a;\n};\n\nstruct dup___2 {\n\tint b;\n};\n\n' +
        'enum e1 {\n\tV = 1,\n};\n\nenum e2 {\n\tV___2 = 2,\n};\n\n',
    );
    expect(dumpC({ types })).toBe(first);
  });
});
