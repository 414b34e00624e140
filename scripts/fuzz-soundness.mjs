/**
 * Soundness fuzzing (issue 7): a structured generator of BPF programs against the BTF and maps of
 * fixtures/obj/graph_types.bpf.o, the verifier's verdict on each, and for every accepted program a
 * run on both engines (wasm and ts) in checked mode. A fault, a lock left held, an object that
 * survives draining every map, or any difference between the engines (r0, executed instructions,
 * heap, map bytes) is a soundness finding; `minimize` shrinks it by delta debugging on instructions.
 *
 * Plain ESM on purpose: `scripts/fuzz.mjs` runs it on the built packages, the vitest tests import it
 * from source (`@bpfkit/source` condition). Everything is deterministic from (seed, case index).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOwnershipGraph, parseBtf } from '@bpfkit/btf';
import { bytesToHex, encode, formatInsn, hexToBytes, decode, insn as mk, ldImm64 } from '@bpfkit/isa';
import { kernelBtfBytes, loadObject } from '@bpfkit/object';
import { linux618 } from '@bpfkit/platform';
import { objectMaps, verify } from '@bpfkit/verifier';
import { loadInstance, relocate, RunFault } from '@bpfkit/vm';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OBJECT_NAME = 'graph_types';
const OBJECT_PATH = join(ROOT, 'fixtures', 'obj', `${OBJECT_NAME}.bpf.o`);

/* ------------------------------------------------------------------ rng */

/** xorshift32; `caseRng(seed, i)` gives case i its own stream so any case can be replayed alone. */
export class Rng {
  constructor(seed) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  u32() {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n) {
    return n <= 0 ? 0 : this.u32() % n;
  }
  chance(p) {
    return this.u32() / 4294967296 < p;
  }
  pick(xs) {
    return xs[this.int(xs.length)];
  }
}

export function caseSeed(seed, i) {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return h >>> 0 || 1;
}

/* ------------------------------------------------------------------ the object context */

let ctxCache;
/** BTF (kernel view), maps, type and FUNC ids of graph_types.bpf.o. */
export function objectContext() {
  if (ctxCache) return ctxCache;
  const bytes = new Uint8Array(readFileSync(OBJECT_PATH));
  const { spec, btfFixups } = loadObject(bytes, { name: OBJECT_NAME });
  const kernelBtf = parseBtf(kernelBtfBytes(spec.btf, btfFixups));
  const types = new Map();
  const funcs = new Map();
  kernelBtf.types.forEach((t, id) => {
    if (!t || id === 0 || !t.name) return;
    if ((t.kind === 'STRUCT' || t.kind === 'UNION') && !types.has(t.name)) types.set(t.name, id);
    if (t.kind === 'FUNC' && !funcs.has(t.name)) funcs.set(t.name, id);
  });
  const mapIdx = new Map(spec.maps.map((m) => [m.name, m.index]));
  const sectionIdx = new Map(spec.maps.filter((m) => m.section && m.libbpfType !== 'user').map((m) => [m.section, m.index]));
  const need = (m, k) => {
    const v = m.get(k);
    if (v === undefined) throw new Error(`${OBJECT_NAME}.bpf.o: no '${k}'`);
    return v;
  };
  ctxCache = {
    bytes,
    spec,
    kernelBtf,
    maps: objectMaps(spec, kernelBtf),
    structMetas: checkOwnershipGraph(kernelBtf),
    T: {
      elem: need(types, 'elem'), node_data: need(types, 'node_data'), rc_node: need(types, 'rc_node'),
      holder: need(types, 'holder'), plain_obj: need(types, 'plain_obj'), with_ptr: need(types, 'with_ptr'),
    },
    M: {
      vals: need(mapIdx, 'vals'), hvals: need(mapIdx, 'hvals'), kvals: need(mapIdx, 'kvals'), rcvals: need(mapIdx, 'rcvals'),
      plain: need(mapIdx, 'plain'), A: need(sectionIdx, '.data.A'), B: need(sectionIdx, '.data.B'),
    },
    V: Object.fromEntries(spec.maps.flatMap((m) => (m.variables ?? []).map((v) => [v.name, v.offset]))),
    mainFunc: need(funcs, 'types_anchor'),
    subFunc: need(funcs, 'graph_cb'),
  };
  return ctxCache;
}

const K = (name) => {
  const id = linux618.kfuncBtfId(name);
  if (id === undefined) throw new Error(`linux618 has no kfunc ${name}`);
  return id;
};
const KF = {
  obj_new: K('bpf_obj_new_impl'), obj_drop: K('bpf_obj_drop_impl'), percpu_new: K('bpf_percpu_obj_new_impl'),
  percpu_drop: K('bpf_percpu_obj_drop_impl'), rc_acquire: K('bpf_refcount_acquire_impl'),
  push_front: K('bpf_list_push_front_impl'), push_back: K('bpf_list_push_back_impl'),
  pop_front: K('bpf_list_pop_front'), pop_back: K('bpf_list_pop_back'), front: K('bpf_list_front'), back: K('bpf_list_back'),
  rb_add: K('bpf_rbtree_add_impl'), rb_remove: K('bpf_rbtree_remove'), rb_first: K('bpf_rbtree_first'),
  rb_root: K('bpf_rbtree_root'), rb_left: K('bpf_rbtree_left'), rb_right: K('bpf_rbtree_right'),
};
const KFUNC_NAMES = new Map([...linux618.kfuncs.values()].map((k) => [k.btfId, k.name]));

/* ------------------------------------------------------------------ program builder */

const H = { lookup: 1, update: 2, delete: 3, prandom: 7, cpu: 8, spin_lock: 93, spin_unlock: 94, loop: 181, kptr_xchg: 194 };

