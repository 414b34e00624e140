/**
 * The `ts` engine: pure TypeScript. Each BPF function of the program is translated once (per
 * memory mode) into a JS function (see codegen.ts); runtime services (helpers, kfuncs, checked
 * access, callbacks) come from the wasm core.
 */
import { FaultCode, type CallbackHandler, type Core } from '@bpfkit/vm-wasm';
import { FAULT_NAMES } from '../errors.js';
import { RunFault, type Engine, type EngineResult, type PreparedProgram, type ProgramImage, type RunRequest } from '../engine.js';
import { FunctionGen, MAX_FRAMES, RUNTIME_NAMES, slotHeads, type SplitOptions } from './codegen.js';
import { decodeImage, type Decoded } from './decode.js';
import { sdiv64, smod64, udiv64, umod64, umulh } from './int64.js';

/** Kept for existing callers: r2..r5 (`args`) are part of `RunRequest` now. */
export type TsRunRequest = RunRequest;

/** Options of the ts engine: how functions over `splitOver` instructions are split (defaults suit V8). */
export type TsEngineOptions = SplitOptions;

type BpfFn = (depth: number, ...regs: number[]) => number;

/** Mutable state of the running program shared by the generated functions. */
interface RunState {
  /** Executed instructions so far. */
  n: number;
  /** Budget. */
  B: number;
  /** Current view of core memory. */
  dv: DataView;
  /** Frame of the function that last called into the core (callbacks run one deeper). */
  depth: number;
  /** Slot of the last exit executed (names the instruction of a lock still held at program exit). */
  x: number;
  mode: ModeCode | null;
}

interface ModeCode {
  readonly F: (BpfFn | undefined)[];
  compile(pc: number): BpfFn;
}

/** `<what> at insn <pc>: <detail>`, the wording of the wasm engine's messages. */
function msg(code: number, pc: number, detail: string): string {
  return `${FAULT_NAMES[code] ?? `fault ${code}`} at insn ${pc}: ${detail}`;
}

/** Handlers this engine installed per core (the Core has no getter; restore what was there before a run). */
const installed = new WeakMap<Core, CallbackHandler | null>();

const M32 = 0xffffffffn;

