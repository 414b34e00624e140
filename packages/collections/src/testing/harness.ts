/**
 * Loader of build/harness.wasm (assembly/harness.ts) for the package's tests: the
 * collections API bound to the harness's accounting allocator and key comparator.
 */
import { readFileSync } from 'node:fs';
import { encodeRecordsAt, type RecordPlan } from '../records.js';

export interface HarnessExports {
  readonly memory: WebAssembly.Memory;
  reset(): void;
  staticAlloc(size: number): number;
  alloc(size: number): number;
  free(p: number): void;
  flush(): void;
  isLive(p: number): number;
  liveCount(): number;
  liveByteCount(): number;
  badFreeCount(): number;
  allocCount(): number;
  freeCount(): number;
  freeLogLen(): number;
  freeLogAt(i: number): number;
  freeLogClear(): void;
  setKey(off: number, signed: number): void;
  lessCallCount(): number;
  objNew(rec: number): number;
  objInit(obj: number, rec: number): void;
  objInitFields(obj: number, rec: number): void;
  objDrop(obj: number, rec: number): void;
  objFreeFields(obj: number, rec: number): void;
  refcountAcquire(obj: number, rec: number): number;
  listPush(head: number, node: number, obj: number, rec: number, back: number): number;
  listPop(head: number, back: number): number;
  listPeek(head: number, back: number): number;
  rbAdd(root: number, node: number, obj: number, rec: number): number;
  rbRemove(root: number, node: number): number;
  corruptAddr(): number;
  clearCorrupt(): void;
  rbFirst(root: number): number;
  rbRoot(root: number): number;
  rbLeft(root: number, node: number): number;
  rbRight(root: number, node: number): number;
  benchRbtree(root: number, objs: number, size: number, count: number, rounds: number, rec: number): number;
}

export interface RawField { kind: number; off: number; aux?: number; aux2?: number }
export interface RawRecord { size: number; spinLockOff?: number; refcountOff?: number; fields: RawField[] }

export const HARNESS_WASM = new URL('../../build/harness.wasm', import.meta.url);

let module: WebAssembly.Module | undefined;

export class Harness {
  private dv: DataView;
  constructor(readonly x: HarnessExports) {
    this.dv = new DataView(x.memory.buffer);
  }

  /** A view over the current memory (re-created after memory.grow). */
  get view(): DataView {
    if (this.dv.buffer !== this.x.memory.buffer) this.dv = new DataView(this.x.memory.buffer);
    return this.dv;
  }

  u64(addr: number): bigint { return this.view.getBigUint64(addr, true); }
  setU64(addr: number, v: bigint): void { this.view.setBigUint64(addr, v, true); }
  u32(addr: number): number { return this.view.getUint32(addr, true); }

  /** Write a record given field by field; returns its address. */
  record(r: RawRecord): number {
    const a = this.x.staticAlloc(16 + 16 * r.fields.length) >>> 0;
    const v = this.view;
    v.setUint32(a, r.size, true);
    v.setUint32(a + 4, r.spinLockOff ?? 0xffffffff, true);
    v.setUint32(a + 8, r.refcountOff ?? 0xffffffff, true);
    v.setUint32(a + 12, r.fields.length, true);
    r.fields.forEach((f, i) => {
      const o = a + 16 + 16 * i;
      v.setUint32(o, f.kind, true);
      v.setUint32(o + 4, f.off, true);
      v.setUint32(o + 8, f.aux ?? 0, true);
      v.setUint32(o + 12, f.aux2 ?? 0, true);
    });
    return a;
  }

  /** Place an encoded record plan in static memory; returns each record's address. */
  writePlan(plan: RecordPlan): number[] {
    const base = this.x.staticAlloc(plan.totalSize) >>> 0;
    const { bytes, addresses } = encodeRecordsAt(plan, base);
    new Uint8Array(this.x.memory.buffer).set(bytes, base);
    return addresses;
  }

  /** Addresses freed since the last `freeLogClear`, in order. */
  freeLog(): number[] {
    const n = this.x.freeLogLen();
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.x.freeLogAt(i) >>> 0);
    return out;
  }
}

export async function loadHarness(): Promise<Harness> {
  module ??= await WebAssembly.compile(readFileSync(HARNESS_WASM));
  const instance = await WebAssembly.instantiate(module, {
    env: { abort: () => { throw new Error('harness abort'); } },
  });
  const h = new Harness(instance.exports as unknown as HarnessExports);
  h.x.reset();
  return h;
}
