import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slotCount, slotOffsets } from '@bpfkit/isa';
import { describe, expect, it } from 'vitest';
import { linkProgram, loadObjectSpec, ObjectError, POISON_CALL_KFUNC_BASE, type LinkPlatform } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIX = join(here, '__fixtures__');
const read = (f: string) => new Uint8Array(readFileSync(join(FIX, f)));
const kitchen = loadObjectSpec(read('kitchen.bpf.o'), { name: 'kitchen' });
const calls = loadObjectSpec(read('calls.bpf.o'), { name: 'calls' });
const trace = readFileSync(join(FIX, 'calls.libbpf-trace.txt'), 'utf8').split('\n');

const KFUNCS: Record<string, number> = { bpf_obj_new_impl: 1001, bpf_rcu_read_lock: 1002, bpf_rcu_read_unlock: 1003 };
const platform: LinkPlatform = { kfuncBtfId: (n) => KFUNCS[n] };

/** Slot-indexed view of linked instructions. */
function bySlot(insns: readonly { code: number }[]) {
  const offs = slotOffsets(insns as never);
  const m = new Map<number, (typeof insns)[number]>();
  insns.forEach((i, k) => m.set(offs[k], i));
  return m;
}

describe('linkProgram', () => {
  it('appends subprograms exactly like libbpf 1.1 (trace)', () => {
    for (const name of ['prog1', 'xprog2']) {
      const linked = linkProgram(calls, name, platform);
      const ours = linked.log.filter((l) => /added \d+ insns|relocated, imm/.test(l));
      const theirs = trace
        .filter((l) => /added \d+ insns|relocated, imm/.test(l))
        .map((l) => l.replace(/^libbpf: /, ''))
        .filter((l) => l.startsWith(`prog '${name}'`));
      expect(ours).toEqual(theirs);
    }
  });

  it('produces a runnable program: calls, callbacks, maps, data, kfuncs, kconfig', () => {
    const l = linkProgram(kitchen, 'prog1', platform);
    expect(l.functions.map((f) => [f.name, f.start])).toEqual([['prog1', 0], ['cb', 63], ['sub', 70], ['glob_fn', 79]]);
    expect(l.slotCount).toBe(63 + 7 + 9 + 3);
    expect(slotCount(l.insns)).toBe(l.slotCount);
    const at = bySlot(l.insns);
    const i = (slot: number) => at.get(slot) as { code: number; src: number; dst: number; off: number; imm: number; imm2: number };
    // map reference: BPF_PSEUDO_MAP_IDX with the map index
    expect(i(4)).toMatchObject({ code: 0x18, src: 5, imm: 3, imm2: 0 });
    // static .data variable: MAP_IDX_VALUE, value offset = original imm (8) + st_value (0)
    expect(i(11)).toMatchObject({ code: 0x18, src: 6, imm: 5, imm2: 8 });
    // private .bss.B
    expect(i(26)).toMatchObject({ src: 6, imm: 8, imm2: 0 });
    // kconfig externs: .kconfig map (index 9), offsets 0 and 4
    expect(i(34)).toMatchObject({ src: 6, imm: 9, imm2: 0 });
    expect(i(38)).toMatchObject({ src: 6, imm: 9, imm2: 4 });
    // kfunc calls
    expect(i(47)).toMatchObject({ code: 0x85, src: 2, imm: 1002, off: 0 });
    expect(i(48)).toMatchObject({ code: 0x85, src: 2, imm: 1003, off: 0 });
    // callback address: BPF_PSEUDO_FUNC pointing at cb
    expect(i(50)).toMatchObject({ code: 0x18, src: 4 });
    expect(50 + i(50).imm + 1).toBe(63);
    // bpf-to-bpf calls
    expect(57 + i(57).imm + 1).toBe(70);
    expect(60 + i(60).imm + 1).toBe(79);
    // relocations inside appended subprograms are applied too (cb's gcount → .bss map 7)
    expect(i(63)).toMatchObject({ code: 0x18, src: 6, imm: 7 });
    expect(l.mapIndices).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(l.funcInfo.map((f) => f.insn)).toEqual([0, 63, 70, 79]);
    expect(l.funcInfo.map((f) => kitchen.btf!.types[f.typeId].name)).toEqual(['prog1', 'cb', 'sub', 'glob_fn']);
    expect(l.lineInfo.every((x, k) => k === 0 || x.insn >= l.lineInfo[k - 1].insn)).toBe(true);
    expect(l.lineInfo.some((x) => x.insn === 63) && l.lineInfo.some((x) => x.insn === 79)).toBe(true);
    expect(l.funcInfoRecSize).toBe(8);
    expect(l.lineInfoRecSize).toBe(16);
  });

  it('resolves bpf_core_type_id_local and kfunc call in a ?-section program', () => {
    const l = linkProgram(kitchen, 'prog2', platform);
    const prog2 = kitchen.programs.find((p) => p.name === 'prog2')!;
    const at = bySlot(l.insns);
    const relo = prog2.coreRelos[0];
    const ins = at.get(relo.insn) as { imm: number; imm2: number };
    expect(ins.imm).toBe(relo.typeId);
    expect(kitchen.btf!.types[ins.imm].name).toBe('node_data');
    expect(at.get(4)).toMatchObject({ code: 0x85, src: 2, imm: 1001 });
    expect(l.pendingCoreRelos).toEqual([]);
    expect(l.functions.map((f) => f.name)).toEqual(['prog2', 'glob_fn']);
  });

  it('links every program of the big-endian object identically', () => {
    const be = loadObjectSpec(read('kitchen.bpf.eb.o'), { name: 'kitchen' });
    for (const p of kitchen.programs) {
      const a = linkProgram(kitchen, p.name, platform);
      const b = linkProgram(be, p.name, platform);
      expect(b.insns).toEqual(a.insns);
      expect(b.funcInfo).toEqual(a.funcInfo);
      expect(b.bytes).not.toEqual(a.bytes);
    }
  });

  it('poisons an unresolved weak kfunc and rejects an unresolved strong one with libbpf wording', () => {
    const weakMissing: LinkPlatform = { kfuncBtfId: (n) => (n === 'bpf_rcu_read_unlock' ? undefined : KFUNCS[n]) };
    const l = linkProgram(kitchen, 'prog1', weakMissing);
    const ext = kitchen.externs.find((e) => e.name === 'bpf_rcu_read_unlock')!;
    expect(bySlot(l.insns).get(48)).toMatchObject({ code: 0x85, src: 0, imm: POISON_CALL_KFUNC_BASE + ext.index });
    const strongMissing: LinkPlatform = { kfuncBtfId: (n) => (n === 'bpf_rcu_read_lock' ? undefined : KFUNCS[n]) };
    try {
      linkProgram(kitchen, 'prog1', strongMissing);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ObjectError);
      expect((e as ObjectError).code).toBe('LINK');
      expect((e as ObjectError).message).toContain(`extern (func ksym) 'bpf_rcu_read_lock': not found in kernel or module BTFs`);
      expect((e as ObjectError).location.symbol).toBe('bpf_rcu_read_lock');
    }
  });

  it('rejects an unknown program name', () => {
    expect(() => linkProgram(kitchen, 'nope', platform)).toThrow(ObjectError);
  });
});