class Builder {
  constructor() {
    this.out = [];
    this.fix = [];
    this.labels = new Map();
    this.n = 0;
    this.subs = new Map(); // name -> emitter, appended after the main body
  }
  label() {
    return `L${this.n++}`;
  }
  at(l) {
    this.labels.set(l, this.out.length);
  }
  i(code, dst = 0, src = 0, off = 0, imm = 0) {
    this.out.push(mk(code, dst, src, off, imm));
  }
  ld64(dst, value, src = 0) {
    this.out.push(ldImm64(dst, BigInt(value), src));
  }
  /** ld_imm64 of a map (src 5) or of a map value + off (src 6). */
  map(dst, idx) {
    this.out.push(mk(0x18, dst, 5, 0, idx, 0));
  }
  mapValue(dst, idx, off) {
    this.out.push(mk(0x18, dst, 6, 0, idx, off));
  }
  func(dst, name) {
    this.fix.push({ at: this.out.length, label: `sub:${name}`, field: 'imm' });
    this.out.push(mk(0x18, dst, 4, 0, 0, 0));
  }
  jmp(code, dst, src, imm, l) {
    this.fix.push({ at: this.out.length, label: l, field: 'off' });
    this.out.push(mk(code, dst, src, 0, imm));
  }
  ja(l) {
    this.jmp(0x05, 0, 0, 0, l);
  }
  call(id) {
    this.i(0x85, 0, 0, 0, id);
  }
  kcall(id) {
    this.i(0x85, 0, 2, 0, id);
  }
  subcall(name) {
    this.fix.push({ at: this.out.length, label: `sub:${name}`, field: 'imm' });
    this.i(0x85, 0, 1, 0, 0);
  }
  mov(dst, src) {
    this.i(0xbf, dst, src);
  }
  movi(dst, imm) {
    this.i(0xb7, dst, 0, 0, imm);
  }
  addi(dst, imm) {
    this.i(0x07, dst, 0, 0, imm);
  }
  ldx(size, dst, src, off) {
    this.i(0x61 | size, dst, src, off);
  }
  stx(size, dst, src, off) {
    this.i(0x63 | size, dst, src, off);
  }
  st(size, dst, off, imm) {
    this.i(0x62 | size, dst, 0, off, imm);
  }
  needSub(name, emit) {
    if (!this.subs.has(name)) this.subs.set(name, emit);
  }
  finish() {
    // subprograms (may register further subprograms while emitting)
    const done = new Set();
    for (;;) {
      const next = [...this.subs.keys()].find((k) => !done.has(k));
      if (next === undefined) break;
      done.add(next);
      this.at(`sub:${next}`);
      this.subs.get(next)(this);
    }
    const pos = [];
    let slot = 0;
    for (const x of this.out) {
      pos.push(slot);
      slot += x.code === 0x18 ? 2 : 1;
    }
    pos.push(slot);
    for (const f of this.fix) {
      const t = this.labels.get(f.label);
      if (t === undefined) throw new Error(`unbound label ${f.label}`);
      const rel = pos[t] - pos[f.at] - 1;
      if (f.field === 'off') this.out[f.at].off = rel;
      else this.out[f.at].imm = rel;
    }
    return this.out;
  }
}

const DW = 0x18, W = 0x00, HW = 0x08, B8 = 0x10;
const JEQ = 0x15, JNE = 0x55, JGT = 0x25, JSGT = 0x65, JLT = 0xa5, JSLT = 0xc5, JGE = 0x35, JSET = 0x45;

/* ------------------------------------------------------------------ the generator */

/**
 * Register use: r6 = ctx for the whole program, r7..r9 belong to the snippet running, r0..r5 to
 * filler. Stack: fp-8..fp-32 snippet scratch (keys, values), fp-40 the checksum returned in r0,
 * fp-48..fp-64 filler spill slots (initialised by the prologue).
 */
