/**
 * A memory-only test double of the wasm `Core` for the ts engine's tests (not exported from the
 * package): linear memory with an unmapped first 64 KiB, 8 stack frames, a bump allocator,
 * checked-mode regions, and three helpers: 5 (returns its r1, like uBPF's test helper), 181
 * (`bpf_loop`, through the callback handler) and 0x7ff0 (grows memory by one page, returns the old
 * byte size). Everything else is a BadCall fault.
 */
import { FaultCode, FUNC_BASE, type CallbackHandler, type Core, type CoreFault } from '@bpfkit/vm-wasm';

const STACK_BASE = 0x10000;
const FRAME = 512 + 8;
export const FAKE_GROW_HELPER = 0x7ff0;

export class FakeCore implements Core {
  readonly memory = new WebAssembly.Memory({ initial: 4, maximum: 256 });
  private buf: ArrayBuffer = this.memory.buffer;
  private u8v = new Uint8Array(this.buf);
  private dv = new DataView(this.buf);
  private next = STACK_BASE + 8 * FRAME;
  private regions: { addr: number; len: number; perm: number }[] = [{ addr: STACK_BASE, len: 8 * FRAME, perm: 3 }];
  private last: CoreFault = { code: FaultCode.None, pc: 0, addr: 0, arg: 0 };
  private handler: CallbackHandler | null = null;
  readonly scratch: number;
  /** Calls seen by callHelper (id, pc). */
  readonly calls: [number, number][] = [];

  constructor() {
    this.scratch = this.staticAlloc(4096, 8);
  }

  private sync(): void {
    if (this.buf !== this.memory.buffer) {
      this.buf = this.memory.buffer;
      this.u8v = new Uint8Array(this.buf);
      this.dv = new DataView(this.buf);
    }
  }
  get u8(): Uint8Array {
    this.sync();
    return this.u8v;
  }
  get view(): DataView {
    this.sync();
    return this.dv;
  }

  staticAlloc(size: number, align = 8): number {
    const a = (this.next + align - 1) & ~(align - 1);
    this.next = a + size;
    while (this.next > this.memory.buffer.byteLength) this.memory.grow(1);
    return a;
  }
  regionAdd(addr: number, len: number, perm: 1 | 2 | 3): void {
    this.regions.push({ addr, len, perm });
  }
  checkAccess(addr: number, size: number, write: boolean): boolean {
    const need = write ? 2 : 1;
    return this.regions.some((r) => addr >= r.addr && addr + size <= r.addr + r.len && (r.perm & need) !== 0);
  }
  stackFrameTop(frame: number): number {
    return STACK_BASE + frame * FRAME + 512;
  }
  setCallbackHandler(h: CallbackHandler | null): void {
    this.handler = h;
  }
  get callbackHandler(): CallbackHandler | null {
    return this.handler;
  }
  fault(): CoreFault {
    return this.last;
  }

  callHelper(id: number, pc: number, r1: bigint, r2: bigint, r3: bigint): bigint {
    this.last = { code: FaultCode.None, pc: 0, addr: 0, arg: 0 };
    this.calls.push([id, pc]);
    switch (id) {
      case 5:
        return r1;
      case 181: {
        if (!this.handler) throw new Error('bpf_loop without a callback handler');
        const fn = Number(r2 - FUNC_BASE);
        let i = 0n;
        for (; i < r1; i++) if (this.handler(fn, i, r3, 0n, 0n, 0n) !== 0n) { i++; break; }
        return i;
      }
      case FAKE_GROW_HELPER: {
        const old = this.memory.buffer.byteLength;
        this.memory.grow(1);
        return BigInt(old);
      }
      default:
        this.last = { code: FaultCode.BadCall, pc, addr: 0, arg: id };
        return 0n;
    }
  }
  callKfunc(kid: number, pc: number): bigint {
    this.last = { code: FaultCode.BadCall, pc, addr: 0, arg: kid };
    return 0n;
  }

  private no(): never {
    throw new Error('FakeCore: not implemented');
  }
  setTypeTable(): void { this.no(); }
  setCpu(): void { this.no(); }
  /** Last mode set by the engine. */
  checked: boolean | undefined;
  setChecked(checked: boolean): void {
    this.checked = checked;
  }
  mapCreate(): number { return this.no(); }
  mapLookup(): number { return this.no(); }
  mapUpdate(): number { return this.no(); }
  mapDelete(): number { return this.no(); }
  mapNextKey(): number { return this.no(); }
  mapFree(): void { this.no(); }
  objNew(): number { return this.no(); }
  objDrop(): void { this.no(); }
  objectOf(): number { return this.no(); }
  liveObjects(): number { return this.no(); }
  liveBytes(): number { return this.no(); }
  run(): FaultCode { return this.no(); }
  r0(): bigint { return this.no(); }
  insns(): bigint { return this.no(); }
  endRun(): void {}
  /** No spin lock helpers here: nothing is ever held. */
  locksHeld(): number { return 0; }
  printk(): string { return ''; }
  printkClear(): void {}
}
