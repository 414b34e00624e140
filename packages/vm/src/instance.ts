/**
 * `loadInstance`: an object (ELF bytes or `ObjectSpec`) → a running instance in one core:
 * records and the local type table, maps (with global data and inner-map slots), a relocated
 * image per program, an engine prepared for each. Then `run`, map access and inspection.
 */
import { parseBtf, type Btf } from '@bpfkit/btf';
import {
  kernelBtfBytes, linkProgram, loadObject, planBtfFixups, type LinkPlatform, type LinkedProgram, type MapSpec, type ObjectSpec,
  type ProgramSpec,
} from '@bpfkit/object';
import { linux618, type Platform } from '@bpfkit/platform';
import type { Core } from '@bpfkit/vm-wasm';
import { contextKind, ethInfo, ETH_HLEN, fillSkb, fillXdp, SK_BUFF_SIZE, XDP_HEADROOM, XDP_MD_SIZE, type ContextKind } from './context.js';
import { newCore } from './core.js';
import { decodeValue, type Decoded } from './btf-value.js';
import { RunFault, type Engine, type EngineName, type PreparedProgram, type ProgramImage } from './engine.js';
import { createWasmEngine } from './engine-wasm.js';
import { LoadError, RunError, type SourceLine } from './errors.js';
import { relocate } from './image.js';
import { toBytes, type KeyLike } from './keys.js';
import type { CollectionsAt, Element, ListView, TreeNode, TreeShape, TreeView } from './collections-view.js';
import { RecordKind, RecordSet, type RecordDesc } from './records.js';
import { readListNodes, readTree, type TreeNode as RawTreeNode } from '@bpfkit/collections';

export interface InstanceOptions {
  /** Engine by name or an `Engine` object (default `wasm`). */
  readonly engine?: EngineName | Engine;
  /**
   * Verify programs with `@bpfkit/verifier` (each at its first run, or with `instance.verify(name)`);
   * accepted programs run unchecked, rejected ones throw a `LoadError` (code REJECTED) instead of running.
   */
  readonly verify?: boolean;
  /** Validate every memory access. Default: true for programs not verified, false for verified ones. */
  readonly checked?: boolean;
  readonly seed?: bigint | number;
  readonly nrCpus?: number;
  /** Heap cap for `bpf_obj_new` in bytes. */
  readonly heapCap?: number;
  /** Instruction budget of one run (default 100 M). */
  readonly budget?: bigint | number;
  /** Object name for internal map names (`<name>.bss`); default `obj` (or the spec's). */
  readonly name?: string;
  readonly platform?: Platform;
  /** ktime source (ns). */
  readonly now?: () => bigint;
}

export interface RunOptions {
  /** Packet bytes (tc, xdp, socket filter…); syscall programs take them as ctx when no `ctx` is given. */
  readonly data?: Uint8Array;
  /** Context bytes (syscall programs; copied over `__sk_buff` / `xdp_md` for packet programs). */
  readonly ctx?: Uint8Array;
  /** Run this many times (state carries over); `durationNs` is the average. */
  readonly repeat?: number;
  /** CPU id the program sees (per-CPU maps). */
  readonly cpu?: number;
}

export interface RunResult {
  /** r0's low 32 bits as a signed integer (what BPF_PROG_TEST_RUN reports). */
  readonly retval: number;
  readonly r0: bigint;
  /** Instructions executed by the last run. */
  readonly insns: number;
  /** Average wall time per run, ns. */
  readonly durationNs: number;
  /** Packet after the run (packet programs). */
  readonly data?: Uint8Array;
  /** Context bytes after the run (syscall and raw contexts). */
  readonly ctx?: Uint8Array;
}

export interface ProgramInfo {
  readonly name: string;
  readonly section: string;
  readonly progType: string;
  readonly slots: number;
  readonly checked: boolean;
  /** Verification result when `verify` was asked for. */
  readonly verified?: { readonly accepted: boolean; readonly message?: string; readonly insn?: number };
}

const DEFAULT_BUDGET = 100_000_000n;
const PERCPU_TYPES = new Set([5, 6, 10, 21]); // PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE
const MAP_IN_MAP = new Set([12, 13]);

export class MapError extends Error {
  override readonly name = 'MapError';
  constructor(message: string, readonly errno: number) {
    super(message);
  }
}

const ERRNO: Record<number, string> = { 1: 'EPERM', 2: 'ENOENT', 7: 'E2BIG', 12: 'ENOMEM', 17: 'EEXIST', 22: 'EINVAL', 95: 'EOPNOTSUPP' };

/** One map of the instance (also the internal maps of global data sections). */
export class MapHandle {
  constructor(
    private readonly inst: Instance,
    readonly spec: MapSpec,
    /** Map descriptor address in core memory. */
    readonly addr: number,
    readonly recordKey: string | undefined,
  ) {}

