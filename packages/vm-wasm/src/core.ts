/**
 * Loads build/core.wasm and wraps its exports in the typed `Core` interface (docs/runtime-contract.md).
 */
import { readFileSync } from 'node:fs';
import { FaultCode, type CallbackHandler, type Core, type CoreFault, type CoreOptions } from './core-api.js';

/** Raw exports of build/core.wasm (i64 values arrive as signed bigint). */
interface CoreExports {
  memory: WebAssembly.Memory;
  init(seed: bigint, nrCpus: number, heapCap: number): void;
  staticAlloc(size: number, align: number): number;
  scratch(): number;
  regionAdd(addr: number, len: number, perm: number): void;
  checkAccess(addr: number, size: number, write: number): number;
  setTypeTable(addr: number, count: number): void;
  setCpu(cpu: number): void;
  setMode(checked: number): void;
  stackFrameTop(frame: number): number;
  mapCreate(type: number, keySize: number, valueSize: number, maxEntries: number, flags: number, record: number): number;
  mapLookup(map: number, key: number): number;
  mapLookupCpu(map: number, key: number, cpu: number): number;
  mapUpdate(map: number, key: number, value: number, flags: bigint): bigint;
  mapDelete(map: number, key: number): bigint;
  mapNextKey(map: number, key: number, out: number): number;
  mapFree(map: number): void;
  objNew(size: number, record: number): number;
  objDrop(obj: number): void;
  objectOf(addr: number): number;
  liveObjects(): number;
  liveBytes(): number;
  callHelper(id: number, pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint;
  callKfunc(kid: number, pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint;
  run(text: number, slots: number, pc: number, r1: bigint, checked: number, budget: bigint, r2: bigint): number;
  abortRun(): void;
  callPc(): number;
  r0(): bigint;
  insns(): bigint;
  fault(): number;
  faultPc(): number;
  faultAddr(): number;
  faultArg(): number;
  endRun(): void;
  locksHeld(): number;
  printkBuf(): number;
  printkLen(): number;
  printkClear(): void;
}

const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const I64 = (x: bigint): bigint => BigInt.asIntN(64, x);

let cachedModule: WebAssembly.Module | undefined;

/** The compiled core module (read once from build/core.wasm next to this package). */
export function coreModule(): WebAssembly.Module {
  if (!cachedModule) {
    const bytes = readFileSync(new URL('../build/core.wasm', import.meta.url));
    cachedModule = new WebAssembly.Module(bytes);
  }
  return cachedModule;
}

class WasmCore implements Core {
  readonly memory: WebAssembly.Memory;
  private readonly x: CoreExports;
  private buf: ArrayBuffer;
  private u8v: Uint8Array;
  private dv: DataView;
  private handler: CallbackHandler | null = null;
  readonly scratch: number;
  /** Fault recorded by the wrapper itself (a trap in verified mode). */
  private trapFault: CoreFault | null = null;

  constructor(opts: CoreOptions) {
    const now = opts.now ?? (() => process.hrtime.bigint());
    const imports = {
      env: {
        now: (): bigint => I64(now()),
        callback: (pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint => {
          if (!this.handler) throw new Error(`core: BPF callback at pc ${pc} requested but no host engine handler is installed`);
          return I64(this.handler(pc, U64(r1), U64(r2), U64(r3), U64(r4), U64(r5)));
        },
        abort: (_msg: number, _file: number, line: number, col: number): never => {
          throw new Error(`core: abort at ${line}:${col}`);
        },
      },
    };
    const inst = new WebAssembly.Instance(coreModule(), imports);
    this.x = inst.exports as unknown as CoreExports;
    this.memory = this.x.memory;
    this.x.init(opts.seed ?? 0x5eedn, opts.nrCpus ?? 2, opts.heapCap ?? 64 << 20);
    this.scratch = this.x.scratch();
    this.buf = this.memory.buffer;
    this.u8v = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }

  private refresh(): void {
    if (this.memory.buffer !== this.buf) {
      this.buf = this.memory.buffer;
      this.u8v = new Uint8Array(this.buf);
      this.dv = new DataView(this.buf);
    }
  }

  get u8(): Uint8Array { this.refresh(); return this.u8v; }
  get view(): DataView { this.refresh(); return this.dv; }

  staticAlloc(size: number, align = 8): number {
    const a = this.x.staticAlloc(size >>> 0, align >>> 0) >>> 0;
    this.refresh();
    if (a === 0) throw new RangeError(`core: out of memory allocating ${size} bytes`);
    return a;
  }
  regionAdd(addr: number, len: number, perm: 1 | 2 | 3): void { this.x.regionAdd(addr, len, perm); }
  checkAccess(addr: number, size: number, write: boolean): boolean { return this.x.checkAccess(addr, size, write ? 1 : 0) !== 0; }
  setTypeTable(addr: number, count: number): void { this.x.setTypeTable(addr, count); }
  setCpu(cpu: number): void { this.x.setCpu(cpu); }
  setChecked(checked: boolean): void { this.x.setMode(checked ? 1 : 0); }

  mapCreate(type: number, keySize: number, valueSize: number, maxEntries: number, flags: number, record: number): number {
    const m = this.x.mapCreate(type, keySize, valueSize, maxEntries, flags, record) >>> 0;
    this.refresh();
    return m;
  }
  mapLookup(map: number, keyAddr: number, cpu?: number): number {
    return (cpu === undefined ? this.x.mapLookup(map, keyAddr) : this.x.mapLookupCpu(map, keyAddr, cpu)) >>> 0;
  }
  mapUpdate(map: number, keyAddr: number, valueAddr: number, flags: bigint): number {
    const r = Number(this.x.mapUpdate(map, keyAddr, valueAddr, I64(flags)));
    this.refresh();
    return r;
  }
  mapDelete(map: number, keyAddr: number): number { const r = Number(this.x.mapDelete(map, keyAddr)); this.refresh(); return r; }
  mapNextKey(map: number, keyAddr: number, outAddr: number): number { return this.x.mapNextKey(map, keyAddr, outAddr); }
  mapFree(map: number): void { this.x.mapFree(map); this.refresh(); }

  objNew(size: number, record: number): number { const p = this.x.objNew(size, record) >>> 0; this.refresh(); return p; }
  objDrop(obj: number): void { this.x.objDrop(obj); this.refresh(); }
  objectOf(addr: number): number { return this.x.objectOf(addr) >>> 0; }
  liveObjects(): number { return this.x.liveObjects() >>> 0; }
  liveBytes(): number { return this.x.liveBytes() >>> 0; }

  callHelper(id: number, pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint {
    this.trapFault = null;
    return this.guard(pc, () => this.x.callHelper(id, pc, I64(r1), I64(r2), I64(r3), I64(r4), I64(r5)));
  }
  callKfunc(kid: number, pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint {
    this.trapFault = null;
    return this.guard(pc, () => this.x.callKfunc(kid, pc, I64(r1), I64(r2), I64(r3), I64(r4), I64(r5)));
  }
  /** Services trust their arguments in verified mode: a trap becomes a BadAccess fault at `pc`. */
  private guard(pc: number, f: () => bigint): bigint {
    try {
      const r = f();
      this.refresh();
      return U64(r);
    } catch (e) {
      this.refresh();
      if (e instanceof WebAssembly.RuntimeError) {
        this.x.abortRun();
        this.trapFault = { code: FaultCode.BadAccess, pc, addr: 0, arg: 0 };
        return 0n;
      }
      throw e;
    }
  }
  setCallbackHandler(h: CallbackHandler | null): void { this.handler = h; }
  stackFrameTop(frame: number): number { return this.x.stackFrameTop(frame) >>> 0; }

  run(textAddr: number, slots: number, pc: number, r1: bigint, checked: boolean, budget: bigint, r2 = 0n): FaultCode {
    this.trapFault = null;
    let code: number;
    try {
      code = this.x.run(textAddr, slots, pc, I64(r1), checked ? 1 : 0, I64(budget), I64(r2));
    } catch (e) {
      const callPc = this.x.callPc();
      this.x.abortRun();
      this.refresh();
      if (e instanceof WebAssembly.RuntimeError) {
        // verified mode skips bounds checks: an access outside the linear memory traps (pc -1 unless a
        // helper/kfunc call was in progress)
        this.trapFault = { code: FaultCode.BadAccess, pc: callPc, addr: 0, arg: 0 };
        return FaultCode.BadAccess;
      }
      throw e;
    }
    this.refresh();
    return code as FaultCode;
  }
  r0(): bigint { return U64(this.x.r0()); }
  insns(): bigint { return U64(this.x.insns()); }
  fault(): CoreFault {
    if (this.trapFault) return this.trapFault;
    return { code: this.x.fault() as FaultCode, pc: this.x.faultPc() >>> 0, addr: this.x.faultAddr() >>> 0, arg: this.x.faultArg() >>> 0 };
  }
  endRun(): void { this.x.endRun(); }
  locksHeld(): number { return this.x.locksHeld() >>> 0; }
  printk(): string {
    this.refresh();
    const a = this.x.printkBuf() >>> 0;
    const n = this.x.printkLen() >>> 0;
    return new TextDecoder().decode(this.u8v.subarray(a, a + n));
  }
  printkClear(): void { this.x.printkClear(); }
}

/** A fresh core instance (synchronous: compiles build/core.wasm once per process). */
export function instantiateCoreSync(opts: CoreOptions = {}): Core {
  return new WasmCore(opts);
}

/** A fresh core instance. */
export async function instantiateCore(opts: CoreOptions = {}): Promise<Core> {
  return new WasmCore(opts);
}