class Gen {
  constructor(rng, opts = {}) {
    this.r = rng;
    this.b = new Builder();
    this.o = objectContext();
    this.bad = [];
    this.badRate = opts.badRate ?? 0.015;
    this.maxSnippets = opts.maxSnippets ?? 3;
    this.fillerRate = opts.fillerRate ?? 0.5;
    this.fillerMax = opts.fillerMax ?? 4;
  }
  /** A "subtly wrong" knob: fires rarely, remembered for the statistics. */
  wrong(name, p = this.badRate) {
    if (this.r.chance(p)) {
      this.bad.push(name);
      return true;
    }
    return false;
  }
  nullCheck(reg, l) {
    if (!this.wrong('no-null-check')) this.b.jmp(JEQ, reg, 0, 0, l);
  }
  /** r1 = local type id, r2 = 0, call bpf_obj_new_impl → r0 */
  objNew(type, percpu = false) {
    const b = this.b;
    b.movi(1, this.wrong('wrong-type-id') ? this.r.pick([0, 1, 9999, this.o.T.holder, this.o.T.with_ptr]) : type);
    b.movi(2, 0);
    b.kcall(percpu ? KF.percpu_new : KF.obj_new);
  }
  drop(reg, percpu = false) {
    const b = this.b;
    if (this.wrong('skip-drop')) return;
    b.mov(1, reg);
    b.movi(2, 0);
    b.kcall(percpu ? KF.percpu_drop : KF.obj_drop);
    if (this.wrong('double-drop')) {
      b.mov(1, reg);
      b.movi(2, 0);
      b.kcall(KF.obj_drop);
    }
  }
  /** r(dst) = &map[key] value or NULL (key written at fp-4) */
  lookup(dst, mapIdx, key) {
    const b = this.b;
    b.st(W, 10, -4, this.wrong('bad-key') ? this.r.pick([2, 7, -1]) : key);
    b.mov(2, 10);
    b.addi(2, -4);
    b.map(1, mapIdx);
    b.call(H.lookup);
    if (dst !== 0) b.mov(dst, 0);
  }
  /** A lock + the graph root it protects, as (emit lock address into r1, emit root address into reg). */
  lockSite(kind) {
    const { M, V } = this.o;
    const r = this.r;
    if (kind === 'list') {
      const choice = r.pick(['global', 'global', 'globalB', 'map']);
      if (choice === 'map') return { mapBase: M.vals, key: r.int(2), lockOff: 0, rootOff: 8 };
      if (choice === 'globalB') return { global: M.B, lockOff: V.glock_b, rootOff: V.ghead_b };
      return { global: M.A, lockOff: V.glock, rootOff: V.ghead };
    }
    if (kind === 'tree') {
      return r.chance(0.5) ? { global: M.A, lockOff: V.glock, rootOff: V.groot } : { mapBase: M.vals, key: r.int(2), lockOff: 0, rootOff: 24 };
    }
    if (kind === 'rc-tree') return { mapBase: M.rcvals, key: 0, lockOff: 0, rootOff: 8 };
    return { mapBase: M.rcvals, key: 0, lockOff: 0, rootOff: 24 }; // rc-list
  }
  /** For map-based sites, r9 = value pointer (NULL → goto l). Must be called before any acquire. */
  siteSetup(site, l) {
    if (site.mapBase === undefined) return;
    this.lookup(9, site.mapBase, site.key);
    this.b.jmp(JEQ, 9, 0, 0, l);
  }
  siteAddr(site, reg, off) {
    const b = this.b;
    if (site.global !== undefined) {
      const wrongSec = this.wrong('wrong-lock-section', this.badRate / 2);
      b.mapValue(reg, wrongSec ? (site.global === this.o.M.A ? this.o.M.B : this.o.M.A) : site.global, off);
    } else {
      b.mov(reg, 9);
      if (off) b.addi(reg, off);
    }
  }
  lock(site) {
    if (this.wrong('no-lock')) return;
    this.siteAddr(site, 1, site.lockOff);
    this.b.call(H.spin_lock);
  }
  unlock(site) {
    if (this.wrong('no-unlock')) return;
    this.siteAddr(site, 1, site.lockOff);
    this.b.call(H.spin_unlock);
  }
  /** ALU / spill / branch filler; `locked` forbids calls. */
  filler(locked = false, depth = 0) {
    const b = this.b;
    const r = this.r;
    const n = r.int(this.fillerMax);
    for (let k = 0; k < n; k++) {
      const a = 1 + r.int(5);
      const c = r.int(6) === 0 ? 0 : 1 + r.int(5);
      switch (r.int(locked ? 7 : 9)) {
        case 0: {
          // read a spilled scalar, fold into the checksum
          b.ldx(DW, a, 10, -48 - 8 * r.int(3));
          if (this.wrong('uninit-read', this.badRate / 3)) b.ldx(DW, a, 10, -200);
          b.ldx(DW, 0, 10, -40);
          b.i(r.pick([0x0f, 0xaf, 0x1f]), 0, a);
          b.stx(DW, 10, 0, -40);
          break;
        }
        case 1: {
          // ALU64 / ALU32 mix
          b.movi(a, r.pick([0, 1, 3, 7, -1, 255, 0x7fffffff, -0x80000000, r.int(1000)]));
          if (c !== a) b.movi(c, r.pick([0, 2, 5, -3, 64, r.int(1 << 20)]));
          const ops = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xc0];
          for (let q = 1 + r.int(4); q > 0; q--) {
            const op = r.pick(ops);
            const cls = r.chance(0.5) ? 0x07 : 0x04;
            if (r.chance(0.5) && c !== a) b.i(cls | op | 0x08, a, c, op === 0x30 || op === 0x90 ? r.int(2) : 0);
            else {
              const shift = op === 0x60 || op === 0x70 || op === 0xc0;
              const imm = shift ? (this.wrong('big-shift', this.badRate / 3) ? 64 : r.int(cls === 0x07 ? 64 : 32)) : r.pick([1, 3, -7, 1000, 0x55]);
              b.i(cls | op, a, 0, op === 0x30 || op === 0x90 ? r.int(2) : 0, op === 0x30 || op === 0x90 ? imm || 1 : imm);
            }
          }
          b.stx(DW, 10, a, -48 - 8 * r.int(3));
          break;
        }
        case 2: {
          // a forward branch around some arithmetic
          const l = b.label();
          b.ldx(DW, a, 10, -48 - 8 * r.int(3));
          const op = r.pick([JEQ, JNE, JGT, JSGT, JLT, JSLT, JGE, JSET]);
          b.jmp(r.chance(0.3) ? (op & 0xf8) | 0x06 : op, a, 0, r.pick([0, 1, 5, 100, -1]), l);
          b.addi(a, r.int(50));
          b.stx(DW, 10, a, -48 - 8 * r.int(3));
          b.at(l);
          break;
        }
        case 3: {
          // a bounded loop (r0..r5 counter)
          const l = b.label();
          const cnt = a;
          const acc = a === 5 ? 4 : a + 1;
          b.movi(cnt, 1 + r.int(12));
          b.ldx(DW, acc, 10, -48);
          b.at(l);
          b.i(0x27, acc, 0, 0, 3); // acc *= 3
          b.addi(acc, cnt);
          b.addi(cnt, -1);
          // rare: each such program runs the verifier to its 1M-instruction limit (~2 s), about half of a campaign's time when it was /4
          if (this.wrong('loop-no-progress', this.badRate / 16)) b.addi(cnt, 1);
          b.jmp(JNE, cnt, 0, 0, l);
          b.stx(DW, 10, acc, -48);
          break;
        }
        case 4: {
          // ctx reads (tc: len, mark, priority)
          b.ldx(W, a, 6, r.pick([0, 8, 32, this.wrong('bad-ctx-off', this.badRate / 3) ? 3 : 0]));
          b.ldx(DW, 0, 10, -40);
          b.i(0x0f, 0, a);
          b.stx(DW, 10, 0, -40);
          break;
        }
        case 5: {
          // byte-size spills and fills, 32-bit moves, byte swaps
          b.ldx(DW, a, 10, -56);
          const sz = r.pick([B8, HW, W]);
          b.stx(sz, 10, a, -64 + (sz === B8 ? r.int(4) : sz === HW ? 2 * r.int(2) : 0));
          b.ldx(r.pick([B8, HW, W]), c || 1, 10, -64);
          b.i(0xd4 | (r.chance(0.5) ? 0x08 : 0), c || 1, 0, 0, r.pick([16, 32, 64]));
          b.stx(DW, 10, c || 1, -56);
          break;
        }
        case 6: {
          // atomic add into the checksum
          b.movi(a, r.int(100));
          b.i(0xdb, 10, a, -40, r.pick([0x00, 0x01]));
          break;
        }
        case 7: {
          // helper results (not inside a lock)
          b.call(r.pick([H.prandom, H.cpu]));
          b.ldx(DW, 1, 10, -40);
          b.i(0xaf, 1, 0);
          b.stx(DW, 10, 1, -40);
          break;
        }
        default: {
          // bpf-to-bpf call of a small arithmetic subprogram (calls nest up to 'chain' depth)
          const depthWanted = 1 + r.int(this.wrong('deep-chain', this.badRate) ? 9 : 3);
          this.needChain(depthWanted);
          b.ldx(DW, 1, 10, -48);
          b.subcall(`chain${depthWanted}`);
          b.ldx(DW, 1, 10, -40);
          b.i(0x0f, 1, 0);
          b.stx(DW, 10, 1, -40);
          break;
        }
      }
    }
    if (locked && this.wrong('call-in-lock', this.badRate / 2)) b.call(H.prandom);
    void depth;
  }
  needChain(d) {
    for (let k = d; k >= 1; k--) {
      const name = `chain${k}`;
      const next = k - 1;
      this.b.needSub(name, (b) => {
        // r0 = r1 * 2 + k, then call the next link
        b.i(0x77, 1, 0, 0, 1); // keep values small: r1 >>= 1
        b.mov(0, 1);
        b.i(0x27, 0, 0, 0, 2);
        b.addi(0, k);
        if (next >= 1) {
          b.i(0x7b, 10, 0, -8); // spill r0
          b.mov(1, 0);
          b.subcall(`chain${next}`);
          b.ldx(DW, 1, 10, -8);
          b.i(0x0f, 0, 1);
        }
        b.i(0x95);
      });
    }
  }
  needLess() {
    this.b.needSub('less', (b) => {
      // bool less(a, b): a->key < b->key; node_data/rc_node keep the key 16 bytes before the node
      b.ldx(DW, 1, 1, -16);
      b.ldx(DW, 2, 2, -16);
      b.movi(0, 1);
      const l = b.label();
      b.jmp(0xcd, 1, 2, 0, l); // if r1 s< r2 goto l
      b.movi(0, 0);
      b.at(l);
      b.i(0x95);
    });
  }
  /** value written into a new object's first field */
  seedValue(reg) {
    const b = this.b;
    if (this.r.chance(0.4)) {
      b.call(H.prandom);
      b.i(0x57, 0, 0, 0, 0xff);
      b.mov(1, 0);
    } else b.movi(1, this.r.int(1000));
    b.stx(DW, reg, 1, 0);
  }

  /* --------- snippets: each acquires and releases its own references --------- */

  listPush() {
    const b = this.b;
    const end = b.label();
    const site = this.lockSite('list');
    this.newObjectAt(site, end, () => (this.wrong('push-wrong-type') ? this.o.T.node_data : this.o.T.elem));
    this.lock(site);
    this.filler(true);
    this.siteAddr(site, 1, site.rootOff);
    b.mov(2, 7);
    b.addi(2, this.wrong('bad-node-off') ? 0 : 8);
    b.movi(3, 0);
    b.movi(4, 0);
    b.kcall(this.r.chance(0.5) ? KF.push_back : KF.push_front);
    if (this.wrong('use-after-push')) {
      b.movi(1, 5);
      b.stx(DW, 7, 1, 0);
    }
    this.unlock(site);
    if (this.wrong('read-after-unlock')) b.ldx(DW, 1, 7, 0);
    b.at(end);
  }
  listPop() {
    const b = this.b;
    const end = b.label();
    const site = this.lockSite('list');
    this.siteSetup(site, end);
    this.lock(site);
    if (this.r.chance(0.3)) {
      // peek: non-owning, read only under the lock
      this.siteAddr(site, 1, site.rootOff);
      b.kcall(this.r.chance(0.5) ? KF.front : KF.back);
      const l = b.label();
      b.jmp(JEQ, 0, 0, 0, l);
      b.ldx(DW, 1, 0, -8);
      b.ldx(DW, 2, 10, -40);
      b.i(0x0f, 2, 1);
      b.stx(DW, 10, 2, -40);
      if (this.wrong('drop-non-owning')) {
        b.mov(1, 0);
        b.addi(1, -8);
        b.movi(2, 0);
        b.kcall(KF.obj_drop);
      }
      b.at(l);
    }
    this.siteAddr(site, 1, site.rootOff);
    b.kcall(this.r.chance(0.5) ? KF.pop_front : KF.pop_back);
    b.mov(7, 0);
    this.unlock(site);
    b.jmp(JEQ, 7, 0, 0, end);
    if (!this.wrong('no-container-of')) b.addi(7, -8);
    b.ldx(DW, 1, 7, 0);
    b.ldx(DW, 2, 10, -40);
    b.i(0x0f, 2, 1);
    b.stx(DW, 10, 2, -40);
    // re-push into another list, stash, or drop
    const what = this.r.int(3);
    if (what === 0) {
      const s2 = { global: this.o.M.B, lockOff: this.o.V.glock_b, rootOff: this.o.V.ghead_b };
      this.lock(s2);
      this.siteAddr(s2, 1, s2.rootOff);
      b.mov(2, 7);
      b.addi(2, 8);
      b.movi(3, 0);
      b.movi(4, 0);
      b.kcall(KF.push_back);
      this.unlock(s2);
    } else if (what === 1) {
      // stash into kvals[k].e; drop what was there
      b.stx(DW, 10, 7, -16); // spill the owned pointer across the lookup
      this.lookup(8, this.o.M.kvals, this.r.int(2));
      b.ldx(DW, 7, 10, -16);
      const miss = b.label();
      const done = b.label();
      b.jmp(JEQ, 8, 0, 0, miss);
      b.mov(1, 8);
      b.mov(2, 7);
      b.call(H.kptr_xchg);
      b.jmp(JEQ, 0, 0, 0, done);
      this.drop(0);
      b.ja(done);
      b.at(miss);
      if (!this.wrong('leak-on-miss')) this.drop(7);
      b.at(done);
    } else {
      this.drop(7);
    }
    if (this.wrong('use-after-drop')) b.ldx(DW, 1, 7, 0);
    b.at(end);
  }
  /** Site setup, then a new object of type `typeOf()` in r7 (NULL → `end`), its value seeded. */
  newObjectAt(site, end, typeOf) {
    this.siteSetup(site, end);
    this.objNew(typeOf());
    this.nullCheck(0, end);
    this.b.mov(7, 0);
    this.seedValue(7);
  }
  rbAdd() {
    const b = this.b;
    const end = b.label();
    const site = this.lockSite('tree');
    this.newObjectAt(site, end, () => this.o.T.node_data);
    this.lock(site);
    this.filler(true);
    this.siteAddr(site, 1, site.rootOff);
    b.mov(2, 7);
    b.addi(2, this.wrong('bad-node-off') ? 8 : 16);
    this.needLess();
    b.func(3, 'less');
    b.movi(4, 0);
    b.movi(5, 0);
    b.kcall(KF.rb_add);
    if (this.r.chance(0.3)) {
      // non-owning reference after add: readable under the lock
      b.ldx(DW, 1, 7, 0);
      b.ldx(DW, 2, 10, -40);
      b.i(0x0f, 2, 1);
      b.stx(DW, 10, 2, -40);
    }
    this.unlock(site);
    if (this.wrong('read-after-unlock')) b.ldx(DW, 1, 7, 0);
    b.at(end);
  }
  rbRemove() {
    const b = this.b;
    const end = b.label();
    const none = b.label();
    const site = this.lockSite('tree');
    this.siteSetup(site, end);
    this.lock(site);
    this.siteAddr(site, 1, site.rootOff);
    b.kcall(this.r.pick([KF.rb_first, KF.rb_first, KF.rb_root]));
    b.jmp(JEQ, 0, 0, 0, none);
    if (this.r.chance(0.4)) {
      // walk one step left or right (non-owning), falling back to the first node
      b.mov(7, 0);
      this.siteAddr(site, 1, site.rootOff);
      b.mov(2, 7);
      b.kcall(this.r.chance(0.5) ? KF.rb_left : KF.rb_right);
      const have = b.label();
      b.jmp(JNE, 0, 0, 0, have);
      b.mov(0, 7);
      b.at(have);
    }
    b.ldx(DW, 1, 0, -16);
    b.ldx(DW, 2, 10, -40);
    b.i(0x0f, 2, 1);
    b.stx(DW, 10, 2, -40);
    this.siteAddr(site, 1, site.rootOff);
    b.mov(2, 0);
    b.kcall(KF.rb_remove);
    b.mov(7, 0);
    this.unlock(site);
    b.jmp(JEQ, 7, 0, 0, end);
    b.addi(7, -16);
    if (this.r.chance(0.3)) {
      // put it back in (under the lock again)
      this.lock(site);
      this.siteAddr(site, 1, site.rootOff);
      b.mov(2, 7);
      b.addi(2, 16);
      this.needLess();
      b.func(3, 'less');
      b.movi(4, 0);
      b.movi(5, 0);
      b.kcall(KF.rb_add);
      this.unlock(site);
    } else this.drop(7);
    b.ja(end);
    b.at(none);
    this.unlock(site);
    b.at(end);
  }
  kptrStash() {
    const b = this.b;
    const end = b.label();
    const r = this.r;
    const slot = r.pick([{ off: 0, type: this.o.T.elem, percpu: false }, { off: 8, type: this.o.T.plain_obj, percpu: true }, { off: 16, type: this.o.T.rc_node, percpu: false }]);
    this.lookup(8, this.o.M.kvals, r.int(2));
    b.jmp(JEQ, 8, 0, 0, end);
    const take = r.chance(0.4);
    if (take) {
      b.mov(1, 8);
      if (slot.off) b.addi(1, slot.off);
      b.movi(2, 0);
      b.call(H.kptr_xchg);
      b.jmp(JEQ, 0, 0, 0, end);
      b.mov(7, 0);
      if (!slot.percpu) {
        b.ldx(DW, 1, 7, 0);
        b.ldx(DW, 2, 10, -40);
        b.i(0x0f, 2, 1);
        b.stx(DW, 10, 2, -40);
      }
      this.drop(7, slot.percpu && !this.wrong('percpu-plain-drop'));
      b.at(end);
      return;
    }
    this.objNew(this.wrong('stash-wrong-type') ? this.o.T.node_data : slot.type, slot.percpu);
    this.nullCheck(0, end);
    b.mov(7, 0);
    if (!slot.percpu) this.seedValue(7);
    b.mov(1, 8);
    if (slot.off || this.wrong('stash-wrong-slot')) b.addi(1, slot.off || 8);
    b.mov(2, 7);
    b.call(H.kptr_xchg);
    if (this.wrong('use-after-stash')) b.ldx(DW, 1, 7, 0);
    b.jmp(JEQ, 0, 0, 0, end);
    this.drop(0, slot.percpu);
    b.at(end);
  }
  refcount() {
    const b = this.b;
    const end = b.label();
    const site = this.lockSite('rc-tree');
    this.newObjectAt(site, end, () => this.o.T.rc_node);
    b.mov(1, 7);
    b.movi(2, 0);
    b.kcall(KF.rc_acquire);
    const gotBoth = b.label();
    b.mov(8, 0);
    if (!this.wrong('rc-no-null-check')) {
      b.jmp(JNE, 8, 0, 0, gotBoth);
      this.drop(7);
      b.ja(end);
    }
    b.at(gotBoth);
    this.lock(site);
    // tree gets r7 (rb at 16), list gets r8 (ln at 48)
    this.siteAddr(site, 1, 8);
    b.mov(2, 7);
    b.addi(2, 16);
    this.needLess();
    b.func(3, 'less');
    b.movi(4, 0);
    b.movi(5, 0);
    b.kcall(KF.rb_add);
    this.siteAddr(site, 1, 24);
    b.mov(2, this.wrong('rc-push-same') ? 7 : 8);
    b.addi(2, 48);
    b.movi(3, 0);
    b.movi(4, 0);
    b.kcall(this.r.chance(0.5) ? KF.push_back : KF.push_front);
    if (this.r.chance(0.5)) {
      // pop one back out of the list and drop it (it may still be in the tree)
      this.siteAddr(site, 1, 24);
      b.kcall(KF.pop_front);
      b.mov(7, 0);
      this.unlock(site);
      b.jmp(JEQ, 7, 0, 0, end);
      b.addi(7, -48);
      this.drop(7);
    } else this.unlock(site);
    b.at(end);
  }
  mapOps() {
    const b = this.b;
    const r = this.r;
    const end = b.label();
    if (r.chance(0.5)) {
      // plain[0] = checksum (update from the stack), then read it back
      b.st(W, 10, -4, 0);
      b.ldx(DW, 1, 10, -40);
      b.stx(DW, 10, 1, -16);
      b.map(1, this.o.M.plain);
      b.mov(2, 10);
      b.addi(2, -4);
      b.mov(3, 10);
      b.addi(3, -16);
      b.movi(4, 0);
      b.call(H.update);
      this.lookup(7, this.o.M.plain, 0);
      b.jmp(JEQ, 7, 0, 0, end);
      b.ldx(DW, 1, 7, 0);
      b.addi(1, 1);
      b.stx(DW, 7, 1, 0);
    } else {
      // hvals[k] = zero value, push an elem into its list, sometimes delete the element again
      const key = r.int(3);
      for (let off = -56; off < -8; off += 8) b.st(DW, 10, off, 0);
      b.st(W, 10, -4, key);
      b.map(1, this.o.M.hvals);
      b.mov(2, 10);
      b.addi(2, -4);
      b.mov(3, 10);
      b.addi(3, -56);
      b.movi(4, r.pick([0, 0, 1]));
      b.call(H.update);
      // the spill slots were clobbered by the value: restore them
      b.st(DW, 10, -48, r.int(1000));
      b.st(DW, 10, -56, r.int(1000));
      b.st(DW, 10, -64, 7);
      this.lookup(9, this.o.M.hvals, key);
      b.jmp(JEQ, 9, 0, 0, end);
      this.objNew(this.o.T.elem);
      b.jmp(JEQ, 0, 0, 0, end);
      b.mov(7, 0);
      this.seedValue(7);
      const site = { mapBase: this.o.M.hvals, lockOff: 0, rootOff: 8 };
      this.lock(site);
      this.siteAddr(site, 1, 8);
      b.mov(2, 7);
      b.addi(2, 8);
      b.movi(3, 0);
      b.movi(4, 0);
      b.kcall(KF.push_back);
      this.unlock(site);
      if (r.chance(0.5)) {
        b.st(W, 10, -4, key);
        b.map(1, this.o.M.hvals);
        b.mov(2, 10);
        b.addi(2, -4);
        b.call(H.delete);
        if (this.wrong('use-after-delete', this.badRate / 2)) {
          b.ldx(DW, 1, 9, 40);
          b.stx(DW, 10, 1, -48);
        }
      }
    }
    b.at(end);
  }
  spillAcrossCall() {
    // an owned object spilled to the stack across a helper call, then dropped
    const b = this.b;
    const end = b.label();
    this.objNew(this.r.pick([this.o.T.elem, this.o.T.plain_obj, this.o.T.node_data]));
    this.nullCheck(0, end);
    b.stx(DW, 10, 0, -24);
    b.call(H.prandom);
    if (this.wrong('clobber-spill')) b.stx(DW, 10, 0, -24);
    b.ldx(DW, 7, 10, -24);
    this.seedValue(7);
    b.ldx(DW, 1, 7, 0);
    b.ldx(DW, 2, 10, -40);
    b.i(0x0f, 2, 1);
    b.stx(DW, 10, 2, -40);
    this.drop(7);
    b.at(end);
  }
  bpfLoop() {
    const b = this.b;
    b.needSub('loopcb', (bb) => {
      // long cb(u64 i, void *ctx): *(u64 *)ctx += i
      bb.ldx(DW, 3, 2, 0);
      bb.i(0x0f, 3, 1);
      bb.stx(DW, 2, 3, 0);
      bb.movi(0, 0);
      bb.i(0x95);
    });
    b.movi(1, 1 + this.r.int(20));
    b.func(2, 'loopcb');
    b.mov(3, 10);
    b.addi(3, -40);
    b.movi(4, 0);
    b.call(H.loop);
  }
  generate() {
    const b = this.b;
    const r = this.r;
    // prologue
    b.mov(6, 1);
    b.st(DW, 10, -40, 0);
    b.st(DW, 10, -48, r.int(1 << 16));
    b.st(DW, 10, -56, r.int(1 << 16));
    b.st(DW, 10, -64, r.int(1 << 16));
    const snippets = [
      () => this.listPush(), () => this.listPush(), () => this.listPop(), () => this.rbAdd(), () => this.rbAdd(),
      () => this.rbRemove(), () => this.kptrStash(), () => this.kptrStash(), () => this.refcount(), () => this.mapOps(),
      () => this.spillAcrossCall(), () => this.bpfLoop(), () => this.filler(false),
    ];
    const n = 1 + r.int(this.maxSnippets);
    for (let k = 0; k < n; k++) {
      if (r.chance(this.fillerRate)) this.filler(false);
      r.pick(snippets)();
    }
    this.filler(false);
    b.ldx(DW, 0, 10, -40);
    if (this.wrong('clobbered-r0', this.badRate / 3)) b.mov(0, 7);
    b.i(0x95);
    return b.finish();
  }
}