  get name(): string { return this.spec.name; }
  get type(): number { return this.spec.type; }
  get typeName(): string { return this.spec.typeName; }
  get keySize(): number { return this.spec.keySize; }
  get valueSize(): number { return this.spec.valueSize; }
  get maxEntries(): number { return this.spec.maxEntries; }
  get percpu(): boolean { return PERCPU_TYPES.has(this.spec.type); }
  /** Global data section (`.data`, `.bss.A`, …) this map holds, if any. */
  get section(): string | undefined { return this.spec.libbpfType === 'user' ? undefined : this.spec.section; }

  /** Address of the value for `key` in core memory, 0 when absent. */
  valueAddr(key: KeyLike, cpu?: number): number {
    const core = this.inst.core;
    const k = this.inst.hostKey(toBytes(key, this.keySize, `map '${this.name}' key`));
    return cpu === undefined ? core.mapLookup(this.addr, k) : core.mapLookup(this.addr, k, cpu);
  }

  /** Value bytes (a copy), undefined when the key is absent. Per-CPU maps: the value of `cpu` (default 0). */
  lookup(key: KeyLike, cpu?: number): Uint8Array | undefined {
    const a = this.valueAddr(key, this.percpu ? (cpu ?? 0) : cpu);
    if (!a) return undefined;
    const size = MAP_IN_MAP.has(this.type) ? 4 : this.valueSize;
    return this.inst.core.u8.slice(a, a + size);
  }

  /** Value decoded by BTF (lists and trees in it expanded), undefined when absent. */
  lookupValue(key: KeyLike, cpu?: number): Decoded | undefined {
    const a = this.valueAddr(key, this.percpu ? (cpu ?? 0) : cpu);
    if (!a) return undefined;
    if (MAP_IN_MAP.has(this.type)) {
      const inner = this.inst.core.view.getUint32(a, true);
      return this.inst.maps.find((m) => m.addr === inner)?.name ?? inner;
    }
    const btf = this.inst.btf;
    const typeId = this.spec.libbpfType === 'user' ? this.spec.btfValueTypeId : (this.spec.datasecId ?? 0);
    if (!btf || !typeId) return [...this.inst.core.u8.slice(a, a + this.valueSize)];
    return this.inst.decodeAt(typeId, a, this.valueSize, this.recordKey);
  }

  /** Host update (flags: 0 any, 1 noexist, 2 exist); special fields are kept and drained as in Linux. */
  update(key: KeyLike, value: Uint8Array, flags = 0): void {
    const core = this.inst.core;
    const stride = (this.valueSize + 7) & ~7;
    const n = this.inst.nrCpus;
    let bytes = value;
    if (this.percpu && value.byteLength === this.valueSize) {
      // one value for every CPU (the syscall form takes nrCpus values at a round8 stride)
      bytes = new Uint8Array(n * stride);
      for (let c = 0; c < n; c++) bytes.set(value, c * stride);
    } else if (this.percpu ? value.byteLength !== n * stride : value.byteLength !== this.valueSize) {
      const want = this.percpu ? `${this.valueSize} or ${n * stride} (${n} CPUs)` : `${this.valueSize}`;
      throw new RangeError(`map '${this.name}' value: ${value.byteLength} bytes given, ${want} expected`);
    }
    const k = this.inst.hostKey(toBytes(key, this.keySize, `map '${this.name}' key`));
    const v = this.inst.hostValue(bytes);
    const rc = Number(core.mapUpdate(this.addr, k, v, BigInt(flags)));
    if (rc < 0) throw new MapError(`map '${this.name}': update failed: ${ERRNO[-rc] ?? rc}`, -rc);
  }

  /** Host delete; false when the key was absent. */
  delete(key: KeyLike): boolean {
    const core = this.inst.core;
    const k = this.inst.hostKey(toBytes(key, this.keySize, `map '${this.name}' key`));
    const rc = Number(core.mapDelete(this.addr, k));
    if (rc === -2) return false;
    if (rc < 0) throw new MapError(`map '${this.name}': delete failed: ${ERRNO[-rc] ?? rc}`, -rc);
    return true;
  }

  /** All keys, in the map's iteration order. */
  keys(): Uint8Array[] {
    const core = this.inst.core;
    const out: Uint8Array[] = [];
    const [cur, next] = this.inst.keyPair();
    let prev = 0;
    for (let i = 0; i <= Math.max(this.maxEntries, 1) * 2 + 16; i++) {
      const rc = core.mapNextKey(this.addr, prev, next);
      if (rc !== 0) break;
      const k = core.u8.slice(next, next + this.keySize);
      out.push(k);
      core.u8.set(k, cur);
      prev = cur;
    }
    return out;
  }

