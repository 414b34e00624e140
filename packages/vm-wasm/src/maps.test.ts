import { describe, expect, it } from 'vitest';
import { FaultCode, type Core } from './core-api.js';
import { instantiateCoreSync } from './core.js';
import { load, writeRecord } from './test-util.js';

const ARRAY = 2, HASH = 1, PERCPU_HASH = 5, PERCPU_ARRAY = 6, ARRAY_OF_MAPS = 12, HASH_OF_MAPS = 13;

function key32(core: Core, k: number): number { core.view.setUint32(core.scratch, k, true); return core.scratch; }
function key64(core: Core, k: bigint, at = core.scratch): number { core.view.setBigUint64(at, k, true); return at; }
function val64(core: Core, v: bigint, at = core.scratch + 512): number { core.view.setBigUint64(at, v, true); return at; }
function allKeys64(core: Core, m: number): bigint[] {
  const keys: bigint[] = [];
  let prev = 0;
  const k = core.scratch + 1024, out = core.scratch + 1032;
  while (core.mapNextKey(m, prev, out) === 0) {
    keys.push(core.view.getBigUint64(out, true));
    core.view.setBigUint64(k, core.view.getBigUint64(out, true), true);
    prev = k;
  }
  return keys;
}

describe('array maps', () => {
  it('update/lookup/next-key and the errno rules', () => {
    const core = instantiateCoreSync();
    const m = core.mapCreate(ARRAY, 4, 8, 4, 0, 0);
    expect(m).not.toBe(0);
    expect(core.mapUpdate(m, key32(core, 1), val64(core, 42n), 0n)).toBe(0);
    const v = core.mapLookup(m, key32(core, 1));
    expect(core.view.getBigUint64(v, true)).toBe(42n);
    expect(core.mapLookup(m, key32(core, 4))).toBe(0);
    expect(core.mapUpdate(m, key32(core, 1), val64(core, 1n), 1n)).toBe(-17); // BPF_NOEXIST
    expect(core.mapUpdate(m, key32(core, 4), val64(core, 1n), 0n)).toBe(-7);
    expect(core.mapUpdate(m, key32(core, 0), val64(core, 1n), 8n)).toBe(-22);
    expect(core.mapDelete(m, key32(core, 1))).toBe(-22);
    const out = core.scratch + 64;
    const seen: number[] = [];
    let prev = 0;
    while (core.mapNextKey(m, prev, out) === 0) { seen.push(core.view.getUint32(out, true)); core.view.setUint32(core.scratch + 128, seen.at(-1)!, true); prev = core.scratch + 128; }
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(core.mapCreate(ARRAY, 8, 8, 4, 0, 0)).toBe(0);
    expect(core.mapCreate(99, 4, 8, 4, 0, 0)).toBe(0);
  });

  it('map values are accessible to checked programs through lookup', () => {
    const core = instantiateCoreSync();
    const m = core.mapCreate(ARRAY, 4, 8, 2, 0, 0);
    const p = load(core, `
      *(u32 *)(r10 -4) = 1
      r1 = ${m} ll
      r2 = r10
      r2 += -4
      call bpf_map_lookup_elem
      if r0 == 0 goto out
      r1 = 5
      lock *(u64 *)(r0 +0) += r1
      r0 = *(u64 *)(r0 +8)
    out:
      exit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadAccess); // reads past the 8-byte value
    expect(core.fault().pc).toBe(9);
    expect(core.view.getBigUint64(core.mapLookup(m, key32(core, 1)), true)).toBe(5n);
    const bad = load(core, 'r1 = 0x12345678 ll\nr2 = r10\nr2 += -4\n*(u32 *)(r10 -4) = 0\ncall bpf_map_lookup_elem\nexit');
    expect(core.run(bad.text, bad.slots, 0, 0n, true, 1000n)).toBe(FaultCode.BadAccess); // not a map
    expect(core.fault()).toMatchObject({ pc: 5, addr: 0x12345678, arg: 1 });
  });
});

describe('hash maps', () => {
  it('insert, replace, delete, capacity and iteration', () => {
    const core = instantiateCoreSync();
    const m = core.mapCreate(HASH, 8, 16, 3, 0, 0);
    for (const k of [10n, 20n, 30n]) expect(core.mapUpdate(m, key64(core, k), val64(core, k * 2n), 0n)).toBe(0);
    expect(core.mapUpdate(m, key64(core, 40n), val64(core, 1n), 0n)).toBe(-7);
    expect(core.mapUpdate(m, key64(core, 40n), val64(core, 1n), 2n)).toBe(-2); // BPF_EXIST on a missing key
    expect(core.mapUpdate(m, key64(core, 10n), val64(core, 1n), 1n)).toBe(-17);
    expect(core.mapUpdate(m, key64(core, 10n), val64(core, 11n), 2n)).toBe(0);
    expect(core.view.getBigUint64(core.mapLookup(m, key64(core, 10n)), true)).toBe(11n);
    expect(allKeys64(core, m).sort()).toEqual([10n, 20n, 30n]);
    expect(core.mapDelete(m, key64(core, 20n))).toBe(0);
    expect(core.mapDelete(m, key64(core, 20n))).toBe(-2);
    expect(core.mapLookup(m, key64(core, 20n))).toBe(0);
    expect(core.mapUpdate(m, key64(core, 40n), val64(core, 80n), 0n)).toBe(0);
    expect(allKeys64(core, m).sort()).toEqual([10n, 30n, 40n]);
  });

  it('many keys with collisions', () => {
    const core = instantiateCoreSync();
    const m = core.mapCreate(HASH, 8, 8, 1000, 0, 0);
    for (let k = 0n; k < 1000n; k++) expect(core.mapUpdate(m, key64(core, k * 4096n), val64(core, k), 0n)).toBe(0);
    for (let k = 0n; k < 1000n; k += 7n) expect(core.view.getBigUint64(core.mapLookup(m, key64(core, k * 4096n)), true)).toBe(k);
    expect(allKeys64(core, m).length).toBe(1000);
  });
});

describe('per-CPU maps', () => {
  it('per-CPU array: the program sees its CPU copy; host update writes every CPU', () => {
    const core = instantiateCoreSync({ nrCpus: 3 });
    const m = core.mapCreate(PERCPU_ARRAY, 4, 4, 1, 0, 0);
    const p = load(core, `
      *(u32 *)(r10 -4) = 0
      r1 = ${m} ll
      r2 = r10
      r2 += -4
      call bpf_map_lookup_elem
      if r0 == 0 goto out
      r1 = *(u32 *)(r0 +0)
      r1 += 1
      *(u32 *)(r0 +0) = r1
      r0 = r1
    out:
      exit`);
    const runOn = (cpu: number) => { core.setCpu(cpu); expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.None); return core.r0(); };
    runOn(0); runOn(0); runOn(2);
    expect(core.view.getUint32(core.mapLookup(m, key32(core, 0), 0), true)).toBe(2);
    expect(core.view.getUint32(core.mapLookup(m, key32(core, 0), 1), true)).toBe(0);
    expect(core.view.getUint32(core.mapLookup(m, key32(core, 0), 2), true)).toBe(1);
    expect(core.mapLookup(m, key32(core, 0), 3)).toBe(0);
    // syscall form: nrCpus values at an 8-byte stride
    const vals = core.scratch + 256;
    for (let c = 0; c < 3; c++) core.view.setUint32(vals + 8 * c, 100 + c, true);
    expect(core.mapUpdate(m, key32(core, 0), vals, 0n)).toBe(0);
    expect([0, 1, 2].map((c) => core.view.getUint32(core.mapLookup(m, key32(core, 0), c), true))).toEqual([100, 101, 102]);
    // bpf_map_lookup_percpu_elem
    const q = load(core, `*(u32 *)(r10 -4) = 0\nr1 = ${m} ll\nr2 = r10\nr2 += -4\nr3 = 1\ncall 195\nr0 = *(u32 *)(r0 +0)\nexit`);
    expect(core.run(q.text, q.slots, 0, 0n, true, 1000n)).toBe(FaultCode.None);
    expect(core.r0()).toBe(101n);
  });

  it('per-CPU hash: a program insert sets its CPU copy and zeroes the others', () => {
    const core = instantiateCoreSync({ nrCpus: 2 });
    const m = core.mapCreate(PERCPU_HASH, 4, 8, 4, 0, 0);
    core.setCpu(1);
    const k = core.scratch, v = core.scratch + 8;
    core.view.setUint32(k, 7, true);
    core.view.setBigUint64(v, 99n, true);
    core.setChecked(true);
    expect(core.callHelper(2, 4, BigInt(k), 0n, 0n, 0n, 0n)).toBe(0n); // r1 is no map
    expect(core.fault()).toMatchObject({ code: FaultCode.BadAccess, pc: 4, arg: 2 });
    core.setChecked(false);
    expect(core.callHelper(2, 4, BigInt(k), BigInt(k), BigInt(v), 0n, 0n)).toBe(0n); // verified mode trusts r1: a trap is caught
    expect(core.fault().code).toBe(FaultCode.BadAccess);
    expect(core.callHelper(2, 0, BigInt(m), BigInt(k), BigInt(v), 0n, 0n)).toBe(0n);
    expect(core.view.getBigUint64(core.mapLookup(m, k, 1), true)).toBe(99n);
    expect(core.view.getBigUint64(core.mapLookup(m, k, 0), true)).toBe(0n);
  });
});

describe('map-in-map', () => {
  it('lookup in an array-of-maps returns the inner map', () => {
    const core = instantiateCoreSync();
    const inner = core.mapCreate(ARRAY, 4, 8, 1, 0, 0);
    const outer = core.mapCreate(ARRAY_OF_MAPS, 4, 4, 2, 0, 0);
    core.view.setBigUint64(core.mapLookup(inner, key32(core, 0)), 1234n, true);
    core.view.setUint32(core.scratch + 64, inner, true);
    expect(core.mapUpdate(outer, key32(core, 1), core.scratch + 64, 0n)).toBe(0);
    core.view.setUint32(core.scratch + 64, 0xdead0, true);
    expect(core.mapUpdate(outer, key32(core, 0), core.scratch + 64, 0n)).toBe(-22); // not a map
    const p = load(core, `
      *(u32 *)(r10 -4) = 1
      r1 = ${outer} ll
      r2 = r10
      r2 += -4
      call bpf_map_lookup_elem
      if r0 == 0 goto miss
      *(u32 *)(r10 -8) = 0
      r1 = r0
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      if r0 == 0 goto miss
      r0 = *(u64 *)(r0 +0)
      exit
    miss:
      r0 = -1
      exit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.None);
    expect(core.r0()).toBe(1234n);
    expect(core.mapDelete(outer, key32(core, 1))).toBe(0);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.None);
    expect(core.r0()).toBe(BigInt.asUintN(64, -1n));
  });
});