/** One generated program: instructions and the "wrong" knobs that fired. */
export function generateProgram(seed, opts) {
  const g = new Gen(new Rng(seed), opts);
  const insns = g.generate();
  return { insns, bad: g.bad };
}

/* ------------------------------------------------------------------ verification */

function subprogStarts(insns) {
  const starts = new Set();
  let slot = 0;
  for (const i of insns) {
    if (i.code === 0x85 && i.src === 1) starts.add(slot + 1 + i.imm);
    if (i.code === 0x18 && i.src === 4) starts.add(slot + 1 + i.imm);
    slot += i.code === 0x18 ? 2 : 1;
  }
  starts.delete(0);
  return [...starts].sort((a, b) => a - b);
}

/** Verifier input for a generated program (BTF, maps and FUNCs of graph_types, a tc program). */
export function verifierInput(insns) {
  const o = objectContext();
  const starts = subprogStarts(insns);
  return {
    insns,
    progType: 3,
    license: 'GPL',
    progFlags: 0,
    maps: o.maps,
    btf: o.kernelBtf,
    structMetas: o.structMetas,
    funcInfo: [{ insn: 0, typeId: o.mainFunc }, ...starts.map((s) => ({ insn: s, typeId: o.subFunc }))],
    kfuncName: (i) => (i.src === 2 ? KFUNC_NAMES.get(i.imm) : undefined),
    name: 'fuzz',
  };
}