  /** `[key, value]` pairs (value bytes; per-CPU: CPU 0's). */
  entries(): [Uint8Array, Uint8Array][] {
    const out: [Uint8Array, Uint8Array][] = [];
    for (const k of this.keys()) {
      const v = this.lookup(k);
      if (v) out.push([k, v]);
    }
    return out;
  }
}

interface LoadedProgram {
  readonly spec: ProgramSpec;
  readonly linked?: LinkedProgram;
  readonly image?: ProgramImage;
  readonly prepared?: PreparedProgram;
  error?: LoadError;
  checked: boolean;
  verified?: ProgramInfo['verified'];
  readonly kind: ContextKind;
}

type Verdict = NonNullable<ProgramInfo['verified']>;
/** Verdicts are a pure function of (spec, platform, program): kept per spec object. */
const verdictCache = new WeakMap<ObjectSpec, Map<string, Verdict>>();

interface Buffer { addr: number; size: number }

export type { CollectionsAt, Element, ListView, TreeNode, TreeShape, TreeView } from './collections-view.js';

export class Instance {
  /** @internal */
  readonly progs = new Map<string, LoadedProgram>();
  readonly maps: MapHandle[] = [];
  private hostArea = { key: 0, key2: 0, value: 0, keySize: 0, valueSize: 0 };
  private readonly buffers = new Map<string, Buffer>();

  /** @internal set by loadInstance when verification was asked for */
  verifyWith: { platform: Platform; forceChecked: boolean | undefined; verifier: typeof import('@bpfkit/verifier') } | undefined;

  /** Number of CPUs of per-CPU maps. */
  nrCpus = 2;

  /** @internal */
  constructor(
    readonly core: Core,
    readonly spec: ObjectSpec,
    /** The object's BTF as the kernel sees it (DATASEC sizes fixed). */
    readonly btf: Btf | undefined,
    readonly engine: Engine,
    readonly records: RecordSet,
    readonly budget: bigint,
  ) {}

  get programs(): ProgramInfo[] {
    return [...this.progs.values()].map((p) => ({
      name: p.spec.name,
      section: p.spec.section,
      progType: p.spec.kind.progType,
      slots: p.image?.slots ?? 0,
      checked: p.checked,
      ...(p.verified ? { verified: p.verified } : {}),
    }));
  }

  /** A map by name (`stats_array`, `list_map.bss`) or global section name (`.bss`, `.data.D`). */
  map(name: string): MapHandle {
    const m = this.maps.find((x) => x.name === name) ?? this.maps.find((x) => x.section === name);
    if (!m) throw new LoadError('BAD_MAP', `no map named '${name}' (maps: ${this.maps.map((x) => x.name).join(', ') || 'none'})`, { map: name });
    return m;
  }

  /** Global data sections (`.data`, `.bss`, `.rodata`, private `.bss.X`…) as maps. */
  get globals(): MapHandle[] {
    return this.maps.filter((m) => m.section !== undefined);
  }

