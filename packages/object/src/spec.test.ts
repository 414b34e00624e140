import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBtf } from '@bpfkit/btf';
import { slotCount } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import { kernelBtfBytes, loadObject, loadObjectSpec, type ObjectSpec } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIX = join(here, '__fixtures__');
const read = (f: string) => new Uint8Array(readFileSync(join(FIX, f)));
const kitchen = loadObjectSpec(read('kitchen.bpf.o'), { name: 'kitchen' });
const calls = loadObjectSpec(read('calls.bpf.o'), { name: 'calls' });
const trace = readFileSync(join(FIX, 'calls.libbpf-trace.txt'), 'utf8').split('\n');

describe('programs', () => {
  it('lists every entry program with section, autoload and type', () => {
    expect(kitchen.programs.map((p) => [p.name, p.section, p.secName, p.autoload, p.kind.progType, p.kind.attachTo])).toEqual([
      ['prog1', 'tp/syscalls/sys_enter_write', 'tp/syscalls/sys_enter_write', true, 'BPF_PROG_TYPE_TRACEPOINT', 'syscalls/sys_enter_write'],
      ['prog2', '?tc', 'tc', false, 'BPF_PROG_TYPE_SCHED_CLS', undefined],
      ['xprog', 'xdp', 'xdp', true, 'BPF_PROG_TYPE_XDP', undefined],
      ['xprog2', 'xdp', 'xdp', true, 'BPF_PROG_TYPE_XDP', undefined],
    ]);
    expect(kitchen.subprograms.map((s) => [s.name, s.offset, s.global])).toEqual([
      ['glob_fn', 0, true],
      ['cb', 0x18, false],
      ['sub', 0x50, false],
    ]);
  });

  it('program sizes and instruction counts agree with the symbol table', () => {
    for (const f of [...kitchen.programs, ...kitchen.subprograms]) {
      const sym = kitchen.elf.symbols.find((s) => s.name === f.name)!;
      expect(f.size).toBe(sym.size);
      expect(f.slotCount).toBe(sym.size / 8);
      expect(slotCount(f.insns)).toBe(f.slotCount);
    }
  });

  it('maps func_info, line_info and CO-RE records to function-relative slots', () => {
    for (const f of [...kitchen.programs, ...kitchen.subprograms]) {
      expect(f.funcInfo[0]).toMatchObject({ insn: 0 });
      const fn = kitchen.btf!.types[f.funcInfo[0].typeId];
      expect(fn.kind).toBe('FUNC');
      expect(fn.name).toBe(f.name);
      expect(f.lineInfo.length).toBeGreaterThan(0);
      expect(f.lineInfo.every((l) => l.insn >= 0 && l.insn < f.slotCount && l.fileName.endsWith('kitchen.bpf.c'))).toBe(true);
    }
    const prog2 = kitchen.programs.find((p) => p.name === 'prog2')!;
    expect(prog2.coreRelos).toHaveLength(1);
    expect(prog2.coreRelos[0]).toMatchObject({ kind: 6, kindName: 'local_type_id', accessStr: '0' });
    expect(kitchen.btf!.types[prog2.coreRelos[0].typeId].name).toBe('node_data');
  });

  it('classifies common section names like libbpf', async () => {
    const { programKindForSection } = await import('./sec-defs.js');
    expect(programKindForSection('socket').progType).toBe('BPF_PROG_TYPE_SOCKET_FILTER');
    expect(programKindForSection('classifier').progType).toBe('BPF_PROG_TYPE_SCHED_CLS');
    expect(programKindForSection('syscall')).toMatchObject({ progType: 'BPF_PROG_TYPE_SYSCALL', sleepable: true });
    expect(programKindForSection('kretprobe/do_unlinkat')).toMatchObject({ progType: 'BPF_PROG_TYPE_KPROBE', attachTo: 'do_unlinkat' });
    expect(programKindForSection('fentry.s/bpf_fentry_test1')).toMatchObject({
      progType: 'BPF_PROG_TYPE_TRACING', attachType: 'BPF_TRACE_FENTRY', sleepable: true, attachTo: 'bpf_fentry_test1',
    });
    expect(programKindForSection('fexit/x').attachType).toBe('BPF_TRACE_FEXIT');
    expect(programKindForSection('raw_tp/sched_switch').progType).toBe('BPF_PROG_TYPE_RAW_TRACEPOINT');
    expect(programKindForSection('raw_tp.w/x').progType).toBe('BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE');
    expect(programKindForSection('perf_event').progType).toBe('BPF_PROG_TYPE_PERF_EVENT');
    expect(programKindForSection('struct_ops/init').progType).toBe('BPF_PROG_TYPE_STRUCT_OPS');
    expect(programKindForSection('tracepointx').progType).toBe('BPF_PROG_TYPE_UNSPEC');
    expect(programKindForSection('xdp.frags')).toMatchObject({ progType: 'BPF_PROG_TYPE_XDP', xdpFrags: true });
  });
});