/** 'accepted' | 'rejected' | {crash} (an exception out of verify is itself a finding). */
export function verdict(insns) {
  try {
    const r = verify(verifierInput(insns), { logLevel: 0 });
    return r.accepted ? { accepted: true } : { accepted: false, message: r.error?.message ?? '', insn: r.error?.insn };
  } catch (e) {
    return { crash: `${e?.name ?? 'Error'}: ${e?.message ?? e}` };
  }
}

/* ------------------------------------------------------------------ running on both engines */

const SKB_SIZE = 192;
const LOCK_SITES = [
  // [map name or section, lock offset]
  ['vals', 0], ['hvals', 0], ['rcvals', 0], ['.data.A', 0], ['.data.B', 0],
];

/** One core per engine, loaded with graph_types's maps, records and type table. Reloaded every few hundred programs. */
export class World {
  static async create(engine, opts = {}) {
    const inst = await loadInstance(objectContext().bytes, { engine, checked: true, name: OBJECT_NAME, seed: 7n, ...(opts.heapCap ? { heapCap: opts.heapCap } : {}), ...(opts.budget ? { budget: opts.budget } : {}), now: () => 1_000_000n });
    return new World(inst, engine, opts);
  }
  constructor(inst, engine, opts) {
    this.inst = inst;
    this.engineName = engine;
    this.core = inst.core;
    this.budget = BigInt(opts.budget ?? 1_000_000);
    this.programs = 0;
    const byIndex = new Map(inst.maps.map((m) => [m.spec.index, m]));
    this.targets = {
      mapAddr: (i) => byIndex.get(i)?.addr,
      mapValueAddr: (i) => {
        const h = byIndex.get(i);
        if (!h || h.type !== 2) return undefined;
        return h.valueAddr(0) || undefined;
      },
      kfuncName: (id) => KFUNC_NAMES.get(id),
    };
    this.ctx = this.core.staticAlloc(SKB_SIZE, 8);
    this.core.regionAdd(this.ctx, SKB_SIZE, 3);
  }
  /** Runs one program; returns the observation (never throws for program faults). */
  run(insns) {
    const core = this.core;
    this.programs++;
    const rel = relocate('fuzz', encode(insns), this.targets);
    const textAddr = core.staticAlloc(rel.text.byteLength, 8);
    core.u8.set(rel.text, textAddr);
    const prepared = this.inst.engine.prepare(core, { name: 'fuzz', text: rel.text, textAddr, slots: rel.slots, describeCall: rel.describeCall });
    // The wasm engine pre-decodes a new text into static memory ((slots + 1) × 16 bytes, 16-aligned) when it
    // first runs it. Static regions and heap slabs share one bump pointer, so the ts world reserves the same
    // bytes: otherwise the worlds' slabs start at different addresses once a size class is first used late in
    // a world's life, and pointers stored in map values differ (a harness artifact, not an engine difference).
    if (this.engineName === 'ts') core.staticAlloc((rel.slots + 1) * 16, 16);
    const u8 = core.u8;
    u8.fill(0, this.ctx, this.ctx + SKB_SIZE);
    const dv = core.view;
    dv.setUint32(this.ctx, 64, true); // len
    dv.setUint32(this.ctx + 8, 0x1234, true); // mark
    dv.setUint32(this.ctx + 32, 3, true); // priority
    core.setCpu(0);
    let fault;
    let res = { r0: 0n, insns: 0 };
    try {
      res = prepared.run({ r1: BigInt(this.ctx), checked: true, budget: this.budget });
    } catch (e) {
      if (e instanceof RunFault) fault = { code: e.code, pc: e.pc, message: e.message };
      else fault = { code: -1, pc: -1, message: `host exception: ${e?.name}: ${e?.message}` };
    }
    const locks = this.heldLocks();
    const snapshot = this.snapshot();
    const liveBefore = core.liveObjects();
    core.endRun();
    const leaked = this.drain();
    return { r0: BigInt.asUintN(64, res.r0), insns: res.insns, fault, locks, snapshot, liveBefore, leaked };
  }
  heldLocks() {
    const held = [];
    const dv = this.core.view;
    for (const [name, off] of LOCK_SITES) {
      const m = this.inst.map(name);
      for (const k of m.keys()) {
        const a = m.valueAddr(k);
        if (a && dv.getUint32(a + off, true) !== 0) held.push(`${name}[${[...k].join(',')}]+${off}`);
      }
    }
    return held;
  }
  /** Bytes of every map value (addresses are the same in both worlds: same history, same allocator). */
  snapshot() {
    const parts = [];
    for (const m of this.inst.maps) {
      for (const k of m.keys()) {
        const v = m.lookup(k);
        parts.push(`${m.name}[${bytesToHex(k)}]=${v ? bytesToHex(v) : '-'}`);
      }
    }
    return parts.join(' ');
  }
  /** Empties every map (host updates with zeroes drain special fields, hash elements are deleted); live objects left = leaked. */
  drain() {
    const core = this.core;
    for (const m of this.inst.maps) {
      if (m.type === 1) {
        for (const k of m.keys()) m.delete(k);
      } else if (m.type === 2) {
        const zero = new Uint8Array(m.valueSize);
        for (let i = 0; i < m.maxEntries; i++) m.update(i, zero);
      }
    }
    core.endRun();
    return core.liveObjects();
  }
}