  /** The decoded variables of a global section (by section or map name). */
  global(name: string): Record<string, Decoded> {
    const m = this.map(name);
    const v = m.lookupValue(0);
    return (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, Decoded>;
  }

  /** A global variable by name, decoded (lists and trees in it expanded). */
  variable(name: string): Decoded | undefined {
    for (const m of this.globals) {
      const vars = m.spec.variables ?? [];
      if (vars.some((v) => v.name === name)) return this.global(m.name)[name];
    }
    return undefined;
  }

  /** Printed `bpf_trace_printk` text so far (cleared with `clearPrintk`). */
  get printk(): string {
    return this.core.printk();
  }
  clearPrintk(): void {
    this.core.printkClear();
  }

  /** @internal Host key buffer (a copy of `bytes`). */
  hostKey(bytes: Uint8Array): number {
    this.core.u8.set(bytes, this.hostArea.key);
    return this.hostArea.key;
  }
  /** @internal Two key slots for iteration. */
  keyPair(): [number, number] {
    return [this.hostArea.key, this.hostArea.key2];
  }
  /** @internal */
  hostValue(bytes: Uint8Array): number {
    this.core.u8.set(bytes, this.hostArea.value);
    return this.hostArea.value;
  }
  /** @internal */
  setupHostArea(keySize: number, valueSize: number): void {
    const ks = Math.max(8, (keySize + 7) & ~7);
    const base = this.core.staticAlloc(2 * ks + Math.max(8, valueSize), 8);
    this.hostArea = { key: base, key2: base + ks, value: base + 2 * ks, keySize: ks, valueSize };
  }

  /** A reusable host buffer of exactly `size` bytes for a purpose (`ctx:prog`, `pkt:prog`), registered for checked mode. */
  private buffer(purpose: string, size: number): number {
    const b = this.buffers.get(purpose);
    if (b && b.size === size) return b.addr;
    const addr = this.core.staticAlloc(Math.max(size, 8), 8);
    if (size > 0) this.core.regionAdd(addr, size, 3);
    this.buffers.set(purpose, { addr, size });
    return addr;
  }

  /** Runs program `name`. Faults throw `RunError`; a program that could not be loaded throws its `LoadError`. */
  run(name: string, opts: RunOptions = {}): RunResult {
    const p = this.progs.get(name);
    if (!p) throw new LoadError('NO_PROGRAM', `no program named '${name}' (programs: ${[...this.progs.keys()].join(', ') || 'none'})`, { program: name });
    if (this.verifyWith && !p.verified && !p.error) this.verifyProgram(p);
    if (p.error) throw p.error;
    const core = this.core;
    const repeat = Math.max(1, Math.floor(opts.repeat ?? 1));
    core.setCpu(opts.cpu ?? 0);

    // context
    let r1 = 0n;
    let pkt: Buffer | undefined;
    let ctxOut: Buffer | undefined;
    const data = opts.data;
    switch (p.kind) {
      case 'skb-l2':
      case 'skb-l3': {
        const bytes = data ?? new Uint8Array(ETH_HLEN);
        if (bytes.byteLength < ETH_HLEN) throw new RangeError(`prog '${name}': packet of ${bytes.byteLength} bytes is shorter than an Ethernet header (14)`);
        const pa = this.buffer(`pkt:${name}`, bytes.byteLength);
        core.u8.set(bytes, pa);
        const start = p.kind === 'skb-l2' ? pa : pa + ETH_HLEN;
        const ca = this.buffer(`ctx:${name}`, SK_BUFF_SIZE);
        core.u8.fill(0, ca, ca + SK_BUFF_SIZE);
        if (opts.ctx) core.u8.set(opts.ctx.subarray(0, SK_BUFF_SIZE), ca);
        const e = ethInfo(bytes);
        fillSkb(new DataView(core.memory.buffer, ca, SK_BUFF_SIZE), { len: pa + bytes.byteLength - start, data: start, dataEnd: pa + bytes.byteLength, ...e });
        pkt = { addr: pa, size: bytes.byteLength };
        r1 = BigInt(ca);
        break;
      }
      case 'xdp': {
        const bytes = data ?? new Uint8Array(ETH_HLEN);
        const pa = this.buffer(`pkt:${name}`, XDP_HEADROOM + bytes.byteLength);
        core.u8.fill(0, pa, pa + XDP_HEADROOM);
        core.u8.set(bytes, pa + XDP_HEADROOM);
        const ca = this.buffer(`ctx:${name}`, XDP_MD_SIZE);
        core.u8.fill(0, ca, ca + XDP_MD_SIZE);
        if (opts.ctx) core.u8.set(opts.ctx.subarray(0, XDP_MD_SIZE), ca);
        fillXdp(new DataView(core.memory.buffer, ca, XDP_MD_SIZE), pa + XDP_HEADROOM, pa + XDP_HEADROOM + bytes.byteLength);
        pkt = { addr: pa + XDP_HEADROOM, size: bytes.byteLength };
        r1 = BigInt(ca);
        break;
      }
      case 'raw': {
        const bytes = opts.ctx ?? (p.spec.kind.progType === 'BPF_PROG_TYPE_SYSCALL' ? data : undefined);
        if (bytes && bytes.byteLength > 0) {
          const ca = this.buffer(`ctx:${name}`, bytes.byteLength);
          core.u8.set(bytes, ca);
          ctxOut = { addr: ca, size: bytes.byteLength };
          r1 = BigInt(ca);
        }
        break;
      }
    }

    const req = { r1, checked: p.checked, budget: this.budget };
    let last = { r0: 0n, insns: 0 };
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < repeat; i++) {
      try {
        last = p.prepared!.run(req);
      } catch (e) {
        core.endRun();
        if (e instanceof RunFault) throw this.runError(p, e);
        throw e;
      }
      core.endRun();
    }
    const dt = Number(process.hrtime.bigint() - t0);
    const u8 = core.u8;
    return {
      retval: Number(BigInt.asIntN(32, last.r0)),
      r0: BigInt.asUintN(64, last.r0),
      insns: last.insns,
      durationNs: Math.round(dt / repeat),
      ...(pkt ? { data: u8.slice(pkt.addr, pkt.addr + pkt.size) } : {}),
      ...(ctxOut ? { ctx: u8.slice(ctxOut.addr, ctxOut.addr + ctxOut.size) } : {}),
    };
  }

