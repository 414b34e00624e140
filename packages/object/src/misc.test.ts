import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slotOffsets } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import { linkProgram, loadObjectSpec, ObjectError } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const read = (f: string) => new Uint8Array(readFileSync(join(here, '__fixtures__', f)));
const misc = loadObjectSpec(read('misc.bpf.o'), { name: 'misc' });

describe('misc object', () => {
  it('classifies sleepable fentry and socket programs', () => {
    expect(misc.programs.map((p) => [p.name, p.kind.progType, p.kind.attachType, p.kind.sleepable, p.kind.attachTo])).toEqual([
      ['tail0', 'BPF_PROG_TYPE_SOCKET_FILTER', undefined, false, undefined],
      ['tail1', 'BPF_PROG_TYPE_SOCKET_FILTER', undefined, false, undefined],
      ['entry', 'BPF_PROG_TYPE_SOCKET_FILTER', undefined, false, undefined],
      ['fs', 'BPF_PROG_TYPE_TRACING', 'BPF_TRACE_FENTRY', true, 'do_sys_open'],
    ]);
  });

  it('records prog-array initial slots and bloom-filter map_extra', () => {
    const jmp = misc.maps.find((m) => m.name === 'jmp')!;
    expect(jmp).toMatchObject({ typeName: 'BPF_MAP_TYPE_PROG_ARRAY', keySize: 4, valueSize: 4, maxEntries: 4 });
    expect(jmp.initSlots).toEqual([
      { slot: 0, target: 'tail0', targetKind: 'program' },
      { slot: 2, target: 'tail1', targetKind: 'program' },
    ]);
    const bloom = misc.maps.find((m) => m.name === 'bloom')!;
    expect(bloom).toMatchObject({ typeName: 'BPF_MAP_TYPE_BLOOM_FILTER', keySize: 0, valueSize: 8, maxEntries: 64, mapExtra: 3n });
    const ro = misc.maps.find((m) => m.libbpfType === 'rodata')!;
    expect(new TextDecoder().decode(ro.initialData!)).toBe('hello %d\0');
    expect(ro.mmapable).toBe(false); // only a static variable (the format string)
  });

  it('describes typed and typeless ksym variables', () => {
    expect(misc.externs.map((e) => [e.index, e.name, e.kind, e.typeless, e.weak, misc.btf!.types[e.typeId].name])).toEqual([
      [0, 'bpf_prog_active', 'ksym', true, false, ''],
      [1, 'bpf_sched_typed_var', 'ksym', false, true, 'int'],
    ]);
  });

  it('links ksym variables: BTF id for typed, address for typeless, zero for unresolved weak', () => {
    const relos = misc.programs.find((p) => p.name === 'fs')!.relocations;
    const typed = relos.find((r) => r.symbol === 'bpf_sched_typed_var')!.insn;
    const typeless = relos.find((r) => r.symbol === 'bpf_prog_active')!.insn;
    const at = (l: ReturnType<typeof linkProgram>, slot: number) => l.insns[[...slotOffsets(l.insns)].indexOf(slot)];
    const full = linkProgram(misc, 'fs', { kfuncBtfId: () => undefined, ksymVarBtfId: () => 4242, ksymAddress: () => 0x1122334455667788n });
    expect(at(full, typed)).toMatchObject({ code: 0x18, src: 3, imm: 4242, imm2: 0 });
    expect(at(full, typeless)).toMatchObject({ code: 0x18, src: 0, imm: 0x55667788, imm2: 0x11223344 });
    const weak = linkProgram(misc, 'fs', { kfuncBtfId: () => undefined, ksymAddress: () => 0x10n });
    expect(at(weak, typed)).toMatchObject({ src: 0, imm: 0, imm2: 0 });
    expect(() => linkProgram(misc, 'fs', { kfuncBtfId: () => undefined })).toThrow(ObjectError);
    expect(() => linkProgram(misc, 'fs', { kfuncBtfId: () => undefined })).toThrow(`extern 'bpf_prog_active' (strong): not resolved`);
  });

  it('big-endian build gives the same spec', () => {
    const be = loadObjectSpec(read('misc.bpf.eb.o'), { name: 'misc' });
    const strip = (s: typeof misc) => ({
      programs: s.programs.map(({ bytes, ...p }) => (void bytes, p)),
      maps: s.maps,
      externs: s.externs,
    });
    expect(strip(be)).toEqual(strip(misc));
  });
});