/** Compares the observations of the two engines; returns the list of problems (empty = sound). */
export function judge(obs) {
  const problems = [];
  for (const [name, o] of Object.entries(obs)) {
    if (o.fault) problems.push({ kind: 'fault', engine: name, detail: o.fault.message });
    if (o.locks.length) problems.push({ kind: 'lock-held', engine: name, detail: o.locks.join(' ') });
    if (o.leaked) problems.push({ kind: 'leak', engine: name, detail: `${o.leaked} objects live after draining every map` });
  }
  const [a, b] = Object.values(obs);
  if (a && b && !a.fault && !b.fault) {
    if (a.r0 !== b.r0) problems.push({ kind: 'disagree', detail: `r0 ${a.r0} vs ${b.r0}` });
    if (a.insns !== b.insns) problems.push({ kind: 'disagree', detail: `insns ${a.insns} vs ${b.insns}` });
    if (a.liveBefore !== b.liveBefore) problems.push({ kind: 'disagree', detail: `live objects ${a.liveBefore} vs ${b.liveBefore}` });
    if (a.snapshot !== b.snapshot) problems.push({ kind: 'disagree', detail: `map state differs: ${firstDiff(a.snapshot, b.snapshot)}` });
  } else if (a && b && (!!a.fault !== !!b.fault || (a.fault && b.fault && (a.fault.code !== b.fault.code || a.fault.pc !== b.fault.pc)))) {
    problems.push({ kind: 'disagree', detail: `faults differ: ${a.fault?.message ?? 'none'} vs ${b.fault?.message ?? 'none'}` });
  }
  return problems;
}