  /**
   * Verifies program `name` now (programs are otherwise verified at their first run when the
   * instance was loaded with `verify: true`). Accepted programs then run unchecked.
   */
  verify(name: string): Verdict {
    const p = this.progs.get(name);
    if (!p) throw new LoadError('NO_PROGRAM', `no program named '${name}'`, { program: name });
    if (!this.verifyWith) throw new LoadError('REJECTED', 'the instance was loaded without verify: true');
    if (!p.verified) this.verifyProgram(p);
    return p.verified!;
  }

  private verifyProgram(p: LoadedProgram): void {
    const { platform, forceChecked, verifier } = this.verifyWith!;
    let cache = verdictCache.get(this.spec);
    if (!cache) verdictCache.set(this.spec, (cache = new Map()));
    const key = `${platform.name}\0${p.spec.name}`;
    let v = cache.get(key);
    if (!v) {
      try {
        const { input } = verifier.objectProgramInput(this.spec, p.spec.name, platform, this.btf);
        const r = verifier.verify(input);
        v = r.accepted ? { accepted: true } : { accepted: false, message: r.error?.message ?? 'rejected', insn: r.error?.insn ?? -1 };
      } catch (e) {
        v = { accepted: false, message: e instanceof Error ? e.message : String(e) };
      }
      cache.set(key, v);
    }
    p.verified = v;
    p.checked = forceChecked ?? !v.accepted;
    if (!v.accepted && forceChecked !== true) {
      const at = v.insn !== undefined && v.insn >= 0 ? ` at insn ${v.insn}` : '';
      p.error = new LoadError('REJECTED', `prog '${p.spec.name}': rejected by the verifier${at}: ${v.message}`, { program: p.spec.name, ...(v.insn !== undefined && v.insn >= 0 ? { insn: v.insn } : {}) });
    }
  }

  private runError(p: LoadedProgram, f: RunFault): RunError {
    const line = sourceLine(p.linked, f.pc);
    const img = p.image!;
    let call: string | undefined;
    if (f.pc >= 0 && f.pc < img.slots && img.text[f.pc * 8] === 0x85) {
      const src = img.text[f.pc * 8 + 1]! >> 4;
      const imm = new DataView(img.text.buffer, img.text.byteOffset).getInt32(f.pc * 8 + 4, true);
      call = img.describeCall?.(src, imm);
    }
    const where = line ? ` (${line.file}:${line.line}: ${line.text.trim()})` : '';
    const msg = `prog '${p.spec.name}': ${f.message}${call && !f.message.includes(call) ? ` in ${call}` : ''}${where}`;
    return new RunError(msg, p.spec.name, f.code, f.pc, { ...(f.addr !== undefined ? { addr: f.addr } : {}), ...(call ? { call } : {}), ...(line ? { line } : {}) });
  }

  /** @internal Decodes the object at `addr` of BTF type `typeId`, expanding lists, trees and kptrs via its record. */
  decodeAt(typeId: number, addr: number, size: number, recordKey: string | undefined, depth = 0): Decoded {
    const btf = this.btf!;
    const desc = recordKey ? this.records.desc(recordKey) : undefined;
    const bytes = this.core.u8.slice(addr, addr + size);
    return decodeValue(btf, typeId, bytes, {
      base: addr,
      special: (kind, at) => {
        const field = desc?.fields.find((f) => addr + f.off === at);
        if (!field || depth > 8) return undefined;
        const dv = this.core.view;
        if (field.kind === RecordKind.LIST_HEAD && field.typeId !== undefined) {
          const addrs = readListNodes(dv, at).map((n) => n - field.nodeOff!);
          return { $marker: kind, elements: addrs.map((o) => this.element(field.typeId!, o, depth + 1)), addrs };
        }
        if (field.kind === RecordKind.RB_ROOT && field.typeId !== undefined) {
          const t = readTree(dv, at, { nodeOffset: field.nodeOff! });
          const index = new Map(t.inOrder.map((o, i) => [o, i]));
          const shape = (n: RawTreeNode | null): TreeShape | null => (n ? { index: index.get(n.obj)!, color: n.color, left: shape(n.left), right: shape(n.right) } : null);
          return { $marker: kind, elements: t.inOrder.map((o) => this.element(field.typeId!, o, depth + 1)), addrs: t.inOrder, shape: shape(t.root) };
        }
        if ((field.kind === RecordKind.KPTR_REF || field.kind === RecordKind.KPTR_PERCPU || field.kind === RecordKind.KPTR_UNREF)) {
          const obj = dv.getUint32(at, true);
          if (obj === 0) return { $marker: kind, addr: null };
          if (field.typeId === undefined || field.kind === RecordKind.KPTR_PERCPU) return { $marker: kind, addr: obj };
          return { $marker: kind, addr: obj, value: this.element(field.typeId, obj, depth + 1) };
        }
        if (field.kind === RecordKind.SPIN_LOCK) return { $marker: kind, locked: dv.getUint32(at, true) !== 0 };
        if (field.kind === RecordKind.REFCOUNT) return { $marker: kind, refs: dv.getUint32(at, true) };
        return undefined;
      },
    });
  }