describe('drains of special fields (graph-collections §2.6)', () => {
  function setup() {
    const core = instantiateCoreSync();
    const pointee = writeRecord(core, 16, []);
    // value: u64 a @0, __kptr @8, u64 b @16
    const rec = writeRecord(core, 24, [[8, 8, pointee]]);
    return { core, rec, pointee };
  }

  it('array update copies around the kptr and drops the stashed object', () => {
    const { core, rec, pointee } = setup();
    const m = core.mapCreate(ARRAY, 4, 24, 1, 0, rec);
    const v = core.mapLookup(m, key32(core, 0));
    const obj = core.objNew(16, pointee);
    core.view.setBigUint64(v + 8, BigInt(obj), true);
    expect(core.liveObjects()).toBe(1);
    const src = core.scratch + 256;
    core.u8.fill(0xff, src, src + 24);
    expect(core.mapUpdate(m, key32(core, 0), src, 0n)).toBe(0);
    expect(core.view.getBigUint64(v, true)).toBe(0xffffffffffffffffn);
    expect(core.view.getBigUint64(v + 8, true)).toBe(0n); // not copied, drained
    expect(core.view.getBigUint64(v + 16, true)).toBe(0xffffffffffffffffn);
    expect(core.liveObjects()).toBe(0);
  });

  it('hash delete and map free drain the elements', () => {
    const { core, rec, pointee } = setup();
    const m = core.mapCreate(HASH, 4, 24, 8, 0, rec);
    for (let k = 0; k < 3; k++) {
      core.u8.fill(0, core.scratch + 256, core.scratch + 280);
      expect(core.mapUpdate(m, key32(core, k), core.scratch + 256, 0n)).toBe(0);
      core.view.setBigUint64(core.mapLookup(m, key32(core, k)) + 8, BigInt(core.objNew(16, pointee)), true);
    }
    expect(core.liveObjects()).toBe(3);
    expect(core.mapDelete(m, key32(core, 1))).toBe(0);
    expect(core.liveObjects()).toBe(2);
    core.mapFree(m);
    expect(core.liveObjects()).toBe(0);
    core.endRun();
  });

  it('lists in a map value are drained by an update', () => {
    const core = instantiateCoreSync();
    const elem = writeRecord(core, 32, [[3, 8]]); // u64 key @0, bpf_list_node @8
    const rec = writeRecord(core, 24, [[1, 0], [2, 8, elem, 8]]); // lock @0, bpf_list_head @8
    const m = core.mapCreate(ARRAY, 4, 24, 1, 0, rec);
    const v = core.mapLookup(m, key32(core, 0));
    for (let i = 0; i < 3; i++) {
      const o = core.objNew(32, elem);
      expect(core.callKfunc(7, 0, BigInt(v + 8), BigInt(o + 8), 0n, 8n, 0n)).toBe(0n);
    }
    expect(core.liveObjects()).toBe(3);
    core.u8.fill(0, core.scratch + 256, core.scratch + 280);
    expect(core.mapUpdate(m, key32(core, 0), core.scratch + 256, 0n)).toBe(0);
    expect(core.liveObjects()).toBe(0);
    expect(core.callKfunc(8, 0, BigInt(v + 8), 0n, 0n, 0n, 0n)).toBe(0n); // empty now
  });
});