describe('maps', () => {
  it('reads BTF-defined maps including map-in-map with initial slots', () => {
    const byName = Object.fromEntries(kitchen.maps.map((m) => [m.name, m]));
    expect(kitchen.maps.map((m) => m.name)).toEqual([
      'inner2', 'inner1', 'outer', 'hmap', 'kitchen.rodata', 'kitchen.data', '.data.A', 'kitchen.bss', '.bss.B', 'kitchen.kconfig',
    ]);
    expect(byName.hmap).toMatchObject({ type: 1, typeName: 'BPF_MAP_TYPE_HASH', keySize: 4, valueSize: 16, maxEntries: 128, flags: 1, pinning: 1, sectionOffset: 120 });
    expect(kitchen.btf!.types[byName.hmap.btfValueTypeId].name).toBe('val');
    expect(byName.outer).toMatchObject({ type: 12, keySize: 4, valueSize: 4, maxEntries: 4 });
    expect(byName.outer.inner).toMatchObject({ name: 'outer.inner', type: 2, keySize: 4, valueSize: 8, maxEntries: 1 });
    expect(byName.outer.initSlots).toEqual([
      { slot: 1, target: 'inner2', targetKind: 'map' },
      { slot: 3, target: 'inner1', targetKind: 'map' },
    ]);
  });

  it('makes global data maps with DATASEC, variables, flags and initial bytes', () => {
    const byName = Object.fromEntries(kitchen.maps.map((m) => [m.name, m]));
    const ro = byName['kitchen.rodata'];
    expect(ro).toMatchObject({ libbpfType: 'rodata', keySize: 4, valueSize: 4, maxEntries: 1, frozen: true, flags: 0x480 });
    expect([...ro.initialData!]).toEqual([7, 0, 0, 0]);
    const data = byName['kitchen.data'];
    expect(data.variables).toEqual([
      { name: 'gdata', btfVarId: expect.any(Number), offset: 0, size: 8, linkage: 'global' },
      { name: 'sdata', btfVarId: expect.any(Number), offset: 8, size: 8, linkage: 'static' },
    ]);
    expect(data.flags).toBe(0x400);
    // private(): hidden globals become static, so the map is not mmapable
    expect(byName['.data.A']).toMatchObject({ libbpfType: 'data', mmapable: false, flags: 0, valueSize: 8 });
    expect(byName['.data.A'].variables![0]).toMatchObject({ name: 'priv_a', linkage: 'static' });
    expect(byName['.bss.B']).toMatchObject({ libbpfType: 'bss', mmapable: false, valueSize: 8 });
    expect([...byName['.bss.B'].initialData!]).toEqual(new Array(8).fill(0));
    expect(byName['kitchen.kconfig']).toMatchObject({ libbpfType: 'kconfig', valueSize: 5, frozen: true });
  });
});