  private element(typeId: number, obj: number, depth: number): Decoded {
    const key = this.records.structRecord(typeId);
    const size = this.records.desc(key)!.size;
    return this.decodeAt(typeId, obj, size, key, depth);
  }

  private valueAt(at: CollectionsAt): { addr: number; desc: RecordDesc | undefined; typeId: number } {
    const m = 'map' in at ? this.map(at.map) : this.map(at.global);
    const addr = m.valueAddr('map' in at ? (at.key ?? 0) : 0, m.percpu ? ('cpu' in at ? (at.cpu ?? 0) : 0) : undefined);
    if (!addr) throw new MapError(`map '${m.name}': no such key`, 2);
    const typeId = m.spec.libbpfType === 'user' ? m.spec.btfValueTypeId : (m.spec.datasecId ?? 0);
    return { addr, desc: m.recordKey ? this.records.desc(m.recordKey) : undefined, typeId };
  }

  /** The lists (`bpf_list_head`) in a map value or global section, with their elements decoded. */
  lists<T = Element>(at: CollectionsAt): ListView<T>[] {
    const { addr, desc, typeId } = this.valueAt(at);
    return (desc?.fields ?? [])
      .filter((f) => f.kind === RecordKind.LIST_HEAD)
      .map((f) => {
        const addrs = readListNodes(this.core.view, addr + f.off).map((n) => n - f.nodeOff!);
        return { field: this.memberPath(typeId, f.off), offset: f.off, elements: addrs.map((o) => this.element(f.typeId!, o, 1) as T), addrs };
      });
  }

  /** The red-black trees (`bpf_rb_root`) in a map value or global section: elements in order and the shape. */
  trees<T = Element>(at: CollectionsAt): TreeView<T>[] {
    const { addr, desc, typeId } = this.valueAt(at);
    return (desc?.fields ?? [])
      .filter((f) => f.kind === RecordKind.RB_ROOT)
      .map((f) => {
        const t = readTree(this.core.view, addr + f.off, { nodeOffset: f.nodeOff! });
        const conv = (n: RawTreeNode | null): TreeNode<T> | null =>
          n ? { addr: n.obj, value: this.element(f.typeId!, n.obj, 1) as T, color: n.color, left: conv(n.left), right: conv(n.right) } : null;
        return {
          field: this.memberPath(typeId, f.off),
          offset: f.off,
          elements: t.inOrder.map((o) => this.element(f.typeId!, o, 1) as T),
          addrs: t.inOrder,
          root: conv(t.root),
        };
      });
  }

  /** Heap accounting: live `bpf_obj_new` objects and bytes. */
  heap(): { objects: number; bytes: number } {
    return { objects: this.core.liveObjects(), bytes: this.core.liveBytes() };
  }

  private memberPath(typeId: number, off: number): string {
    const btf = this.btf;
    if (!btf || !typeId) return `+${off}`;
    const go = (id: number, o: number, depth: number): string | undefined => {
      let t = btf.type(id);
      while (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'TYPE_TAG' || t.kind === 'RESTRICT') t = btf.type(t.type);
      if (depth > 8) return undefined;
      if (t.kind === 'DATASEC') {
        for (const v of t.vars) {
          if (o >= v.offset && o < v.offset + v.size) {
            const vt = btf.type(v.type);
            if (vt.kind !== 'VAR') continue;
            const rest = go(vt.type, o - v.offset, depth + 1);
            return rest ? `${vt.name}${rest}` : vt.name;
          }
        }
        return undefined;
      }
      if (t.kind === 'STRUCT' || t.kind === 'UNION') {
        if (o === 0 && ['bpf_list_head', 'bpf_rb_root'].includes(t.name)) return '';
        for (const m of t.members) {
          const mo = m.bitsOffset / 8;
          const ms = sizeOfMember(btf, m.type);
          if (o >= mo && o < mo + ms) {
            const rest = go(m.type, o - mo, depth + 1);
            return m.name ? `.${m.name}${rest ?? ''}` : (rest ?? '');
          }
        }
        return undefined;
      }
      if (t.kind === 'ARRAY') {
        const es = sizeOfMember(btf, t.type);
        const i = es ? Math.floor(o / es) : 0;
        return `[${i}]${go(t.type, o - i * es, depth + 1) ?? ''}`;
      }
      return '';
    };
    const p = go(typeId, off, 0);
    return p ? p.replace(/^\./, '') : `+${off}`;
  }
}