function toBig(lo: number, hi: number): bigint {
  return hi === 0 ? BigInt(lo >>> 0) : (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

class TsProgram implements PreparedProgram {
  private readonly d: Decoded;
  private readonly heads: Uint8Array;
  private readonly X: RunState;
  private readonly HI = new Int32Array(1);
  private readonly FP = new Int32Array(MAX_FRAMES);
  /** Registers of split functions between their parts, per frame (L0..L10, H0..H10, may_goto counter). */
  private readonly RS = Array.from({ length: MAX_FRAMES }, () => new Int32Array(24));
  private readonly modes: [ModeCode | null, ModeCode | null] = [null, null];
  private readonly handler: CallbackHandler;

  constructor(
    private readonly core: Core,
    private readonly image: ProgramImage,
    private readonly opts: TsEngineOptions = {},
  ) {
    this.d = decodeImage(image.text, image.slots);
    this.heads = slotHeads(this.d);
    this.X = { n: 0, B: 0, dv: core.view, depth: 0, x: 0, mode: null };
    this.handler = (pc, r1, r2, r3, r4, r5) => this.callback(pc, r1, r2, r3, r4, r5);
  }

  private callName(src: number, imm: number): string {
    const d = this.image.describeCall?.(src, imm);
    if (d) return d;
    return src === 2 ? `kfunc#${imm}` : `helper#${imm}`;
  }

  private fault(code: number, pc: number, what: unknown): unknown {
    if (code !== 0) return new RunFault(code as FaultCode, pc, msg(code, pc, String(what)));
    if (what instanceof RunFault) return what;
    if (what instanceof RangeError) {
      if (/call stack/i.test(what.message)) return new RunFault(FaultCode.Stack, pc, msg(FaultCode.Stack, pc, 'host stack exhausted'));
      return new RunFault(FaultCode.BadAccess, pc, msg(FaultCode.BadAccess, pc, `outside core memory (${what.message})`));
    }
    return what;
  }

  private mode(checked: boolean): ModeCode {
    const i = checked ? 1 : 0;
    const have = this.modes[i];
    if (have) return have;
    const F: (BpfFn | undefined)[] = new Array(this.d.slots).fill(undefined);
    const gen = new FunctionGen(this.d, checked, this.heads, this.opts);
    const core = this.core;
    const X = this.X;
    const HI = this.HI;
    const d = this.d;
    const callOut = (kind: 0 | 2, id: number, pc: number, l1: number, h1: number, l2: number, h2: number, l3: number, h3: number, l4: number, h4: number, l5: number, h5: number): number => {
      const a1 = toBig(l1, h1), a2 = toBig(l2, h2), a3 = toBig(l3, h3), a4 = toBig(l4, h4), a5 = toBig(l5, h5);
      const r = kind === 0 ? core.callHelper(id, pc, a1, a2, a3, a4, a5) : core.callKfunc(id, pc, a1, a2, a3, a4, a5);
      const f = core.fault();
      if (f.code !== 0) {
        const what = f.code === FaultCode.BadCall
          ? `${this.callName(kind, id)} (unknown or unsupported ${kind === 2 ? 'kfunc' : 'helper'})`
          : `in ${this.callName(kind, id)}${f.code === FaultCode.BadAccess ? ` (address ${hex(f.addr)})` : ''}`;
        throw new RunFault(f.code, pc, msg(f.code, pc, what), f.code === FaultCode.BadAccess ? f.addr : undefined);
      }
      X.dv = core.view;
      HI[0] = Number((r >> 32n) & M32) | 0;
      return Number(r & M32) | 0;
    };
    const rt: Record<(typeof RUNTIME_NAMES)[number], unknown> = {
      umulh,
      udiv64: (al: number, ah: number, bl: number, bh: number) => udiv64(al, ah, bl, bh, HI),
      umod64: (al: number, ah: number, bl: number, bh: number) => umod64(al, ah, bl, bh, HI),
      sdiv64: (al: number, ah: number, bl: number, bh: number) => sdiv64(al, ah, bl, bh, HI),
      smod64: (al: number, ah: number, bl: number, bh: number) => smod64(al, ah, bl, bh, HI),
      FLT: (code: number, pc: number, what: unknown) => this.fault(code, pc, what),
      CK: (l: number, h: number, off: number, size: number, write: number, pc: number): number => {
        const a = (l >>> 0) + off;
        if (h !== 0 || a < 0 || a > 0xffffffff || !core.checkAccess(a, size, write !== 0)) {
          const full = h !== 0 || a < 0 ? hex(BigInt.asUintN(64, toBig(l, h) + BigInt(off))) : hex(a);
          throw new RunFault(FaultCode.BadAccess, pc, msg(FaultCode.BadAccess, pc, `${write ? 'write' : 'read'} of ${size} byte${size > 1 ? 's' : ''} at ${full}`), a >>> 0);
        }
        return a;
      },
      HELPER: (id: number, pc: number, ...r: number[]) => callOut(0, id, pc, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]),
      KFUNC: (id: number, pc: number, ...r: number[]) => callOut(2, id, pc, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]),
      CALLX: (l: number, h: number, pc: number, ...r: number[]) => {
        if (h !== 0 || l < 0) throw new RunFault(FaultCode.BadCall, pc, msg(FaultCode.BadCall, pc, `callx to ${hex(toBig(l, h))}, not a helper id`));
        return callOut(0, l, pc, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
      },
      COMPILE: (pc: number) => m.compile(pc),
      BUDGET: (start: number, before: number): RunFault => {
        // The block starting at `start` would pass the budget: find the first instruction past it.
        X.n = before;
        let left = X.B - X.n;
        let pc = start;
        while (left > 0 && pc < d.slots) {
          pc += d.code[pc] === 0x18 ? 2 : 1;
          left--;
        }
        X.n = X.B;
        return new RunFault(FaultCode.Budget, pc, msg(FaultCode.Budget, pc, `budget of ${X.B} instructions`));
      },
    };
    const m: ModeCode = {
      F,
      compile: (pc: number): BpfFn => {
        const f = F[pc];
        if (f) return f;
        if (pc < 0 || pc >= d.slots || !this.heads[pc]) {
          throw new RunFault(FaultCode.BadJump, pc, msg(FaultCode.BadJump, pc, 'function entry outside the program or inside ld_imm64'));
        }
        const src = gen.generate(pc);
        const factory = new Function('X', 'HI', 'FP', 'F', 'RS', ...RUNTIME_NAMES, src) as (...a: unknown[]) => BpfFn;
        const fn = factory(X, HI, this.FP, F, this.RS, ...RUNTIME_NAMES.map((k) => rt[k]));
        F[pc] = fn;
        return fn;
      },
    };
    this.modes[i] = m;
    return m;
  }

  /** Generated source of the function at `entry` (diagnostics, tests). */
  source(entry: number, checked: boolean): string {
    return new FunctionGen(this.d, checked, this.heads, this.opts).generate(entry);
  }

  private callback(pc: number, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint): bigint {
    const X = this.X;
    const m = X.mode;
    if (!m) throw new RunFault(FaultCode.BadCall, pc, msg(FaultCode.BadCall, pc, 'callback outside a run'));
    const caller = X.depth;
    const depth = caller + 1;
    if (depth >= MAX_FRAMES) throw new RunFault(FaultCode.Stack, pc, msg(FaultCode.Stack, pc, `callback needs more than ${MAX_FRAMES} frames`));
    const fn = m.F[pc] ?? m.compile(pc);
    X.dv = this.core.view;
    const lo = fn(depth, ...splitArgs([r1, r2, r3, r4, r5]));
    const r0 = toBig(lo, this.HI[0]);
    X.depth = caller;
    return r0;
  }

  run(req: RunRequest): EngineResult {
    const core = this.core;
    const X = this.X;
    const m = this.mode(req.checked);
    for (let i = 0; i < MAX_FRAMES; i++) this.FP[i] = core.stackFrameTop(i);
    X.n = 0;
    const b = req.budget;
    // budget ≤ 0 = unlimited (as core.run)
    X.B = b <= 0n || b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(b);
    X.depth = 0;
    X.mode = m;
    X.dv = core.view;
    const a = req.args ?? [];
    if (a.length > 4) throw new RangeError(`ts engine (${this.image.name}): args are r2..r5, got ${a.length} values`);
    core.setChecked(req.checked);
    const prev = installed.get(core) ?? null;
    installed.set(core, this.handler);
    core.setCallbackHandler(this.handler);
    try {
      const entry = m.F[0] ?? m.compile(0);
      const lo = entry(0, ...splitArgs([req.r1, a[0] ?? 0n, a[1] ?? 0n, a[2] ?? 0n, a[3] ?? 0n]));
      // as core.run: in checked mode the program must not exit with a bpf_spin_lock held
      if (req.checked && core.locksHeld() !== 0) {
        throw new RunFault(FaultCode.Lock, X.x, msg(FaultCode.Lock, X.x, 'program exit with a bpf_spin_lock held'));
      }
      return { r0: toBig(lo, this.HI[0]), insns: X.n };
    } catch (e) {
      throw this.fault(0, -1, e);
    } finally {
      X.mode = null;
      installed.set(core, prev);
      core.setCallbackHandler(prev);
    }
  }
}

function splitArgs(v: readonly bigint[]): number[] {
  const out: number[] = [];
  for (const x of v) {
    const u = BigInt.asUintN(64, x);
    out.push(Number(u & M32) | 0, Number(u >> 32n) | 0);
  }
  return out;
}

/** The pure-TypeScript engine. */
export function createTsEngine(opts: TsEngineOptions = {}): Engine {
  return {
    name: 'ts',
    prepare(core: Core, image: ProgramImage): PreparedProgram & { source(entry: number, checked: boolean): string } {
      return new TsProgram(core, image, opts);
    },
  };
}