describe('maps against the libbpf 1.1 trace', () => {
  it('finds the same BTF-defined maps, attributes, internal map names, sections and flags', () => {
    const byName = new Map(calls.maps.map((m) => [m.name, m]));
    let checked = 0;
    for (const line of trace) {
      let m = /map '([\w.]+)': at sec_idx (\d+), offset (\d+)\.$/.exec(line);
      if (m) {
        expect(byName.get(m[1])).toMatchObject({ sectionIndex: Number(m[2]), sectionOffset: Number(m[3]) });
        checked++;
      }
      m = /map '([\w.]+)': found (type|max_entries|map_flags) = (\w+)\./.exec(line);
      if (m) {
        const map = m[1].endsWith('.inner') ? byName.get(m[1].slice(0, -6))!.inner! : byName.get(m[1])!;
        const key = { type: 'type', max_entries: 'maxEntries', map_flags: 'flags' }[m[2]] as 'type' | 'maxEntries' | 'flags';
        expect(map[key]).toBe(Number(m[3]));
        checked++;
      }
      m = /map '([\w.]+)': found (key|value) \[(\d+)\], sz = (\d+)\./.exec(line);
      if (m) {
        const map = m[1].endsWith('.inner') ? byName.get(m[1].slice(0, -6))!.inner! : byName.get(m[1])!;
        expect(m[2] === 'key' ? [map.btfKeyTypeId, map.keySize] : [map.btfValueTypeId, map.valueSize]).toEqual([Number(m[3]), Number(m[4])]);
        checked++;
      }
      m = /map '([\w.]+)' \(global data\): at sec_idx (\d+), offset 0, flags (\w+)\./.exec(line);
      if (m) {
        const map = byName.get(m[1])!;
        expect(map.sectionIndex).toBe(Number(m[2]));
        // libbpf 1.1 predates hidden-global → static linkage; newer libbpf (our model) drops MMAPABLE for .data.A
        if (m[1] !== '.data.A') expect(map.flags.toString(16)).toBe(m[3]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });
});

describe('externs', () => {
  it('sorts and lays out externs like libbpf (trace of libbpf 1.1)', () => {
    for (const line of trace) {
      const m = /extern \((kcfg|ksym)\) #(\d+): symbol (\d+), (?:off (\d+), )?name (\S+)/.exec(line);
      if (!m) continue;
      const e = calls.externs[Number(m[2])];
      expect(e.name).toBe(m[5]);
      expect(e.kind).toBe(m[1] === 'kcfg' ? 'kconfig' : 'ksym');
      expect(e.symbolIndex).toBe(Number(m[3]));
      if (m[4] !== undefined) expect(e.kconfig?.offset).toBe(Number(m[4]));
    }
    expect(kitchen.externs.map((e) => [e.name, e.kind, e.weak, e.isFunc])).toEqual([
      ['LINUX_KERNEL_VERSION', 'kconfig', false, false],
      ['CONFIG_X', 'kconfig', true, false],
      ['bpf_obj_new_impl', 'ksym', false, true],
      ['bpf_rcu_read_lock', 'ksym', false, true],
      ['bpf_rcu_read_unlock', 'ksym', true, true],
    ]);
  });
});

describe('relocations', () => {
  it('interprets every program relocation as libbpf does (trace of libbpf 1.1)', () => {
    const fns = [...calls.programs, ...calls.subprograms];
    const ours: string[] = [];
    for (const sec of calls.elf.relSections) {
      const target = calls.elf.sections[sec.target];
      const inSec = fns.filter((f) => f.sectionIndex === target.index);
      const all = inSec.flatMap((f) => f.relocations.map((r) => ({ r, abs: f.sectionInsnOffset + r.insn, f })));
      all.sort((a, b) => a.abs - b.abs);
      all.forEach(({ r, abs }, i) => ours.push(`sec '${sec.section.name}': relo #${i}: insn #${abs} against '${r.symbol}'`));
    }
    const theirs = trace.filter((l) => /: relo #\d+: insn #/.test(l)).map((l) => l.replace(/^libbpf: /, ''));
    expect(ours).toEqual(theirs);

    for (const line of trace) {
      let m = /prog '(\w+)': found map (\d+) \((\w+), sec (\d+), off (\d+)\) for insn #(\d+)/.exec(line);
      if (m) {
        const r = fns.find((f) => f.name === m![1])!.relocations.find((x) => x.insn === Number(m![6]))!;
        expect(r).toMatchObject({ kind: 'map', mapIndex: Number(m[2]), map: m[3] });
        expect(calls.maps[Number(m[2])]).toMatchObject({ sectionIndex: Number(m[4]), sectionOffset: Number(m[5]) });
      }
      m = /prog '(\w+)': found extern #(\d+) '(\w+)' \(sym (\d+)\) for insn #(\d+)/.exec(line);
      if (m) {
        const r = fns.find((f) => f.name === m![1])!.relocations.find((x) => x.insn === Number(m![5]))!;
        expect(r.kind === 'extern_call' || r.kind === 'extern_var').toBe(true);
        expect(r).toMatchObject({ externIndex: Number(m[2]), symbol: m[3] });
      }
    }
  });

  it('classifies the relocation kinds of the kitchen object', () => {
    const prog1 = kitchen.programs[0];
    expect(prog1.relocations.map((r) => r.kind)).toEqual([
      'map', 'data', 'data', 'data', 'data', 'data', 'extern_var', 'extern_var', 'data', 'extern_call', 'extern_call', 'subprog_addr', 'call', 'call',
    ]);
    const hb = prog1.relocations.find((r) => r.symbol === 'hb')!;
    expect(hb).toMatchObject({ kind: 'data', map: '.bss.B' });
  });
});

describe('big-endian objects', () => {
  const strip = (s: ObjectSpec) => ({
    programs: s.programs.map(({ bytes, ...p }) => (void bytes, p)),
    subprograms: s.subprograms.map(({ bytes, ...p }) => (void bytes, p)),
    maps: s.maps.map(({ initialData, ...m }) => (void initialData, m)),
    externs: s.externs,
    license: s.license,
  });
  it('parse to the same spec as little-endian except byte order', () => {
    const be = loadObjectSpec(read('kitchen.bpf.eb.o'), { name: 'kitchen' });
    expect(be.littleEndian).toBe(false);
    expect(strip(be)).toEqual(strip(kitchen));
    const ro = be.maps.find((m) => m.libbpfType === 'rodata')!;
    expect([...ro.initialData!]).toEqual([0, 0, 0, 7]);
  });
});

describe('kernel BTF fixups', () => {
  it('fixes DATASEC sizes/offsets, hidden linkage and ksyms, producing loadable BTF', () => {
    const { spec, btfFixups } = loadObject(read('kitchen.bpf.o'), { name: 'kitchen' });
    const fixed = parseBtf(kernelBtfBytes(spec.btf!, btfFixups!));
    const ds = (name: string) => fixed.types.find((t) => t.kind === 'DATASEC' && t.name === name) as Extract<(typeof fixed.types)[number], { kind: 'DATASEC' }>;
    expect(ds('.data').size).toBe(16);
    expect(ds('.data').vars.map((v) => [fixed.types[v.type].name, v.offset])).toEqual([['gdata', 0], ['sdata', 8]]);
    expect(ds('.maps').vars.map((v) => [fixed.types[v.type].name, v.offset])).toEqual([['inner2', 0], ['inner1', 32], ['outer', 64], ['hmap', 120]]);
    expect(ds('.bss.B').size).toBe(8);
    const priv = fixed.types.find((t) => t.kind === 'VAR' && t.name === 'priv_a');
    expect(priv).toMatchObject({ linkage: 0 });
    expect(ds('.kconfig')).toMatchObject({ size: 5 });
    expect(ds('.ksyms').vars.map((v) => [fixed.types[v.type].name, v.offset, v.size])).toEqual([
      ['dummy_ksym', 0, 4], ['dummy_ksym', 4, 4], ['dummy_ksym', 8, 4],
    ]);
    const kf = fixed.types.find((t) => t.kind === 'FUNC' && t.name === 'bpf_rcu_read_lock');
    expect(kf).toMatchObject({ linkage: 1 });
    // no DATASEC is left with size 0, no FUNC with extern linkage
    expect(fixed.types.filter((t) => t.kind === 'DATASEC' && t.size === 0)).toEqual([]);
    expect(fixed.types.filter((t) => t.kind === 'FUNC' && t.linkage === 2)).toEqual([]);
  });
});

describe('repository fixtures', () => {
  const objDir = join(here, '../../../fixtures/obj');
  const files = existsSync(objDir) ? readdirSync(objDir).filter((f) => f.endsWith('.o')).sort() : [];
  it.each(files.length ? files : ['(none yet)'])('%s loads into a consistent spec', (f) => {
    if (!files.length) return;
    const spec = loadObjectSpec(new Uint8Array(readFileSync(join(objDir, f))));
    expect(spec.programs.length).toBeGreaterThan(0);
    for (const p of [...spec.programs, ...spec.subprograms]) {
      expect(slotCount(p.insns)).toBe(p.slotCount);
      for (const r of p.relocations) expect(r.insn).toBeLessThan(p.slotCount);
    }
  });
});