function sizeOfMember(btf: Btf, id: number): number {
  let t = btf.type(id);
  while (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'TYPE_TAG' || t.kind === 'RESTRICT') t = btf.type(t.type);
  if ('size' in t) return t.size;
  if (t.kind === 'PTR') return 8;
  if (t.kind === 'ARRAY') return t.nelems * sizeOfMember(btf, t.type);
  return 0;
}

/** The line_info record covering `pc`. */
export function sourceLine(linked: LinkedProgram | undefined, pc: number): SourceLine | undefined {
  if (!linked) return undefined;
  let best: LinkedProgram['lineInfo'][number] | undefined;
  for (const l of linked.lineInfo) if (l.insn <= pc && (!best || l.insn >= best.insn)) best = l;
  if (!best) return undefined;
  return { file: best.fileName, line: best.lineNum, col: best.col, text: best.line };
}

/** Kfunc BTF ids from the platform, or the object's own extern id (named, so the runtime can tell it is unknown). */
function runtimeLinkPlatform(spec: ObjectSpec, platform: Platform): LinkPlatform & { kfuncName(id: number): string | undefined } {
  const local = new Map<string, number>();
  for (const e of spec.externs) if (e.isFunc) local.set(e.name, e.btfId);
  const names = new Map<number, string>();
  return {
    kfuncBtfId(name) {
      const id = platform.kfuncBtfId(name) ?? local.get(name);
      if (id !== undefined) names.set(id, name);
      return id;
    },
    kfuncName(id) {
      return names.get(id) ?? platform.kfuncByBtfId(id)?.name;
    },
  };
}

async function resolveEngine(e: EngineName | Engine | undefined): Promise<Engine> {
  if (e === undefined || e === 'wasm') return createWasmEngine();
  if (typeof e !== 'string') return e;
  if (e === 'ts') {
    const { createTsEngine } = await import('./engines.js');
    return createTsEngine();
  }
  throw new LoadError('CORE', `unknown engine '${String(e)}' (engines: wasm, ts)`);
}