function firstDiff(x, y) {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `at char ${i}: …${x.slice(Math.max(0, i - 40), i + 40)}… vs …${y.slice(Math.max(0, i - 40), i + 40)}…`;
}

/** Both engines' worlds; recreated every `reloadEvery` programs to bound the static text area. */
export class Harness {
  constructor(opts = {}) {
    this.opts = opts;
    this.reloadEvery = opts.reloadEvery ?? 400;
    /** One pair of worlds per heap cap (switching caps must not cost a reload). */
    this.worldsByCap = new Map();
    this.runs = 0;
    this.heapCaps = opts.heapCaps ?? [0, 0, 0, 160];
  }
  async worldsFor(heapCap) {
    let w = this.worldsByCap.get(heapCap);
    if (!w || w.wasm.programs >= this.reloadEvery) {
      w = { heapCap, wasm: await World.create('wasm', { ...this.opts, heapCap }), ts: await World.create('ts', { ...this.opts, heapCap }) };
      this.worldsByCap.set(heapCap, w);
    }
    return w;
  }
  /** Runs an accepted program on both engines; `heapCap` 0 = default. */
  async check(insns, heapCap = 0) {
    const w = await this.worldsFor(heapCap);
    this.runs++;
    const obs = { wasm: w.wasm.run(insns), ts: w.ts.run(insns) };
    const problems = judge(obs);
    // the comparison of map bytes assumes both worlds allocate static memory alike (see World.run)
    const ta = w.wasm.core.staticAlloc(0, 8);
    const tb = w.ts.core.staticAlloc(0, 8);
    if (ta !== tb) problems.push({ kind: 'harness', detail: `static memory tops differ after the run: wasm 0x${ta.toString(16)} vs ts 0x${tb.toString(16)}` });
    return { obs, problems };
  }
  /** Replays a program in fresh worlds (minimization and regression tests: no history). */
  async checkFresh(insns, heapCap = 0) {
    const wasm = await World.create('wasm', { ...this.opts, heapCap });
    const ts = await World.create('ts', { ...this.opts, heapCap });
    const obs = { wasm: wasm.run(insns), ts: ts.run(insns) };
    return { obs, problems: judge(obs) };
  }
}