describe('more map rules', () => {
  it('hash-of-maps lookup from a program; next key after a deleted key restarts at the first', () => {
    const core = instantiateCoreSync();
    const inner = core.mapCreate(HASH, 4, 8, 4, 0, 0);
    const outer = core.mapCreate(HASH_OF_MAPS, 8, 4, 4, 0, 0);
    core.view.setUint32(core.scratch + 64, inner, true);
    expect(core.mapUpdate(outer, key64(core, 0xabcn), core.scratch + 64, 0n)).toBe(0);
    const p = load(core, `
      r1 = 0xabc
      *(u64 *)(r10 -8) = r1
      r1 = ${outer} ll
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      r0 -= ${inner}
      exit`);
    expect(core.run(p.text, p.slots, 0, 0n, true, 1000n)).toBe(FaultCode.None);
    expect(core.r0()).toBe(0n);
    for (const k of [1n, 2n]) expect(core.mapUpdate(inner, key32(core, Number(k)), val64(core, k), 4n)).toBe(0); // BPF_F_LOCK accepted
    const out = core.scratch + 256;
    expect(core.mapNextKey(inner, key32(core, 77), out)).toBe(0); // missing key: first key
    const first = core.view.getUint32(out, true);
    expect([1, 2]).toContain(first);
  });
});