/** Loads an object into a fresh core. See `InstanceOptions`. */
export async function loadInstance(object: Uint8Array | ObjectSpec, opts: InstanceOptions = {}): Promise<Instance> {
  let spec: ObjectSpec;
  let kernelBtf: Btf | undefined;
  try {
    if (object instanceof Uint8Array) {
      const lo = loadObject(object, { name: opts.name ?? 'obj' });
      spec = lo.spec;
      kernelBtf = spec.btf && lo.btfFixups ? parseBtf(kernelBtfBytes(spec.btf, lo.btfFixups)) : spec.btf;
    } else {
      spec = object;
      kernelBtf = spec.btf ? parseBtf(kernelBtfBytes(spec.btf, planBtfFixups(spec.btf, spec.elf, spec.externs, spec.subprograms))) : undefined;
    }
  } catch (e) {
    if (e instanceof Error && (e.name === 'ObjectError' || e.name === 'BtfError')) {
      throw new LoadError('BAD_OBJECT', e.message, {}, { cause: e });
    }
    throw e;
  }
  const platform = opts.platform ?? linux618;
  const engine = await resolveEngine(opts.engine);
  const core = await newCore({
    ...(opts.seed !== undefined ? { seed: BigInt(opts.seed) } : {}),
    ...(opts.nrCpus !== undefined ? { nrCpus: opts.nrCpus } : {}),
    ...(opts.heapCap !== undefined ? { heapCap: opts.heapCap } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });

  // 1. records: map values, then every local struct (type table)
  const records = new RecordSet(kernelBtf);
  const valueKeys = new Map<number, string | undefined>();
  for (const m of spec.maps) {
    if (MAP_IN_MAP.has(m.type)) continue;
    const typeId = m.libbpfType === 'user' ? m.btfValueTypeId : (m.datasecId ?? 0);
    valueKeys.set(m.index, records.valueRecord(`m${m.index}`, typeId, m.valueSize, m.name));
    if (m.inner) records.valueRecord(`inner${m.index}`, m.inner.btfValueTypeId, m.inner.valueSize, m.inner.name);
  }
  const nTypes = kernelBtf ? kernelBtf.types.length : 0;
  for (let id = 1; id < nTypes; id++) {
    const t = kernelBtf!.types[id]!;
    if ((t.kind === 'STRUCT' || t.kind === 'UNION') && t.size > 0) {
      try {
        records.structRecord(id);
      } catch (e) {
        // a struct the kernel would reject as an object (bad special fields) simply has no record
        if (!(e instanceof LoadError)) throw e;
      }
    }
  }
  const recBase = core.staticAlloc(records.byteLength, 8);
  core.u8.set(records.encode(recBase), recBase);
  if (nTypes > 0) {
    const table = new Uint8Array(nTypes * 8);
    const dv = new DataView(table.buffer);
    for (let id = 1; id < nTypes; id++) {
      const d = records.desc(`t${id}`);
      if (!d) continue;
      dv.setUint32(id * 8, d.size, true);
      dv.setUint32(id * 8 + 4, records.addrOf(`t${id}`), true);
    }
    const ta = core.staticAlloc(table.byteLength, 8);
    core.u8.set(table, ta);
    core.setTypeTable(ta, nTypes);
  }

  const inst = new Instance(core, spec, kernelBtf, engine, records, opts.budget !== undefined ? BigInt(opts.budget) : DEFAULT_BUDGET);
  inst.nrCpus = opts.nrCpus ?? 2;
  inst.setupHostArea(Math.max(8, ...spec.maps.map((m) => m.keySize)), Math.max(8, ...spec.maps.map((m) => ((m.valueSize + 7) & ~7) * (PERCPU_TYPES.has(m.type) ? inst.nrCpus : 1))));

  // 2. maps
  const byIndex = new Map<number, MapHandle>();
  for (const m of spec.maps) {
    const recKey = valueKeys.get(m.index);
    const valueSize = MAP_IN_MAP.has(m.type) ? 4 : m.valueSize;
    const addr = core.mapCreate(m.type, m.keySize, valueSize, m.maxEntries, m.flags, recKey ? records.addrOf(recKey) : 0);
    if (!addr) throw new LoadError('BAD_MAP', `map '${m.name}': type ${m.typeName} (key ${m.keySize}, value ${m.valueSize}, max_entries ${m.maxEntries}) is not supported by the runtime`, { map: m.name });
    const h = new MapHandle(inst, m, addr, recKey);
    inst.maps.push(h);
    byIndex.set(m.index, h);
  }
  for (const m of spec.maps) {
    const h = byIndex.get(m.index)!;
    if (m.initialData && m.initialData.byteLength > 0 && m.initialData.some((b) => b !== 0)) h.update(0, m.initialData);
  }
  for (const m of spec.maps) {
    for (const s of m.initSlots) {
      if (s.targetKind !== 'map') continue; // prog arrays: tail calls are not supported
      const target = inst.maps.find((x) => x.name === s.target);
      if (!target) throw new LoadError('BAD_MAP', `map '${m.name}': slot ${s.slot} names unknown map '${s.target}'`, { map: m.name });
      const v = new Uint8Array(4);
      new DataView(v.buffer).setUint32(0, target.addr, true);
      const h = byIndex.get(m.index)!;
      const core2 = inst.core;
      const rc = Number(core2.mapUpdate(h.addr, inst.hostKey(toBytes(s.slot, m.keySize, 'slot')), inst.hostValue(v), 0n));
      if (rc < 0) throw new LoadError('BAD_MAP', `map '${m.name}': cannot place map '${s.target}' in slot ${s.slot}: ${ERRNO[-rc] ?? rc}`, { map: m.name });
    }
  }

  // 3. programs
  const lp = runtimeLinkPlatform(spec, platform);
  const valueAddr = new Map<number, number>();
  const targets = {
    mapAddr: (i: number) => byIndex.get(i)?.addr,
    mapValueAddr: (i: number) => {
      if (valueAddr.has(i)) return valueAddr.get(i);
      const h = byIndex.get(i);
      if (!h || h.type !== 2 /* ARRAY */) return undefined;
      const a = h.valueAddr(0);
      valueAddr.set(i, a);
      return a || undefined;
    },
    kfuncName: (id: number) => lp.kfuncName(id),
  };
  if (opts.verify) inst.verifyWith = { platform, forceChecked: opts.checked, verifier: await import('@bpfkit/verifier') };
  for (const p of spec.programs) {
    const kind = contextKind(p.kind.progType);
    const base = { spec: p, kind, checked: opts.checked ?? true };
    try {
      const linked = linkProgram(spec, p.name, lp);
      const rel = relocate(p.name, linked.bytes, targets);
      const textAddr = core.staticAlloc(rel.text.byteLength, 8);
      core.u8.set(rel.text, textAddr);
      const image: ProgramImage = { name: p.name, text: rel.text, textAddr, slots: rel.slots, describeCall: rel.describeCall };
      const prepared = engine.prepare(core, image);
      inst.progs.set(p.name, { ...base, linked, image, prepared });
    } catch (e) {
      const err = e instanceof LoadError ? e
        : e instanceof Error && e.name === 'ObjectError' ? new LoadError('BAD_RELOCATION', e.message, { program: p.name }, { cause: e })
        : undefined;
      if (!err) throw e;
      inst.progs.set(p.name, { ...base, error: err });
    }
  }
  return inst;
}