/** Heap cap used for case i (a small cap makes bpf_obj_new return NULL after a couple of objects). */
export function heapCapFor(seed) {
  return seed % 7 === 0 ? 160 : 0;
}

/* ------------------------------------------------------------------ one case, minimization */

/**
 * One soundness case: generate, verify, and for accepted programs run on both engines.
 * Returns {verdict, problems, insns, bad}.
 */
export async function soundnessCase(harness, seed, opts) {
  const { insns, bad } = generateProgram(seed, opts);
  const v = verdict(insns);
  if (v.crash) return { insns, bad, verdict: 'crash', problems: [{ kind: 'verifier-crash', detail: v.crash }] };
  if (!v.accepted) return { insns, bad, verdict: 'rejected', message: v.message, problems: [] };
  const { problems } = await harness.check(insns, heapCapFor(seed));
  return { insns, bad, verdict: 'accepted', problems };
}

/** Removes instruction k, retargeting jumps, calls and function references across it. */
export function removeInsn(insns, k) {
  const pos = [];
  let slot = 0;
  for (const x of insns) {
    pos.push(slot);
    slot += x.code === 0x18 ? 2 : 1;
  }
  pos.push(slot);
  const w = insns[k].code === 0x18 ? 2 : 1;
  const newPos = (p) => (p > pos[k] ? p - w : p);
  const out = [];
  for (let i = 0; i < insns.length; i++) {
    if (i === k) continue;
    const x = { ...insns[i] };
    const cls = x.code & 7;
    const isJmp = (cls === 5 || cls === 6) && x.code !== 0x85 && x.code !== 0x95 && x.code !== 0x8d;
    const from = pos[i];
    if (isJmp) {
      const useImm = x.code === 0x06;
      const t = from + 1 + (useImm ? x.imm : x.off);
      const rel = newPos(t) - newPos(from) - 1;
      if (useImm) x.imm = rel;
      else x.off = rel;
    } else if ((x.code === 0x85 && x.src === 1) || (x.code === 0x18 && x.src === 4)) {
      const t = from + 1 + x.imm;
      x.imm = newPos(t) - newPos(from) - 1;
    }
    out.push(x);
  }
  return out;
}

/**
 * Delta debugging on instructions: drop chunks (removeInsn retargets jumps, calls and function
 * references) while `still(insns)` holds; `budget` bounds the number of probes. A probe that throws
 * counts as not holding.
 */
export async function shrink(insns, still, budget = 2000) {
  let cur = insns;
  let probes = 0;
  let chunk = Math.max(1, cur.length >> 1);
  while (chunk >= 1 && probes < budget) {
    let progress = false;
    for (let start = cur.length - chunk; start >= 0 && probes < budget; start -= chunk) {
      let cand = cur;
      for (let k = Math.min(start + chunk, cand.length) - 1; k >= start; k--) cand = removeInsn(cand, k);
      if (cand.length === 0 || cand.length === cur.length) continue;
      probes++;
      let ok = false;
      try {
        ok = await still(cand);
      } catch {
        ok = false;
      }
      if (ok) {
        cur = cand;
        progress = true;
      }
    }
    if (!progress) chunk >>= 1;
  }
  return cur;
}

/** `shrink` keeping programs the verifier still accepts and for which `stillFails(insns)` holds. */
export function minimize(insns, stillFails, budget = 2000) {
  return shrink(insns, async (cand) => verdict(cand).accepted === true && (await stillFails(cand)), budget);
}

export function disasm(insns) {
  let slot = 0;
  return insns.map((x) => {
    const s = `${String(slot).padStart(4)}: ${formatInsn(x)}`;
    slot += x.code === 0x18 ? 2 : 1;
    return s;
  });
}

/** A regression fixture record (JSON) for a soundness finding. */
export function fixtureRecord(name, insns, problems, extra = {}) {
  return {
    name,
    object: OBJECT_NAME,
    hex: bytesToHex(encode(insns)),
    problems: problems.map((p) => `${p.kind}${p.engine ? ` (${p.engine})` : ''}: ${p.detail}`),
    disasm: disasm(insns),
    ...extra,
  };
}

export function insnsFromHex(hex) {
  return decode(hexToBytes(hex));
}
